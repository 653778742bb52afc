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
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  watcher_.join();
}

void Reloader::Watch() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) {
    // A file that cannot be read now changes nothing; it is checked again in a second.
    if (!config_file_) continue;
    const Result<bool> changed = config_file_->Refresh();
    if (!changed.ok() || !changed.value()) continue;
    lock.unlock();
    Reload("the config file changed");
    lock.lock();
  }
}

void Reloader::Reload(const std::string& why) {
  if (api_keys_) api_keys_->ReloadIfChanged();
  std::lock_guard lock(mu_);
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
