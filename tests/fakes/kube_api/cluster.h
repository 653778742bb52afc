// Cluster: what the API server does with its storage, for the resources the fake serves. Writes
// with their checks and defaults (uid, creationTimestamp, name from generateName, preconditions,
// no-op updates that write nothing), reads, paged and versioned lists (every page of one list cut
// from one kept snapshot), and watches that start from a revision, replay history or send the
// current state, then stay live.
//
// Thread-safe. One mutex orders every write and every watch registration, so each watch sees
// the revisions in order with no gap and no duplicate. Failures are thrown as ApiError.
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "fakes/kube_api/list_options.h"
#include "fakes/kube_api/list_snapshots.h"
#include "fakes/kube_api/object_store.h"
#include "fakes/kube_api/resource_types.h"
#include "fakes/kube_api/watch_hub.h"
#include "fakes/kube_api/watch_stream.h"

namespace sidecar::testing::kubefake {

// Where an update takes a pod's `status` from. A client's update of the main resource cannot
// change it (that is the status subresource's job, the kubelet's); tests stand in for the kubelet.
enum class StatusSource { kRequest, kKeepStored };

// DeleteOptions.preconditions.
struct DeletePreconditions {
  std::string uid;
  std::string resource_version;
};

class Cluster {
 public:
  explicit Cluster(std::chrono::milliseconds bookmark_interval);

  // `namespace_name` is the namespace of the request path. Empty (test-side calls only): the
  // object's own namespace, or "default".
  web::json::value Create(const ResourceType& type, const std::string& namespace_name,
                          web::json::value object);
  // Replaces the whole object. A non-empty `metadata.resourceVersion` must be the stored one
  // (else 409 Conflict); uid and creationTimestamp are kept.
  web::json::value Update(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name, web::json::value object,
                          StatusSource status = StatusSource::kRequest);
  web::json::value MergePatch(const ResourceType& type, const std::string& namespace_name,
                              const std::string& name, const web::json::value& patch,
                              StatusSource status = StatusSource::kRequest);
  // Runs `mutate` on a copy of the stored object (under the lock: it must not call back into
  // the cluster) and stores the result.
  web::json::value Mutate(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name,
                          const std::function<void(web::json::value&)>& mutate);
  // Returns the last state, with the deletion's resourceVersion.
  web::json::value Delete(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name, const DeletePreconditions& preconditions = {});

  std::optional<web::json::value> Get(const ResourceType& type, const std::string& namespace_name,
                                      const std::string& name) const;
  // A `{kind}List`, one page of it when a limit is given. A first page with more to read keeps
  // its snapshot for the continue pages; a continue token whose snapshot is no longer kept (or
  // whose revision is compacted) gets 410 Expired.
  web::json::value List(const ResourceType& type, const ListOptions& options);
  // Checks the request (a too new resourceVersion throws before any stream is opened), then
  // opens the stream with `open`, sends its first events and registers it. A too old
  // resourceVersion gets an ERROR event with a 410 Status, then the end of the stream.
  void Watch(const ResourceType& type, const ListOptions& options,
             const std::function<std::shared_ptr<WatchStream>()>& open);

  // "default" and every namespace holding an object.
  std::set<std::string> NamespacesInUse() const;

  // Forgets the history: lists and watches from older revisions get 410.
  void Compact();
  int64_t CurrentVersion() const;

  WatchHub& watches() { return watches_; }
  const WatchHub& watches() const { return watches_; }

 private:
  // Stores `object` under `key` unless it equals the stored one; returns what is stored.
  web::json::value WriteLocked(const ResourceType& type, const std::string& key,
                               web::json::value object);
  web::json::value UpdateLocked(const ResourceType& type, const std::string& namespace_name,
                                const std::string& name, web::json::value object,
                                StatusSource status);

  mutable std::mutex mutex_;
  ObjectStore store_;
  ListSnapshots snapshots_;
  WatchHub watches_;
};

}  // namespace sidecar::testing::kubefake
