#include "runner/servers.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "runner/nginx_config.h"
#include "support/http.h"

namespace sidecar::bench {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kStopTimeout = std::chrono::seconds(5);

std::string LoopbackUrl(int port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

std::string LoopbackAddress(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace

Server::Server(std::vector<std::string> argv, std::string url, std::vector<std::string> env)
    : process_(std::move(argv), std::move(env)), url_(std::move(url)) {}

Server::~Server() {
  process_.Signal(SIGTERM);
  process_.Wait(kStopTimeout);  // past it, ChildProcess kills it
}

Launcher::Launcher(std::string build_dir, std::string bench_dir)
    : build_dir_(std::move(build_dir)), bench_dir_(std::move(bench_dir)) {
  char pattern[] = "/tmp/sidecar-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot make a temporary directory");
  temp_dir_ = pattern;
}

Launcher::~Launcher() {
  std::error_code ignored;
  std::filesystem::remove_all(temp_dir_, ignored);
}

std::string Launcher::WriteFile(const std::string& name, const std::string& content) const {
  const std::string path = temp_dir_ + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string Launcher::LuaScript(const std::string& name) const {
  return bench_dir_ + "/lua/" + name;
}

std::unique_ptr<Server> Launcher::Start(std::vector<std::string> argv, const std::string& url,
                                        const std::string& probe_path,
                                        const std::vector<std::string>& env) {
  if (!std::filesystem::exists(argv.front())) {
    throw std::runtime_error(argv.front() + " is missing: build it first");
  }
  auto server = std::make_unique<Server>(std::move(argv), url, env);
  const bool serving = testing::WaitUntil(
      [&] {
        return !server->Running() ||
               testing::HttpGet(url + probe_path, std::chrono::seconds(2)).status != 0;
      },
      kStartTimeout);
  if (!serving || !server->Running()) {
    throw std::runtime_error("a process did not start serving " + url + ": " + server->Output());
  }
  return server;
}

std::unique_ptr<Server> Launcher::Sim(const std::vector<std::string>& flags) {
  const int port = testing::FreePort();
  std::vector<std::string> argv = {Binary("feldera-sim"), "--listen", LoopbackAddress(port)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return Start(std::move(argv), LoopbackUrl(port), "/stats");
}

std::unique_ptr<Server> Launcher::Sidecar(const std::string& config_yaml,
                                          const std::vector<std::string>& env) {
  const int port = testing::FreePort();
  const std::string config = WriteFile("sidecar-" + std::to_string(++files_) + ".yaml",
                                       "listen: " + LoopbackAddress(port) + "\n" + config_yaml);
  return Start({Binary("completion-sidecar"), "--config", config}, LoopbackUrl(port), "/healthz",
               env);
}

std::unique_ptr<Server> Launcher::BareListener(int threads, const std::string& body) {
  const int port = testing::FreePort();
  return Start({Binary("bench-bare-listener"), "--listen", LoopbackAddress(port), "--threads",
                std::to_string(threads), "--body", body},
               LoopbackUrl(port), "/");
}

std::unique_ptr<Server> Launcher::FakeKubeApi() {
  const int port = testing::FreePort();
  return Start({Binary("fake-kube-api"), "--listen", LoopbackAddress(port)}, LoopbackUrl(port),
               "/version");
}

std::unique_ptr<Server> Launcher::Nginx(const std::string& body) {
  const int port = testing::FreePort();
  const std::string prefix = temp_dir_ + "/nginx-" + std::to_string(++files_);
  std::filesystem::create_directories(prefix);
  const std::string config = prefix + "/nginx.conf";
  std::ofstream(config) << NginxConfig({prefix, port, body});
  return Start({"/usr/sbin/nginx", "-p", prefix + "/", "-c", config, "-e", prefix + "/error.log"},
               LoopbackUrl(port), "/");
}

}  // namespace sidecar::bench
