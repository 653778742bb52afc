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

#include "kube/configmap_store.h"
#include "pipeline/incarnation.h"

namespace sidecar {

// Thread-safe. Calls block on I/O: use them from start-up or a HistoryWriter, never from a
// request handler.
class HistoryStore {
 public:
  virtual ~HistoryStore() = default;
  // The stored history of `pipeline`; empty if none is stored or it cannot be read.
  virtual IncarnationHistory Load(const std::string& pipeline) = 0;
  // Stores `history` merged with what is stored now, so concurrent writers lose nothing.
  // Returns the merged history written, or nullopt if it could not be written.
  virtual std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                                 const IncarnationHistory& history) = 0;
};

// One JSON file {"<pipeline>": [history...], ...}, replaced atomically (write, fsync, rename).
class FileHistoryStore : public HistoryStore {
 public:
  FileHistoryStore(std::string path, size_t capacity);
  IncarnationHistory Load(const std::string& pipeline) override;
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
  IncarnationHistory Load(const std::string& pipeline) override;
  std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                         const IncarnationHistory& history) override;

  // The ConfigMap's name for `pipeline`: a DNS-1123 name with a hash, so that distinct pipeline
  // names never share one.
  static std::string ConfigMapName(const std::string& pipeline);

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
