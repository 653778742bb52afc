// The Helm chart rendered by the real helm (scripts/install-deploy-tools installs it), parsed,
// and the parts tests read off it: the config file, the container, its ports.
//
// Thread-compatible: RenderChart starts a process; the rest are pure functions.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sidecar::testing {

constexpr char kRelease[] = "completion-sidecar";

struct RenderedChart {
  bool ok = false;
  std::string error;  // helm's stderr when it failed
  std::vector<YAML::Node> objects;
};

// `helm template completion-sidecar charts/completion-sidecar --namespace NS --set V...`.
RenderedChart RenderChart(const std::string& namespace_name,
                          const std::vector<std::string>& values);

// The object of `kind` whose name is exactly `name`; an undefined node when there is none.
YAML::Node FindObject(const std::vector<YAML::Node>& objects, const std::string& kind,
                      const std::string& name);

// The service's config file, from the release's <release>-config ConfigMap; empty if absent.
std::string ConfigFile(const std::vector<YAML::Node>& objects);

// The completion-sidecar container: the Deployment's in cluster mode, the one in the
// <release>-sidecar ConfigMap's container.yaml in sidecar mode.
YAML::Node ServiceContainer(const std::vector<YAML::Node>& objects);

// The number of `container`'s port named `port` (or `port` itself when it is a number); 0 when
// the container has no such port.
int ContainerPort(const YAML::Node& container, const std::string& port);

}  // namespace sidecar::testing
