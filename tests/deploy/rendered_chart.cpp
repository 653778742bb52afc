#include "deploy/rendered_chart.h"

#include <algorithm>

#include "deploy/run_command.h"

namespace sidecar::testing {

RenderedChart RenderChart(const std::string& namespace_name, const std::vector<std::string>& values,
                          const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {HELM_PATH, "template",    kRelease,
                                   CHART_DIR, "--namespace", namespace_name};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  for (const std::string& value : values) {
    argv.push_back("--set");
    argv.push_back(value);
  }
  const CommandResult run = RunCommand(argv);
  RenderedChart chart;
  if (run.exit_code != 0) {
    chart.error = std::string(HELM_PATH) + " (exit " + std::to_string(run.exit_code) +
                  ", installed by scripts/install-deploy-tools): " + run.err;
    return chart;
  }
  try {
    for (const YAML::Node& doc : YAML::LoadAll(run.out)) {
      if (doc.IsMap()) chart.objects.push_back(doc);
    }
  } catch (const YAML::Exception& e) {
    chart.error = std::string("helm's output is not YAML: ") + e.what();
    return chart;
  }
  chart.ok = true;
  return chart;
}

YAML::Node FindObject(const std::vector<YAML::Node>& objects, const std::string& kind,
                      const std::string& name) {
  for (const YAML::Node& o : objects) {
    if (o["kind"].as<std::string>("") == kind &&
        o["metadata"]["name"].as<std::string>("") == name) {
      return o;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string ConfigFile(const std::vector<YAML::Node>& objects) {
  const YAML::Node map = FindObject(objects, "ConfigMap", std::string(kRelease) + "-config");
  return map ? map["data"]["config.yaml"].as<std::string>("") : "";
}

YAML::Node SidecarRuntimeConfig(const std::vector<YAML::Node>& objects) {
  const YAML::Node sidecar = FindObject(objects, "ConfigMap", std::string(kRelease) + "-sidecar");
  if (!sidecar || !sidecar["data"]["runtime-config.json"]) {
    return YAML::Node(YAML::NodeType::Undefined);
  }
  // JSON is YAML.
  return YAML::Load(sidecar["data"]["runtime-config.json"].as<std::string>(""));
}

YAML::Node ServiceContainer(const std::vector<YAML::Node>& objects) {
  if (const YAML::Node deployment = FindObject(objects, "Deployment", kRelease)) {
    return deployment["spec"]["template"]["spec"]["containers"][0];
  }
  if (const YAML::Node runtime_config = SidecarRuntimeConfig(objects)) {
    return runtime_config["init_containers"][0];
  }
  const YAML::Node sidecar = FindObject(objects, "ConfigMap", std::string(kRelease) + "-sidecar");
  if (!sidecar) return YAML::Node(YAML::NodeType::Undefined);
  return YAML::Load(sidecar["data"]["container.yaml"].as<std::string>(""));
}

std::string ServiceAccountName(const std::vector<YAML::Node>& objects) {
  if (const YAML::Node deployment = FindObject(objects, "Deployment", kRelease)) {
    return deployment["spec"]["template"]["spec"]["serviceAccountName"].as<std::string>("");
  }
  if (const YAML::Node runtime_config = SidecarRuntimeConfig(objects)) {
    return runtime_config["resources"]["service_account_name"].as<std::string>("");
  }
  const YAML::Node sidecar = FindObject(objects, "ConfigMap", std::string(kRelease) + "-sidecar");
  return sidecar ? sidecar["data"]["serviceAccountName"].as<std::string>("") : "";
}

int ContainerPort(const YAML::Node& container, const std::string& port) {
  if (!port.empty() && std::all_of(port.begin(), port.end(), ::isdigit)) return std::stoi(port);
  for (const YAML::Node& p : container["ports"]) {
    if (p["name"].as<std::string>("") == port) return p["containerPort"].as<int>(0);
  }
  return 0;
}

}  // namespace sidecar::testing
