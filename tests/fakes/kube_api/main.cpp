// fake-kube-api: FakeKubeApiServer as a process, for scripts, benchmarks and demos. Serves the
// Kubernetes API and the /fake/ control API (see README.md) until SIGINT or SIGTERM.
#include <signal.h>

// Boost.Asio, under pplx/threadpool.h, uses std::exchange without including <utility>.
#include <utility>

#include <pplx/threadpool.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "fakes/kube_api/fake_kube_api.h"

namespace {

constexpr char kUsage[] =
    "usage: fake-kube-api --listen 127.0.0.1:PORT [--bookmark-interval-ms MS] [--threads N]\n";

struct Flags {
  int port = 0;
  int bookmark_interval_ms = 1000;
  int threads = 4;
};

bool ParseInt(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return false;
    const std::string_view value = argv[++i];
    if (flag == "--listen") {
      constexpr std::string_view kHost = "127.0.0.1:";
      if (value.substr(0, kHost.size()) != kHost) return false;
      if (!ParseInt(value.substr(kHost.size()), flags.port) || flags.port <= 0) return false;
    } else if (flag == "--bookmark-interval-ms") {
      if (!ParseInt(value, flags.bookmark_interval_ms)) return false;
    } else if (flag == "--threads") {
      if (!ParseInt(value, flags.threads) || flags.threads <= 0) return false;
    } else {
      return false;
    }
  }
  return flags.port != 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::cerr << kUsage;
    return 2;
  }
  // Every thread started from here on inherits the mask, so only sigwait() sees these.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(flags.threads));
  sidecar::testing::FakeKubeApiServer server(flags.port);
  server.SetBookmarkInterval(std::chrono::milliseconds(flags.bookmark_interval_ms));
  try {
    server.Start();
  } catch (const std::exception& error) {
    std::cerr << "fake-kube-api: cannot listen on " << server.Url() << ": " << error.what() << "\n";
    return 1;
  }
  std::cout << "fake-kube-api listening on " << server.Url() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.Stop();
  return 0;
}
