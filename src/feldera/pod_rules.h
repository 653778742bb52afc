// How a pod is read as a Feldera pipeline pod, as the `pipelines.*` configuration keys say. The
// defaults are Feldera's own (its Kubernetes runner's pod names, label, container and port); they
// are declared here once, and the config schema's defaults are held equal to them by a test.
#pragma once

#include <string>

namespace sidecar {

// Matches `pipeline-<uuid>-<ordinal>`; group 1 is the pipeline id, group 2 the ordinal.
inline constexpr char kDefaultPipelinePodNamePattern[] =
    "pipeline-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})-([0-9]+"
    ")";

struct PodRules {
  // Label holding the pipeline's name; a pod without it is still a pipeline pod.
  std::string name_label = "feldera.com/pipeline-name";
  // Must match the whole pod name, with exactly two capture groups: pipeline id, then ordinal.
  // Empty: kDefaultPipelinePodNamePattern.
  std::string pod_name_pattern;
  // The pipeline container's name; empty means the pod's first container.
  std::string container = "pipeline";
  // The container port to use is the one with this name, else `port`.
  std::string port_name = "http";
  int port = 8080;
  // The scheme of a pod's pipeline URL: "https" where Feldera serves pipelines over TLS.
  std::string scheme = "http";

  bool operator==(const PodRules&) const = default;
};

}  // namespace sidecar
