#include "history/history_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "status/history_merge.h"

namespace sidecar {
namespace {

using web::json::value;

constexpr char kDataKey[] = "history.json";
constexpr char kPipelineKey[] = "pipeline";
// A conflicting writer is another replica writing the same news; a few rounds always settle it.
constexpr int kMaxConflictRetries = 8;

}  // namespace

FileHistoryStore::FileHistoryStore(std::string path, size_t capacity)
    : path_(std::move(path)), capacity_(capacity) {}

std::optional<value> FileHistoryStore::ReadAll(bool* unreadable) const {
  *unreadable = false;
  std::ifstream in(path_);
  if (!in) {
    std::error_code error;
    if (!std::filesystem::exists(path_, error) && !error) return value::object();
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    value all = value::parse(text.str());
    if (all.is_object()) return all;
  } catch (const std::exception&) {
  }
  *unreadable = true;
  return value::object();
}

namespace {

void WarnUnreadable(const std::string& path) {
  spdlog::warn("history file {} is not a JSON object; starting from an empty history", path);
}

}  // namespace

Result<StoredHistories> FileHistoryStore::LoadAll() {
  // No lock: Save replaces the file by a rename, so a read sees one whole version.
  StoredHistories all;
  bool unreadable = false;
  const std::optional<value> stored = ReadAll(&unreadable);
  if (!stored) return Result<StoredHistories>::Error("cannot read history file " + path_);
  if (unreadable) WarnUnreadable(path_);
  for (const auto& [pipeline, history] : stored->as_object()) {
    all.emplace(pipeline, IncarnationHistory::FromJson(history, capacity_));
  }
  return Result<StoredHistories>::Ok(std::move(all));
}

std::optional<IncarnationHistory> FileHistoryStore::Save(const std::string& pipeline,
                                                         const IncarnationHistory& history) {
  const std::string temporary = path_ + ".tmp";
  bool unreadable = false;
  bool cannot_read = false;
  std::optional<std::string> failed;  // the file that could not be written, logged after unlocking
  std::optional<IncarnationHistory> saved;
  {
    // Held across the file's read-modify-write: that is what it serialises (see the header).
    MutexLock lock(&save_mu_);
    std::optional<value> read = ReadAll(&unreadable);
    if (!read) {
      cannot_read = true;
    } else {
      value& all = *read;
      const IncarnationHistory stored =
          all.has_field(pipeline) ? IncarnationHistory::FromJson(all.at(pipeline), capacity_)
                                  : IncarnationHistory(capacity_);
      IncarnationHistory merged = MergeHistories(WithKnownUuids(history), stored, capacity_);
      all[pipeline] = merged.ToJson();

      // Write a temporary file beside the real one and rename it over: readers see old or new,
      // whole.
      const std::string text = all.serialize();
      const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0) {
        failed = temporary;
      } else {
        const bool written =
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
        ::close(fd);
        if (!written || std::rename(temporary.c_str(), path_.c_str()) != 0) {
          failed = path_;
        } else {
          saved = std::move(merged);
        }
      }
    }
  }
  if (unreadable) WarnUnreadable(path_);
  if (cannot_read) {
    spdlog::error("cannot read history file {}: not replaced, the history of {} is not saved",
                  path_, pipeline);
  }
  if (failed) spdlog::error("cannot write history file {}", *failed);
  return saved;
}

ConfigMapHistoryStore::ConfigMapHistoryStore(kube::KubeConnection connection,
                                             std::string namespace_name, size_t capacity)
    : store_(std::move(connection), std::move(namespace_name)), capacity_(capacity) {}

std::string ConfigMapHistoryStore::ConfigMapName(const std::string& pipeline) {
  std::string readable;
  for (char c : pipeline) {
    if (readable.size() >= 40) break;
    const unsigned char u = static_cast<unsigned char>(c);
    readable += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
  }
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(pipeline));
  return "completion-sidecar-history-" + readable + "-" + std::string(hash, 8);
}

