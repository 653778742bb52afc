// KnownPipelines: the pipelines the service knows before, or without, seeing their pods — those
// whose incarnation history the store holds, and (with `feldera.api_url`) every pipeline Feldera's
// API server lists. They are served while down: a token of an ended incarnation gets 410, anything
// else 503 PipelineInteractionNotDeployed — as Feldera's manager answers for a pipeline that
// exists but does not run — never the 404 of a pipeline nobody knows.
//
// Its thread reads the store once, with one listing (retried with backoff until it succeeds),
// then Feldera's pipeline list every refresh interval. The histories read are merged into
// pipelines already served and handed to pipelines made later (StoredHistory), so that a pod seen
// before or after the listing finds its pipeline's history either way. No I/O happens under the
// registry's lock.
//
// Thread-safe: one mutex guards what the thread has read and its stop flag; it is never held across
// I/O or a call into the registry.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/mutex.h"
#include "discovery/feldera_names.h"
#include "history/history_store.h"
#include "pipeline/registry.h"

namespace sidecar {

class KnownPipelines {
 public:
  struct Options {
    // Serve every pipeline the store or Feldera knows (cluster mode). Without it (sidecar mode,
    // one pipeline), stored histories only reach the pipelines found in Kubernetes.
    bool serve_all = true;
    // How often Feldera's pipeline list is read again.
    std::chrono::milliseconds names_interval = std::chrono::seconds(30);
  };
  // Makes a pipeline that no pod runs yet (PipelineRegistry::FindOrAdd runs it without its lock).
  using PipelineFactory = std::function<std::shared_ptr<Pipeline>(const std::string& name)>;

  // `store` and `names` may be null (nothing to read there).
  KnownPipelines(PipelineRegistry& registry, std::shared_ptr<HistoryStore> store,
                 std::shared_ptr<FelderaPipelineNames> names, Options options);
  ~KnownPipelines() EXCLUDES(mu_);  // stops the thread
  KnownPipelines(const KnownPipelines&) = delete;
  KnownPipelines& operator=(const KnownPipelines&) = delete;

  // Starts reading; `make` makes the pipelines it serves.
  void Start(PipelineFactory make);

  // The history the store held for `pipeline`, once the listing is read; empty before.
  std::optional<IncarnationHistory> StoredHistory(const std::string& pipeline) const EXCLUDES(mu_);
  // True once the store has been read (at once without a store) and Feldera's list has been
  // asked for once (whether or not it answered).
  bool loaded() const EXCLUDES(mu_);

 private:
  void Run(const PipelineFactory& make) EXCLUDES(mu_);
  // Reads the store until it succeeds or the object stops; false when stopped.
  bool LoadHistories(const PipelineFactory& make) EXCLUDES(mu_);
  void ServeFelderaPipelines(const PipelineFactory& make) EXCLUDES(mu_);
  // Waits `delay` unless stopped first; false when stopped.
  bool Wait(std::chrono::milliseconds delay) EXCLUDES(mu_);

  PipelineRegistry& registry_;
  const std::shared_ptr<HistoryStore> store_;
  const std::shared_ptr<FelderaPipelineNames> names_;
  const Options options_;

  mutable Mutex mu_;
  CondVar stop_cv_;  // signalled when `stop_` is set
  bool stop_ GUARDED_BY(mu_) = false;
  std::optional<StoredHistories> histories_ GUARDED_BY(mu_);
  bool names_asked_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sidecar
