#include "pipeline/stats_transition.h"

namespace sidecar {

StatsTransition ApplyStats(IncarnationHistory& history, const StatsSnapshot& stats,
                           WallClock::time_point now) {
  StatsTransition t;
  Incarnation* newest = history.MutableNewest();
  const Incarnation* known = history.Find(stats.incarnation);
  if (known && known->ended()) return t;  // a late answer from a process known to be over
  if (newest && !newest->ended() && !newest->uuid) {
    // Kubernetes began this incarnation; the pipeline now says which one it is.
    newest->uuid = stats.incarnation;
    newest->start_time = stats.start_time;
    newest->initial_start_time = stats.initial_start_time;
    newest->resumed_from_checkpoint = stats.resumed_from_checkpoint;
    t.named = true;
    return t;
  }
  if (known) return t;
  t.previous = IncarnationLabel(history.Current());
  Incarnation next;
  next.uuid = stats.incarnation;
  next.start_time = stats.start_time;
  next.initial_start_time = stats.initial_start_time;
  next.resumed_from_checkpoint = stats.resumed_from_checkpoint;
  next.first_seen = now;
  history.Begin(next, IncarnationEnd{now, "Restarted", std::nullopt, "",
                                     "a new incarnation answered /stats"});
  t.began = true;
  return t;
}

std::string IncarnationLabel(const Incarnation* incarnation) {
  if (!incarnation) return "none";
  if (incarnation->uuid) return incarnation->uuid->ToString();
  return "pod " + incarnation->pod_uid + " container " + incarnation->container_id;
}

}  // namespace sidecar