Result<StoredHistories> ConfigMapHistoryStore::LoadAll() {
  Result<std::vector<kube::ConfigMap>> listed =
      store_.List(std::string(kLabel) + "=" + kLabelValue);
  if (!listed.ok()) return Result<StoredHistories>::Error(listed.error());
  StoredHistories all;
  for (const kube::ConfigMap& config_map : listed.value()) {
    const auto pipeline = config_map.data.find(kPipelineKey);
    const auto data = config_map.data.find(kDataKey);
    // The name is checked too: a ConfigMap copied under another name is not this pipeline's.
    if (pipeline == config_map.data.end() || data == config_map.data.end() ||
        ConfigMapName(pipeline->second) != config_map.name) {
      continue;
    }
    std::error_code error;
    const value json = value::parse(data->second, error);
    if (error) {
      spdlog::warn("history ConfigMap {} is not JSON; ignored", config_map.name);
      continue;
    }
    all.insert_or_assign(pipeline->second, IncarnationHistory::FromJson(json, capacity_));
  }
  return Result<StoredHistories>::Ok(std::move(all));
}

std::optional<IncarnationHistory> ConfigMapHistoryStore::Save(const std::string& pipeline,
                                                              const IncarnationHistory& history) {
  const std::string name = ConfigMapName(pipeline);
  for (int attempt = 0; attempt < kMaxConflictRetries; ++attempt) {
    kube::ConfigMapResult got = store_.Get(name);
    kube::ConfigMap config_map;
    IncarnationHistory stored(capacity_);
    if (got.status == kube::ConfigMapStatus::kOk) {
      config_map = got.config_map;
      auto data = config_map.data.find(kDataKey);
      if (data != config_map.data.end()) {
        try {
          stored = IncarnationHistory::FromJson(value::parse(data->second), capacity_);
        } catch (const std::exception&) {
        }
      }
    } else if (got.status == kube::ConfigMapStatus::kNotFound) {
      config_map.name = name;
      config_map.labels[kLabel] = kLabelValue;
    } else {
      spdlog::warn("cannot read the history of '{}': {}", pipeline, got.error);
      return std::nullopt;
    }
    IncarnationHistory merged = MergeHistories(WithKnownUuids(history), stored, capacity_);
    config_map.data[kDataKey] = merged.ToJson().serialize();
    config_map.data[kPipelineKey] = pipeline;
    const kube::ConfigMapResult put = got.status == kube::ConfigMapStatus::kOk
                                          ? store_.Update(config_map)
                                          : store_.Create(config_map);
    if (put.status == kube::ConfigMapStatus::kOk) return merged;
    if (put.status != kube::ConfigMapStatus::kConflict) {
      spdlog::warn("cannot write the history of '{}': {}", pipeline, put.error);
      return std::nullopt;
    }
  }
  spdlog::warn("history of '{}' not written: it kept changing", pipeline);
  return std::nullopt;
}

HistoryWriter::HistoryWriter(std::shared_ptr<HistoryStore> store)
    : store_(std::move(store)), thread_([this] { Run(); }) {}

HistoryWriter::~HistoryWriter() {
  Flush();
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  cv_.SignalAll();
  thread_.join();
}

void HistoryWriter::Enqueue(const std::string& pipeline, const IncarnationHistory& history) {
  {
    MutexLock lock(&mu_);
    pending_.insert_or_assign(pipeline, history);
  }
  cv_.SignalAll();
}

void HistoryWriter::Flush() {
  MutexLock lock(&mu_);
  while (!pending_.empty() || writing_) cv_.Wait(&mu_);
}

void HistoryWriter::Run() {
  while (true) {
    std::map<std::string, IncarnationHistory>::node_type next;
    {
      MutexLock lock(&mu_);
      while (!stop_ && pending_.empty()) cv_.Wait(&mu_);
      if (pending_.empty()) return;  // stopping, nothing left
      next = pending_.extract(pending_.begin());
      writing_ = true;
    }
    store_->Save(next.key(), next.mapped());
    {
      MutexLock lock(&mu_);
      writing_ = false;
    }
    cv_.SignalAll();
  }
}

}  // namespace sidecar
