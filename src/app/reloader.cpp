#include "app/reloader.h"

#include <spdlog/spdlog.h>

#include "log/logging.h"

namespace sidecar {

Reloader::Reloader(std::vector<std::string> args, Config running, std::shared_ptr<ApiKeys> api_keys)
    : args_(std::move(args)), api_keys_(std::move(api_keys)), running_(std::move(running)) {
  if (!running_.config_path.empty()) {
    config_file_.emplace(running_.config_path, "config file");
    config_file_->Refresh();  // the contents running now; a failed read is retried by Watch
  }
  watcher_ = std::thread([this] { Watch(); });
}

Reloader::~Reloader() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  cv_.SignalAll();
  watcher_.join();
}

void Reloader::TakeTurnLocked() {
  while (reloading_) cv_.Wait(&mu_);
  reloading_ = true;
}

void Reloader::EndTurn() {
  {
    MutexLock lock(&mu_);
    reloading_ = false;
  }
  cv_.SignalAll();
}

void Reloader::Watch() {
  while (true) {
    {
      MutexLock lock(&mu_);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      while (!stop_ && cv_.WaitUntil(&mu_, deadline)) {
      }
      if (stop_) return;
      if (!config_file_) continue;  // set at construction only
      TakeTurnLocked();
    }
    // A file that cannot be read now changes nothing; it is checked again in a second.
    const Result<bool> changed = config_file_->Refresh();
    if (changed.ok() && changed.value()) {
      if (api_keys_) api_keys_->ReloadIfChanged();
      ApplyInTurn("the config file changed");
    }
    EndTurn();
  }
}

void Reloader::Reload(const std::string& why) {
  if (api_keys_) api_keys_->ReloadIfChanged();
  {
    MutexLock lock(&mu_);
    TakeTurnLocked();
  }
  ApplyInTurn(why);
  EndTurn();
}

void Reloader::ApplyInTurn(const std::string& why) {
  if (config_file_) config_file_->Refresh();  // the change this reload applies is seen
  auto next = ConfigFromArgs(args_);
  if (!next.ok()) {
    spdlog::error("reload ({}): {}; keeping the running configuration", why, next.error());
    return;
  }
  const Config& c = next.value();
  if (c.log_level != running_.log_level || c.log_format != running_.log_format) {
    // Said at the old level or the new one, whichever lets it through.
    const std::string change =
        fmt::format("reload ({}): log level {}, format {}", why, c.log_level, c.log_format);
    const bool said = spdlog::should_log(spdlog::level::info);
    if (said) spdlog::info(change);
    SetUpLogging(c.log_level, c.log_format);
    if (!said) spdlog::info(change);
    running_.log_level = c.log_level;
    running_.log_format = c.log_format;
  } else {
    spdlog::info("reload ({}): log settings unchanged", why);
  }
  Config compared = c;
  compared.log_level = running_.log_level;
  compared.log_format = running_.log_format;
  if (!(compared == running_)) {
    spdlog::warn("reload ({}): other changed settings take effect after a restart", why);
  }
}

}  // namespace sidecar
