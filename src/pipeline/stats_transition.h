// What a pipeline's /stats answer means for its incarnations. Pure functions.
//
// /stats names the incarnation that answers. It may name the incarnation Kubernetes began (which
// then gets its UUID and start times), one already known (nothing new; a late answer from an
// ended one changes nothing), or a new one: a restart seen before Kubernetes reports it, or a
// suspend and resume inside the process. The new one begins, and ends the one before it.
#pragma once

#include <string>

#include "common/time.h"
#include "status/incarnation.h"
#include "status/pipeline_answers.h"

namespace sidecar {

struct StatsTransition {
  bool named = false;    // the incarnation Kubernetes began now has the UUID /stats gives
  bool began = false;    // a new incarnation began, ending `previous`
  std::string previous;  // IncarnationLabel of the one that was current, when `began`

  bool history_changed() const { return named || began; }
};

// Applies `stats` to `history` (seen at `now`).
StatsTransition ApplyStats(IncarnationHistory& history, const StatsSnapshot& stats,
                           WallClock::time_point now);

// An incarnation as the log names it: its UUID, else its pod and container, or "none".
std::string IncarnationLabel(const Incarnation* incarnation);

}  // namespace sidecar
