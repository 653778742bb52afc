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

// An image repository for rendering: the chart requires one (no registry publishes the image).
constexpr char kImageValue[] = "image.repository=registry.example.com/feldera/completion-sidecar";

// `helm template completion-sidecar charts/completion-sidecar --namespace NS --set V...`, with
// `extra_args` (e.g. --kube-version) before the values.
RenderedChart RenderChart(const std::string& namespace_name, const std::vector<std::string>& values,
                          const std::vector<std::string>& extra_args = {});

// The object of `kind` whose name is exactly `name`; an undefined node when there is none.
YAML::Node FindObject(const std::vector<YAML::Node>& objects, const std::string& kind,
                      const std::string& name);

// The service's config file, from the release's <release>-config ConfigMap; empty if absent
// (sidecar.route initContainers has none).
std::string ConfigFile(const std::vector<YAML::Node>& objects);

// Sidecar mode, sidecar.route initContainers: the runtime-config.json of the <release>-sidecar
// ConfigMap, parsed; undefined when absent.
YAML::Node SidecarRuntimeConfig(const std::vector<YAML::Node>& objects);

// The completion-sidecar container: the Deployment's in cluster mode; in sidecar mode the one in
// the <release>-sidecar ConfigMap (runtime-config.json's init_containers, or container.yaml).
YAML::Node ServiceContainer(const std::vector<YAML::Node>& objects);

// The ServiceAccount the service runs as: the Deployment's, or the pipeline pods' in sidecar
// mode (runtime-config.json's resources.service_account_name, or serviceAccountName).
std::string ServiceAccountName(const std::vector<YAML::Node>& objects);

// The number of `container`'s port named `port` (or `port` itself when it is a number); 0 when
// the container has no such port.
int ContainerPort(const YAML::Node& container, const std::string& port);

}  // namespace sidecar::testing
