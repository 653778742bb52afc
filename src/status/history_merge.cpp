#include "status/history_merge.h"

#include <algorithm>
#include <vector>

namespace sidecar {
namespace {

bool SameProcess(const Incarnation& x, const Incarnation& y) {
  if (x.uuid && y.uuid) return x.uuid == y.uuid;
  return x.has_pod_identity() && x.pod_uid == y.pod_uid && !x.container_id.empty() &&
         x.container_id == y.container_id;
}

// How much an end tells: Kubernetes' details beat an end seen only through /stats.
int Detail(const IncarnationEnd& e) {
  return (e.exit_code ? 2 : 0) + (e.finished_at.empty() ? 0 : 1);
}

void Absorb(Incarnation& into, const Incarnation& from) {
  if (!into.uuid) into.uuid = from.uuid;
  if (into.start_time.empty()) into.start_time = from.start_time;
  if (into.initial_start_time.empty()) into.initial_start_time = from.initial_start_time;
  into.resumed_from_checkpoint = into.resumed_from_checkpoint || from.resumed_from_checkpoint;
  into.first_seen = std::min(into.first_seen, from.first_seen);
  if (!into.has_pod_identity()) {
    into.pod_uid = from.pod_uid;
    into.container_id = from.container_id;
    into.restart_count = from.restart_count;
  }
  if (from.end && (!into.end || Detail(*from.end) > Detail(*into.end))) into.end = from.end;
}

}  // namespace

IncarnationHistory MergeHistories(const IncarnationHistory& a, const IncarnationHistory& b,
                                  size_t capacity) {
  std::vector<Incarnation> merged(a.entries().begin(), a.entries().end());
  for (const Incarnation& entry : b.entries()) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const Incarnation& m) { return SameProcess(m, entry); });
    if (same == merged.end()) {
      merged.push_back(entry);
    } else {
      Absorb(*same, entry);
    }
  }
  std::stable_sort(merged.begin(), merged.end(), [](const Incarnation& x, const Incarnation& y) {
    return x.first_seen > y.first_seen;
  });
  // Only the newest can still run: a newer one began after every other.
  for (size_t i = 1; i < merged.size(); ++i) {
    if (!merged[i].end) {
      merged[i].end = IncarnationEnd{merged[i - 1].first_seen, "Restarted", std::nullopt, "",
                                     "a newer incarnation began"};
    }
  }
  web::json::value list = web::json::value::array();
  for (size_t i = 0; i < merged.size() && i < capacity; ++i) list[i] = merged[i].ToJson();
  return IncarnationHistory::FromJson(list, capacity);
}

IncarnationHistory WithKnownUuids(const IncarnationHistory& history) {
  web::json::value list = web::json::value::array();
  size_t n = 0;
  for (const Incarnation& entry : history.entries()) {
    if (entry.uuid) list[n++] = entry.ToJson();
  }
  return IncarnationHistory::FromJson(list, history.capacity());
}

}  // namespace sidecar
