#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config_error.h"
#include "config/config_schema.h"
#include "config/config_value_types.h"

namespace sidecar {
namespace {

using R = Result<Config>;

// The next part of every key under `prefix` ("pipelines." gives probe_interval_ms, static, ...).
std::set<std::string> KeysUnder(const std::string& prefix) {
  std::set<std::string> parts;
  for (const ConfigKey& key : ConfigSchema()) {
    if (key.name.rfind(prefix, 0) != 0) continue;
    const std::string rest = key.name.substr(prefix.size());
    parts.insert(rest.substr(0, rest.find('.')));
  }
  return parts;
}

// Reads a map of the file whose keys are `prefix` + their names: each a key of the schema, or a
// section holding more.
void ApplyMap(Config& config, const YAML::Node& map, const std::string& prefix) {
  for (const auto& entry : map) {
    const std::string name = prefix + entry.first.Scalar();
    if (const ConfigKey* key = FindConfigKey(name)) {
      key->type.set(config, entry.second, name);
    } else if (!KeysUnder(name + ".").empty()) {
      if (!entry.second.IsMap()) RejectValue(name, NodeText(entry.second), "a map");
      ApplyMap(config, entry.second, name + ".");
    } else {
      std::string known;
      for (const auto& k : KeysUnder(prefix)) known += (known.empty() ? "" : ", ") + k;
      throw ConfigError{"config: unknown key '" + name + "'; known keys here: " + known};
    }
  }
}

void ApplyYaml(Config& config, const YAML::Node& root) {
  if (root.IsNull()) return;
  if (!root.IsMap()) RejectValue("<document>", NodeText(root), "a map");
  ApplyMap(config, root, "");
}

void ApplyYamlText(Config& config, const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError{"config: not valid YAML: " + std::string(e.what())};
  }
  ApplyYaml(config, root);
}

// --set KEY=VALUE: one key of the file, by its dotted name, read exactly as the file's would be
// (a container given no config file, such as a sidecar added through Feldera's init_containers,
// has only flags).
void ApplySetting(Config& config, const std::string& setting) {
  const size_t eq = setting.find('=');
  if (eq == std::string::npos || eq == 0)
    RejectValue("--set", setting, "KEY=VALUE, KEY a dotted config key");
  const std::string key = setting.substr(0, eq);
  YAML::Node root(YAML::NodeType::Map);
  YAML::Node node = root;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    if (dot == start) RejectValue("--set", setting, "KEY=VALUE, KEY a dotted config key");
    YAML::Node child = node[key.substr(start, dot - start)];
    child = YAML::Node(YAML::NodeType::Map);
    node.reset(child);
  }
  if (start == key.size()) RejectValue("--set", setting, "KEY=VALUE, KEY a dotted config key");
  node[key.substr(start)] = setting.substr(eq + 1);
  ApplyYaml(config, root);
}

}  // namespace

std::string Usage() {
  constexpr size_t kWidth = 100;
  const std::string program = "usage: completion-sidecar";
  std::string text = program;
  size_t column = text.size();
  const auto add = [&](const std::string& word) {
    if (column + 1 + word.size() > kWidth) {
      text += "\n" + std::string(program.size(), ' ');
      column = program.size();
    }
    text += " " + word;
    column += 1 + word.size();
  };
  add("[--config FILE]");
  for (const ConfigKey& key : ConfigSchema()) {
    if (key.flag.empty()) continue;
    const std::string syntax = key.from_flag ? key.flag_syntax : key.type.syntax;
    add("[" + key.flag + " " + syntax + "]" + (key.from_flag ? "..." : ""));
  }
  add("[--set KEY=VALUE]...");
  return text +
         "\n--set takes any key of the config file by its dotted name, e.g. "
         "kubernetes.history_namespace=NS.\n"
         "Serves Feldera's completion_status API for the pipelines given (see README).\n";
}

std::string ModeName(Mode mode) {
  switch (mode) {
    case Mode::kCluster:
      return "cluster";
    case Mode::kSidecar:
      return "sidecar";
    case Mode::kStandalone:
      break;
  }
  return "standalone";
}

// Settings that only make sense together, checked once everything is read.
void CheckConsistency(const Config& config) {
  if (config.mode == Mode::kSidecar && config.kubernetes.pod_name.empty()) {
    RejectValue("kubernetes.pod_name", "",
                "this pod's name in sidecar mode (downward API: POD_NAME)");
  }
  if (config.mode == Mode::kSidecar && config.kubernetes.pod_namespace.empty()) {
    RejectValue("kubernetes.pod_namespace", "",
                "this pod's namespace in sidecar mode (POD_NAMESPACE)");
  }
  if (config.metrics_listen && config.metrics_listen->port == config.listen_port &&
      config.metrics_listen->host == config.listen_host) {
    RejectValue("metrics_listen", config.listen_host + ":" + std::to_string(config.listen_port),
                "an address other than listen's");
  }
  if (config.mode != Mode::kStandalone && !config.static_pipelines.empty()) {
    RejectValue("pipelines.static", "<list>",
                "no static pipelines in " + ModeName(config.mode) + " mode");
  }
}

Result<Config> ParseConfigYaml(const std::string& yaml_text) {
  Config config = DefaultConfig();
  try {
    ApplyYamlText(config, yaml_text);
    CheckConsistency(config);
  } catch (const ConfigError& e) {
    return R::Error(e.line);
  }
  return R::Ok(std::move(config));
}

Result<Config> ConfigFromArgs(const std::vector<std::string>& args) {
  Config config = DefaultConfig();
  try {
    // The downward API hands a sidecar its pod's identity through the environment.
    for (const ConfigKey& key : ConfigSchema()) {
      if (key.env.empty()) continue;
      if (const char* value = std::getenv(key.env.c_str())) {
        key.type.set(config, YAML::Node(std::string(value)), "$" + key.env);
      }
    }
    // The file next, wherever --config stands, so that every flag overrides it.
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--config") {
        if (i + 1 >= args.size()) RejectValue("--config", "", "a file path");
        std::ifstream in(args[i + 1]);
        if (!in) throw ConfigError{"config: --config: cannot read '" + args[i + 1] + "'"};
        std::stringstream text;
        text << in.rdbuf();
        config.config_path = args[i + 1];
        ApplyYamlText(config, text.str());
      }
    }
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& flag = args[i];
      if (flag == "--help" || flag == "-h") return R::Error(Usage());
      if (i + 1 >= args.size())
        RejectValue(flag, "", "a value after the flag (or an unknown flag)");
      const std::string& value = args[++i];
      if (flag == "--config") continue;
      if (flag == "--set") {
        ApplySetting(config, value);
      } else if (const ConfigKey* key = FindConfigFlag(flag)) {
        if (key->from_flag) {
          key->from_flag(config, value, flag);
        } else {
          key->type.set(config, YAML::Node(value), flag);
        }
      } else {
        throw ConfigError{"config: unknown flag '" + flag + "'\n" + Usage()};
      }
    }
    CheckConsistency(config);
  } catch (const ConfigError& e) {
    return R::Error(e.line);
  }
  return R::Ok(std::move(config));
}

}  // namespace sidecar
