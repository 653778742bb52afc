// Incarnations: one run of a pipeline process, and the bounded history of them per pipeline.
//
// Plain data plus a small container; not thread-safe (the owning Pipeline locks).
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <deque>
#include <optional>
#include <string>

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

  bool ended() const { return end.has_value(); }
  web::json::value ToJson() const;
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

  const std::deque<Incarnation>& entries() const { return entries_; }
  web::json::value ToJson() const;

 private:
  size_t capacity_;
  std::deque<Incarnation> entries_;
};

}  // namespace sidecar
