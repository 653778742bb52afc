// Incarnations: one run of a pipeline process, and the bounded history of them per pipeline.
//
// Plain data plus a small container; not thread-safe (the owning Pipeline locks).
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "token/uuid.h"

namespace sidecar {

// How and when an incarnation ended, as far as the service knows.
struct IncarnationEnd {
  WallClock::time_point observed_at;  // when the service learned of the end
  std::string reason;                 // e.g. "Restarted", "OOMKilled", "Evicted", "Deleted"
  std::optional<int> exit_code;
  std::string finished_at;  // RFC 3339, when the process ended (if known)
  std::string message;
};

struct Incarnation {
  // Feldera's incarnation_uuid, known once the pipeline answered /stats.
  std::optional<Uuid> uuid;
  std::string start_time;          // RFC 3339, from /stats
  std::string initial_start_time;  // earlier than start_time after a resume from checkpoint
  bool resumed_from_checkpoint = false;
  WallClock::time_point first_seen;
  std::optional<IncarnationEnd> end;

  // The process in Kubernetes terms, when known: the pod (by uid) and its pipeline container.
  std::string pod_uid;
  std::string container_id;
  int64_t restart_count = -1;  // -1: unknown

  bool ended() const { return end.has_value(); }
  bool has_pod_identity() const { return !pod_uid.empty(); }
  web::json::value ToJson() const;
  // Reads what ToJson wrote; nullopt for anything malformed.
  static std::optional<Incarnation> FromJson(const web::json::value& json);
};

// The last N incarnations of one pipeline, newest first.
class IncarnationHistory {
 public:
  explicit IncarnationHistory(size_t capacity = 32) : capacity_(capacity) {}

  // The newest incarnation if it has not ended.
  const Incarnation* Current() const;
  // The newest incarnation, ended or not.
  const Incarnation* Newest() const;
  const Incarnation* Find(const Uuid& uuid) const;

  // Starts a new incarnation; the current one, if any, ends with `end_of_previous`.
  void Begin(Incarnation next, const IncarnationEnd& end_of_previous);
  // Ends the current incarnation, if any.
  void EndCurrent(const IncarnationEnd& end);
  // The newest incarnation, for in-place updates (binding its UUID or pod identity).
  Incarnation* MutableNewest() { return entries_.empty() ? nullptr : &entries_.front(); }
  // The second newest incarnation: the one the newest replaced.
  Incarnation* MutablePrevious() { return entries_.size() < 2 ? nullptr : &entries_[1]; }

  const std::vector<Incarnation>& entries() const { return entries_; }
  size_t capacity() const { return capacity_; }
  web::json::value ToJson() const;
  // Reads a list ToJson wrote, newest first; malformed entries are skipped.
  static IncarnationHistory FromJson(const web::json::value& json, size_t capacity);

 private:
  size_t capacity_;
  // A vector, not a deque: a history holds a few entries, and libstdc++'s deque allocates a
  // 512-byte node per Incarnation and a node map besides, for each of thousands of pipelines.
  std::vector<Incarnation> entries_;
};

}  // namespace sidecar
