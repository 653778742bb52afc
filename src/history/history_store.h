// Where incarnation histories are kept across restarts of the service, and shared between its
// replicas: one ConfigMap per pipeline in Kubernetes, or one local file in standalone mode.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"
#include "kube/configmap_store.h"
#include "status/incarnation.h"

namespace sidecar {

// Thread-safe. Calls block on I/O: use them from start-up or a HistoryWriter, never from a
// request handler.
// Every stored history, by pipeline name.
using StoredHistories = std::map<std::string, IncarnationHistory>;

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;
  // Every stored history, read at once (one listing, not one read per pipeline); an error when
  // the store cannot be read. Histories that cannot be parsed are skipped, with a warning.
  virtual Result<StoredHistories> LoadAll() = 0;
  // Stores `history` merged with what is stored now, so concurrent writers lose nothing.
  // Returns the merged history written, or nullopt if it could not be written.
  virtual std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                                 const IncarnationHistory& history) = 0;
};

// One JSON file {"<pipeline>": [history...], ...}, replaced atomically (write, fsync, rename).
class FileHistoryStore : public HistoryStore {
 public:
  FileHistoryStore(std::string path, size_t capacity);
  Result<StoredHistories> LoadAll() override;
  std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                         const IncarnationHistory& history) override;

 private:
  web::json::value ReadAll() const;

  const std::string path_;
  const size_t capacity_;
  std::mutex mu_;
};

// One ConfigMap per pipeline, updated with resourceVersion preconditions and retried on 409.
class ConfigMapHistoryStore : public HistoryStore {
 public:
  ConfigMapHistoryStore(kube::KubeConnection connection, std::string namespace_name,
                        size_t capacity);
  Result<StoredHistories> LoadAll() override;
  std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                         const IncarnationHistory& history) override;

  // The ConfigMap's name for `pipeline`: a DNS-1123 name with a hash, so that distinct pipeline
  // names never share one.
  static std::string ConfigMapName(const std::string& pipeline);
  // The label every history ConfigMap carries, found by LoadAll's listing.
  static constexpr char kLabel[] = "app.kubernetes.io/managed-by";
  static constexpr char kLabelValue[] = "completion-sidecar";

 private:
  kube::ConfigMapStore store_;
  const size_t capacity_;
};

// Saves histories on a thread of its own, so that callers never wait on the store. Only the
// latest history of each pipeline is kept pending; Flush() waits until all are written.
class HistoryWriter {
 public:
  explicit HistoryWriter(std::shared_ptr<HistoryStore> store);
  ~HistoryWriter();  // flushes

  void Enqueue(const std::string& pipeline, const IncarnationHistory& history);
  void Flush();

 private:
  void Run();

  const std::shared_ptr<HistoryStore> store_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, IncarnationHistory> pending_;
  bool writing_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sidecar
