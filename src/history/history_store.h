// Where incarnation histories are kept across restarts of the service, and shared between its
// replicas: one ConfigMap per pipeline in Kubernetes, or one local file in standalone mode.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/mutex.h"
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
// Thread-safe: LoadAll reads without a lock (the file is only ever replaced whole); saves are
// serialised by `save_mu_`, which guards the file's read-modify-write and the temporary file beside
// it rather than any member, and so is held across that file I/O (nothing else ever waits on it).
class FileHistoryStore : public HistoryStore {
 public:
  FileHistoryStore(std::string path, size_t capacity);
  Result<StoredHistories> LoadAll() override EXCLUDES(save_mu_);
  std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                         const IncarnationHistory& history) override
      EXCLUDES(save_mu_);

 private:
  // The file's object; empty when missing, and when not a JSON object (`*unreadable` set then).
  // nullopt when the file exists but cannot be opened (permissions, I/O): its contents are not
  // known, so nothing may replace them.
  std::optional<web::json::value> ReadAll(bool* unreadable) const;

  const std::string path_;
  const size_t capacity_;
  Mutex save_mu_;
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
// latest history of each pipeline is kept pending; Flush() waits until each has been saved or its
// save has failed. A failed save is logged by the store and not retried: the pipeline's next
// change saves its whole history again, so only a failure of the last save before shutdown loses
// anything.
// Thread-safe: `mu_` guards the queue only; the store is called without it.
class HistoryWriter {
 public:
  explicit HistoryWriter(std::shared_ptr<HistoryStore> store);
  ~HistoryWriter() EXCLUDES(mu_);  // flushes

  void Enqueue(const std::string& pipeline, const IncarnationHistory& history) EXCLUDES(mu_);
  void Flush() EXCLUDES(mu_);

 private:
  void Run() EXCLUDES(mu_);

  const std::shared_ptr<HistoryStore> store_;
  Mutex mu_;
  CondVar cv_;  // signalled when the queue, `writing_` or `stop_` change
  std::map<std::string, IncarnationHistory> pending_ GUARDED_BY(mu_);
  bool writing_ GUARDED_BY(mu_) = false;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sidecar
