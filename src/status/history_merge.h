// Merging two records of one pipeline's incarnation history, as two replicas (or a replica and
// its own earlier run) may hold them. Pure function.
#pragma once

#include "status/incarnation.h"

namespace sidecar {

// The union of `a` and `b`, newest first, at most `capacity` entries. Entries that describe the
// same process (same incarnation UUID, or same pod uid and container id) become one, keeping
// every field either side knows; an end recorded on either side ends it, and an end with
// Kubernetes' details (exit code, finish time) wins over one without.
IncarnationHistory MergeHistories(const IncarnationHistory& a, const IncarnationHistory& b,
                                  size_t capacity);

// The entries worth keeping beyond this process: those bound to an incarnation UUID. One not yet
// bound has issued no token anybody holds, and two replicas could not tell whether their unbound
// entries are the same process.
IncarnationHistory WithKnownUuids(const IncarnationHistory& history);

}  // namespace sidecar
