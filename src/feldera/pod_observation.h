// What the service needs to know about one Feldera pipeline pod, read from a Kubernetes Pod object.
//
// Feldera's Kubernetes runner makes a StatefulSet `pipeline-<pipeline-id>` per pipeline; its pod
// `pipeline-<pipeline-id>-<ordinal>` runs the pipeline process, and ordinal 0 is the pipeline's API
// host. ObservePod reduces such a Pod to the plain struct below; the incarnation logic works on
// that struct only. Pure functions over values, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <variant>

#include "common/result.h"
#include "feldera/pod_rules.h"

namespace sidecar {

// PodRules ready to apply, the name pattern compiled.
struct PodObservationOptions : PodRules {
  std::regex name_regex{kDefaultPipelinePodNamePattern};
};

// Compiles `rules` (the pattern must be a valid expression with exactly two capture groups).
Result<PodObservationOptions> CompilePodRules(const PodRules& rules);
// Compiles one pod name pattern, with the same checks.
Result<std::regex> CompilePodNamePattern(const std::string& pattern);

// Timestamps below are RFC 3339 strings as the API server sends them; empty when absent.
struct WaitingState {
  std::string reason;  // e.g. ContainerCreating, CrashLoopBackOff
  friend bool operator==(const WaitingState&, const WaitingState&) = default;
};

struct RunningState {
  std::string started_at;
  friend bool operator==(const RunningState&, const RunningState&) = default;
};

struct TerminatedState {
  std::string reason;  // e.g. OOMKilled, Error, Completed
  std::optional<int64_t> exit_code;
  std::string started_at;
  std::string finished_at;
  std::string container_id;
  friend bool operator==(const TerminatedState&, const TerminatedState&) = default;
};

// std::monostate: the kubelet reported no state.
using ContainerState = std::variant<std::monostate, WaitingState, RunningState, TerminatedState>;

// The pipeline container's status entry.
struct ContainerObservation {
  std::string name;
  std::string container_id;  // runtime://id of the current container; changes on every restart
  int64_t restart_count = 0;
  bool ready = false;
  ContainerState state;
  std::optional<TerminatedState> last_terminated;  // lastState.terminated: why it last stopped
  friend bool operator==(const ContainerObservation&, const ContainerObservation&) = default;
};

struct PodObservation {
  std::string namespace_name;
  std::string pod_name;
  std::string uid;  // a pod deleted and recreated under the same name gets a new uid
  std::string resource_version;
  std::string phase;      // Pending, Running, Succeeded, Failed, Unknown; empty when absent
  std::string reason;     // pod-level, e.g. Evicted
  std::string message;    // pod-level, e.g. "The node was low on resource: memory."
  bool deleting = false;  // metadata.deletionTimestamp is set
  std::string pod_ip;
  std::string pipeline_id;    // from the pod name
  int ordinal = 0;            // StatefulSet ordinal from the pod name; 0 is the API host
  std::string pipeline_name;  // from the name label; empty when the label is absent
  // Absent until the kubelet reports the container (Pending pods, evicted pods).
  std::optional<ContainerObservation> container;
  int port = 0;  // the pipeline container's HTTP port (named port, else the default)
  friend bool operator==(const PodObservation&, const PodObservation&) = default;
};

// Reads a Pod object. Returns nullopt when it is not a pipeline pod (its name does not match the
// pattern) or is malformed: not an object, no string name or uid, an ordinal beyond int, or a
// pipeline container status without a non-negative integer restartCount. Any other field that is
// absent or of the wrong type reads as empty. Never throws.
std::optional<PodObservation> ObservePod(const web::json::value& pod,
                                         const PodObservationOptions& options = {});

// The part of a Pod object that ObservePod reads, so that a reflector keeps a few hundred bytes
// per pod rather than the whole object: ObservePod(*ProjectPod(pod)) == ObservePod(pod) for
// every pod. The metadata a reflector keys its store by (name, namespace, uid, resourceVersion)
// is kept. nullopt for a pod that is not a pipeline pod by its name — for good, since a pod's name
// never changes.
std::optional<web::json::value> ProjectPod(const web::json::value& pod,
                                           const PodObservationOptions& options = {});

}  // namespace sidecar
