// Reloader: applies, without a restart, what of the configuration can change while the service
// runs — the log level and format — when the config file changes (checked every second) or on
// SIGHUP; and re-reads the API keys file at once. Other changes are reported as needing a
// restart, and a file that no longer parses changes nothing.
//
// Thread-safe. A thread of its own watches the file until the object is destroyed.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/api_keys.h"
#include "common/watched_file.h"
#include "config/config.h"

namespace sidecar {

class Reloader {
 public:
  // `args` are the command line the service started with; `running` the configuration in force.
  Reloader(std::vector<std::string> args, Config running, std::shared_ptr<ApiKeys> api_keys);
  ~Reloader();
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Reads the configuration again and applies what can change; `why` goes to the log.
  void Reload(const std::string& why);

 private:
  void Watch();

  const std::vector<std::string> args_;
  const std::shared_ptr<ApiKeys> api_keys_;
  std::mutex mu_;
  Config running_;
  std::optional<WatchedFile> config_file_;  // none: started without --config
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread watcher_;
};

}  // namespace sidecar
