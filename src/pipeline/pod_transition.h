// What a change to a pipeline's pod means for its incarnations. Pure functions.
//
// An incarnation is one run of the pipeline process. Kubernetes shows a new one as a new pod UID
// (a StatefulSet pod recreated under the same name), or a new container ID or a higher restart
// count of the pipeline container; it shows the end of one as the container terminated, or the pod
// deleted, evicted or failed. The end counts from the moment Kubernetes shows it, even while
// nothing else could answer for the pipeline.
#pragma once

#include <optional>
#include <string>

#include "feldera/pod_observation.h"
#include "status/incarnation.h"

namespace sidecar {

struct PodTransition {
  // The newest incarnation ended, and how.
  std::optional<IncarnationEnd> end;
  // A new process runs: an incarnation begins, with this pod identity.
  bool begin = false;
  // The newest incarnation was begun from /stats before Kubernetes reported its container: it
  // takes this pod identity.
  bool adopt = false;
  // How an incarnation already recorded as ended really ended (Kubernetes' reason and exit code,
  // in place of what the pipeline could tell): with adopt, the one before the newest; else the
  // newest.
  std::optional<IncarnationEnd> previous_end;
  std::string pod_uid;
  std::string container_id;
  int64_t restart_count = -1;
  // The pipeline container runs and can be asked (status.podIP and its port).
  bool running = false;
  std::string pod_ip;
  int port = 0;
};

// `pod` changed (added or modified). `history` is the pipeline's, before the change.
PodTransition ApplyPodChange(const IncarnationHistory& history, const PodObservation& pod,
                             WallClock::time_point now);

// `pod` was deleted (its last known state).
PodTransition ApplyPodDeletion(const IncarnationHistory& history, const PodObservation& pod,
                               WallClock::time_point now);

// Applies `t` to `history`: the adoption, the end, then the beginning of an incarnation.
void ApplyToHistory(IncarnationHistory& history, const PodTransition& t, WallClock::time_point now);

}  // namespace sidecar
