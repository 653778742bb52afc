// Reloader: applies, without a restart, what of the configuration can change while the service
// runs — the log level and format — when the config file changes (checked every second) or on
// SIGHUP; and re-reads the API keys file at once. Other changes are reported as needing a
// restart, and a file that no longer parses changes nothing.
//
// Thread-safe. A thread of its own watches the file until the object is destroyed. Reloads, from
// that thread or a caller of Reload(), run one at a time: each takes a turn (`reloading_`, under
// the mutex) and reads and applies the configuration without holding the mutex, so that no file
// is read and nothing is logged under it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/api_keys.h"
#include "common/mutex.h"
#include "common/watched_file.h"
#include "config/config.h"

namespace sidecar {

class Reloader {
 public:
  // `args` are the command line the service started with; `running` the configuration in force.
  Reloader(std::vector<std::string> args, Config running, std::shared_ptr<ApiKeys> api_keys);
  ~Reloader() EXCLUDES(mu_);
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Reads the configuration again and applies what can change; `why` goes to the log.
  void Reload(const std::string& why) EXCLUDES(mu_);

 private:
  void Watch() EXCLUDES(mu_);
  // Waits until no other reload runs, then takes the turn.
  void TakeTurnLocked() REQUIRES(mu_);
  void EndTurn() EXCLUDES(mu_);
  // Reads the configuration and applies it; only the thread whose turn it is calls it.
  void ApplyInTurn(const std::string& why) EXCLUDES(mu_);

  const std::vector<std::string> args_;
  const std::shared_ptr<ApiKeys> api_keys_;
  // Touched, after construction, only by the thread whose turn it is (see `reloading_`).
  Config running_;
  std::optional<WatchedFile> config_file_;  // none: started without --config

  Mutex mu_;
  CondVar cv_;  // signalled when `stop_` is set or a turn ends
  bool reloading_ GUARDED_BY(mu_) = false;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread watcher_;
};

}  // namespace sidecar
