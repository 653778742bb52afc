// bench-bare-listener: the ceiling of the HTTP library. A cpprestsdk listener that answers every
// request with one fixed JSON body and does nothing else, so that the service's throughput and
// latency can be compared with what cpprestsdk allows on the same machine in the same run.
//
//   bench-bare-listener --listen 127.0.0.1:PORT [--threads N] [--body TEXT]
//
// --threads sizes cpprestsdk's task pool (0 keeps the library's default of 40 threads).
// Prints "listening on URL" once it serves; exits on SIGINT or SIGTERM.

// Boost.Asio, under pplx/threadpool.h, uses std::exchange without including <utility>.
#include <utility>

#include <cpprest/http_listener.h>
#include <pplx/threadpool.h>
#include <signal.h>

#include <charconv>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr char kUsage[] =
    "usage: bench-bare-listener --listen 127.0.0.1:PORT [--threads N] [--body TEXT]\n";

struct Flags {
  std::string url;
  int threads = 2;
  std::string body = R"({"status":"complete","step":1})";
};

bool ParseInt(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    if (flag == "--listen") {
      constexpr std::string_view kHost = "127.0.0.1:";
      int port = 0;
      if (!value.starts_with(kHost) || !ParseInt(value.substr(kHost.size()), port) || port <= 0) {
        return false;
      }
      flags.url = "http://" + std::string(value);
    } else if (flag == "--threads") {
      if (!ParseInt(value, flags.threads) || flags.threads < 0) return false;
    } else if (flag == "--body") {
      flags.body = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !flags.url.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::cerr << kUsage;
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  if (flags.threads > 0) {
    crossplat::threadpool::initialize_with_threads(static_cast<size_t>(flags.threads));
  }

  web::http::experimental::listener::http_listener listener(flags.url);
  const std::string body = flags.body;
  listener.support([&body](const web::http::http_request& request) {
    web::http::http_response response(web::http::status_codes::OK);
    response.set_body(body, "application/json");
    request.reply(response).then([](pplx::task<void> sent) {
      try {
        sent.get();
      } catch (const std::exception&) {
        // The client went away before the answer was written; nothing to do.
      }
    });
  });
  try {
    listener.open().wait();
  } catch (const std::exception& error) {
    std::cerr << "bench-bare-listener: cannot listen on " << flags.url << ": " << error.what()
              << "\n";
    return 1;
  }
  std::cout << "listening on " << flags.url << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  listener.close().wait();
  return 0;
}
