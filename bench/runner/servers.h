// The processes a benchmark runs: the service, the pipeline simulator, the fake Kubernetes API
// server, the bare cpprestsdk listener and nginx, each on its own loopback port.
//
// Every process is a child of the runner, stopped by its PID (SIGTERM, then SIGKILL) when its
// handle goes, and killed with the runner if the runner dies. Files (configurations, nginx's
// prefix, request lists) live in one temporary directory, removed with the Launcher.
//
// Not thread-safe: one thread starts and stops the processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace sidecar::bench {

class Server {
 public:
  Server(std::vector<std::string> argv, std::string url, std::vector<std::string> env = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::string& url() const { return url_; }
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  pid_t pid() const { return process_.pid(); }
  bool Running() { return process_.Running(); }
  std::string Output() const { return process_.Output(); }

 private:
  testing::ChildProcess process_;
  std::string url_;
};

class Launcher {
 public:
  Launcher(std::string build_dir, std::string bench_dir);
  ~Launcher();
  Launcher(const Launcher&) = delete;
  Launcher& operator=(const Launcher&) = delete;

  // Each returns once the process answers HTTP, or throws std::runtime_error with its output.
  std::unique_ptr<Server> Sim(const std::vector<std::string>& flags = {});
  // `config_yaml` is the service's YAML configuration without `listen`, which is added.
  std::unique_ptr<Server> Sidecar(const std::string& config_yaml,
                                  const std::vector<std::string>& env = {});
  // cpprestsdk's listener answering `body` to everything; threads 0: the library's default.
  std::unique_ptr<Server> BareListener(int threads, const std::string& body);
  std::unique_ptr<Server> FakeKubeApi();
  // nginx (one process) answering `body` to everything with `return 200`.
  std::unique_ptr<Server> Nginx(const std::string& body);

  // Writes a file into the run's temporary directory and returns its path.
  std::string WriteFile(const std::string& name, const std::string& content) const;
  // A wrk script of bench/lua.
  std::string LuaScript(const std::string& name) const;
  std::string Binary(const std::string& name) const { return build_dir_ + "/" + name; }

 private:
  // Starts `argv` serving at `url` and waits until `probe_path` answers.
  std::unique_ptr<Server> Start(std::vector<std::string> argv, const std::string& url,
                                const std::string& probe_path,
                                const std::vector<std::string>& env = {});

  const std::string build_dir_;
  const std::string bench_dir_;
  std::string temp_dir_;
  int files_ = 0;
};

}  // namespace sidecar::bench
