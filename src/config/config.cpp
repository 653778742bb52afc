#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace sidecar {
namespace {

using R = Result<Config>;

// A failed check: the one line that start-up prints.
struct ConfigError {
  std::string line;
};

[[noreturn]] void Fail(const std::string& key, const std::string& value,
                       const std::string& allowed) {
  throw ConfigError{"config: " + key + ": '" + value + "' is not allowed; expected " + allowed};
}

std::string Scalar(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsSequence()) return "<list>";
  if (node.IsMap()) return "<map>";
  return "<null>";
}

void RejectUnknownKeys(const YAML::Node& map, const std::string& prefix,
                       const std::set<std::string>& known) {
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (!known.count(key)) {
      std::string allowed;
      for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
      throw ConfigError{"config: unknown key '" + prefix + key + "'; known keys here: " + allowed};
    }
  }
}

YAML::Node ExpectMap(const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) Fail(key, Scalar(node), "a map");
  return node;
}

int ParseInt(const std::string& key, const std::string& text, int min, int max) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    Fail(key, text, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

int IntField(const YAML::Node& node, const std::string& key, int min, int max) {
  if (!node.IsScalar()) Fail(key, Scalar(node), "an integer");
  return ParseInt(key, node.Scalar(), min, max);
}

std::string OneOf(const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (value == a) return value;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
  Fail(key, value, "one of " + list);
}

std::string StringField(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) Fail(key, Scalar(node), "a string");
  return node.Scalar();
}

// A pipeline name as Feldera allows it: letters, digits, '_' and '-', at most 100 characters.
bool ValidPipelineName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool ValidBaseUrl(const std::string& url) {
  for (const std::string scheme : {"http://", "https://"}) {
    if (url.rfind(scheme, 0) == 0) return url.size() > scheme.size() && url[scheme.size()] != '/';
  }
  return false;
}

void AddPipeline(Config& config, const std::string& key, const std::string& name,
                 const std::string& url) {
  if (!ValidPipelineName(name)) {
    Fail(key + ".name", name, "1 to 100 letters, digits, '_' or '-'");
  }
  if (!ValidBaseUrl(url)) Fail(key + ".url", url, "an http:// or https:// base URL");
  for (const auto& p : config.static_pipelines) {
    if (p.name == name) Fail(key + ".name", name, "a name not given twice");
  }
  std::string base = url;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  config.static_pipelines.push_back({name, base});
}

ListenAddress ParseListenAddress(const std::string& key, const std::string& value) {
  const size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) Fail(key, value, "HOST:PORT");
  return {value.substr(0, colon), ParseInt(key, value.substr(colon + 1), 1, 65535)};
}

void ParseListen(Config& config, const std::string& key, const std::string& value) {
  const ListenAddress address = ParseListenAddress(key, value);
  config.listen_host = address.host;
  config.listen_port = address.port;
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

Mode ParseMode(const std::string& key, const std::string& value) {
  const std::string name = OneOf(key, value, {"standalone", "cluster", "sidecar"});
  if (name == "cluster") return Mode::kCluster;
  if (name == "sidecar") return Mode::kSidecar;
  return Mode::kStandalone;
}

void ApplyKubernetes(Config& config, const YAML::Node& node) {
  ExpectMap(node, "kubernetes");
  RejectUnknownKeys(node, "kubernetes.",
                    {"api_url", "kubeconfig", "namespace", "pod_selector", "pod_name",
                     "pod_namespace", "history_namespace", "history_size"});
  KubernetesConfig& k = config.kubernetes;
  const std::pair<const char*, std::string*> strings[] = {
      {"api_url", &k.api_url},
      {"kubeconfig", &k.kubeconfig},
      {"namespace", &k.namespace_name},
      {"pod_selector", &k.pod_selector},
      {"pod_name", &k.pod_name},
      {"pod_namespace", &k.pod_namespace},
      {"history_namespace", &k.history_namespace}};
  for (const auto& [key, field] : strings) {
    if (node[key]) *field = StringField(node[key], std::string("kubernetes.") + key);
  }
  if (!k.api_url.empty() && !ValidBaseUrl(k.api_url)) {
    Fail("kubernetes.api_url", k.api_url, "an http:// or https:// URL");
  }
  if (node["history_size"]) {
    k.history_size = IntField(node["history_size"], "kubernetes.history_size", 1, 1000);
  }
}

void ApplyPodRules(PodRules& pods, const YAML::Node& pipelines) {
  const std::pair<const char*, std::string*> strings[] = {
      {"name_label", &pods.name_label},
      {"pod_name_pattern", &pods.pod_name_pattern},
      {"container", &pods.container},
      {"port_name", &pods.port_name}};
  for (const auto& [key, field] : strings) {
    if (pipelines[key]) *field = StringField(pipelines[key], std::string("pipelines.") + key);
  }
  if (pipelines["port"]) pods.port = IntField(pipelines["port"], "pipelines.port", 1, 65535);
  if (pipelines["scheme"]) {
    pods.scheme = OneOf("pipelines.scheme", StringField(pipelines["scheme"], "pipelines.scheme"),
                        {"http", "https"});
  }
}

void ApplyYaml(Config& config, const YAML::Node& root) {
  if (root.IsNull()) return;
  ExpectMap(root, "<document>");
  RejectUnknownKeys(
      root, "",
      {"mode", "listen", "metrics_listen", "threads", "pipelines", "kubernetes", "history",
       "upstream", "tracker", "feldera", "auth", "limits", "shutdown_grace_ms", "log"});
  if (root["mode"]) config.mode = ParseMode("mode", StringField(root["mode"], "mode"));
  if (root["kubernetes"]) ApplyKubernetes(config, root["kubernetes"]);
  if (const YAML::Node history = root["history"]) {
    ExpectMap(history, "history");
    RejectUnknownKeys(history, "history.", {"path"});
    if (history["path"]) config.history_path = StringField(history["path"], "history.path");
  }
  if (root["listen"]) ParseListen(config, "listen", StringField(root["listen"], "listen"));
  if (root["metrics_listen"]) {
    config.metrics_listen =
        ParseListenAddress("metrics_listen", StringField(root["metrics_listen"], "metrics_listen"));
  }
  if (const YAML::Node limits = root["limits"]) {
    ExpectMap(limits, "limits");
    RejectUnknownKeys(limits, "limits.",
                      {"max_url_bytes", "max_headers", "max_header_bytes", "max_body_bytes",
                       "max_held_long_polls"});
    RequestLimits& l = config.limits;
    if (limits["max_url_bytes"])
      l.max_target_bytes = IntField(limits["max_url_bytes"], "limits.max_url_bytes", 256, 1 << 20);
    if (limits["max_headers"])
      l.max_headers = IntField(limits["max_headers"], "limits.max_headers", 8, 10000);
    if (limits["max_header_bytes"]) {
      l.max_header_bytes =
          IntField(limits["max_header_bytes"], "limits.max_header_bytes", 1024, 1 << 24);
    }
    if (limits["max_body_bytes"]) {
      l.max_body_bytes = IntField(limits["max_body_bytes"], "limits.max_body_bytes", 1024, 1 << 30);
    }
    if (limits["max_held_long_polls"]) {
      l.max_held_long_polls =
          IntField(limits["max_held_long_polls"], "limits.max_held_long_polls", 0, 1000000);
    }
  }
  if (const YAML::Node auth = root["auth"]) {
    ExpectMap(auth, "auth");
    RejectUnknownKeys(auth, "auth.", {"api_keys_file"});
    if (auth["api_keys_file"])
      config.api_keys_file = StringField(auth["api_keys_file"], "auth.api_keys_file");
  }
  if (root["threads"]) config.threads = IntField(root["threads"], "threads", 1, 64);
  if (root["shutdown_grace_ms"]) {
    config.shutdown_grace_ms =
        IntField(root["shutdown_grace_ms"], "shutdown_grace_ms", 100, 600000);
  }

  if (const YAML::Node pipelines = root["pipelines"]) {
    ExpectMap(pipelines, "pipelines");
    RejectUnknownKeys(pipelines, "pipelines.",
                      {"static", "probe_interval_ms", "name_label", "pod_name_pattern", "container",
                       "port_name", "port", "scheme", "api_key_file"});
    if (pipelines["api_key_file"]) {
      config.pipelines_api_key_file =
          StringField(pipelines["api_key_file"], "pipelines.api_key_file");
    }
    ApplyPodRules(config.pods, pipelines);
    if (pipelines["probe_interval_ms"]) {
      config.probe_interval_ms =
          IntField(pipelines["probe_interval_ms"], "pipelines.probe_interval_ms", 50, 600000);
    }
    if (const YAML::Node list = pipelines["static"]) {
      if (!list.IsSequence()) Fail("pipelines.static", Scalar(list), "a list of {name, url}");
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string key = "pipelines.static[" + std::to_string(i) + "]";
        ExpectMap(list[i], key);
        RejectUnknownKeys(list[i], key + ".", {"name", "url"});
        if (!list[i]["name"] || !list[i]["url"]) Fail(key, "<incomplete>", "both name and url");
        AddPipeline(config, key, StringField(list[i]["name"], key + ".name"),
                    StringField(list[i]["url"], key + ".url"));
      }
    }
  }
  if (const YAML::Node upstream = root["upstream"]) {
    ExpectMap(upstream, "upstream");
    RejectUnknownKeys(upstream, "upstream.", {"timeout_ms", "ca_file", "tls_server_name"});
    if (upstream["timeout_ms"]) {
      config.upstream_timeout_ms =
          IntField(upstream["timeout_ms"], "upstream.timeout_ms", 100, 600000);
    }
    if (upstream["ca_file"]) {
      config.upstream_ca_file = StringField(upstream["ca_file"], "upstream.ca_file");
    }
    if (upstream["tls_server_name"]) {
      config.upstream_tls_server_name =
          StringField(upstream["tls_server_name"], "upstream.tls_server_name");
    }
  }
  if (const YAML::Node tracker = root["tracker"]) {
    ExpectMap(tracker, "tracker");
    RejectUnknownKeys(tracker, "tracker.", {"interval_ms", "max_wait_ms", "max_tokens"});
    if (tracker["interval_ms"]) {
      config.tracker_interval_ms =
          IntField(tracker["interval_ms"], "tracker.interval_ms", 5, 60000);
    }
    if (tracker["max_wait_ms"]) {
      config.max_wait_ms = IntField(tracker["max_wait_ms"], "tracker.max_wait_ms", 0, 300000);
    }
    if (tracker["max_tokens"]) {
      config.max_tracked_tokens =
          IntField(tracker["max_tokens"], "tracker.max_tokens", 0, 10000000);
    }
  }
  if (const YAML::Node feldera = root["feldera"]) {
    ExpectMap(feldera, "feldera");
    RejectUnknownKeys(feldera, "feldera.", {"api_url", "api_key_file"});
    if (feldera["api_key_file"]) {
      config.feldera_api_key_file = StringField(feldera["api_key_file"], "feldera.api_key_file");
    }
    if (feldera["api_url"]) {
      config.feldera_api_url = StringField(feldera["api_url"], "feldera.api_url");
      if (!config.feldera_api_url.empty() && !ValidBaseUrl(config.feldera_api_url)) {
        Fail("feldera.api_url", config.feldera_api_url, "an http:// or https:// URL");
      }
    }
  }
  if (const YAML::Node log = root["log"]) {
    ExpectMap(log, "log");
    RejectUnknownKeys(log, "log.", {"level", "format"});
    if (log["level"]) {
      config.log_level = OneOf("log.level", StringField(log["level"], "log.level"),
                               {"trace", "debug", "info", "warn", "error", "off"});
    }
    if (log["format"]) {
      config.log_format =
          OneOf("log.format", StringField(log["format"], "log.format"), {"text", "json"});
    }
  }
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
    Fail("--set", setting, "KEY=VALUE, KEY a dotted config key");
  const std::string key = setting.substr(0, eq);
  YAML::Node root(YAML::NodeType::Map);
  YAML::Node node = root;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    if (dot == start) Fail("--set", setting, "KEY=VALUE, KEY a dotted config key");
    YAML::Node child = node[key.substr(start, dot - start)];
    child = YAML::Node(YAML::NodeType::Map);
    node.reset(child);
  }
  if (start == key.size()) Fail("--set", setting, "KEY=VALUE, KEY a dotted config key");
  node[key.substr(start)] = setting.substr(eq + 1);
  ApplyYaml(config, root);
}

}  // namespace

std::string Usage() {
  return "usage: completion-sidecar [--config FILE] [--mode standalone|cluster|sidecar]\n"
         "                          [--listen HOST:PORT] [--metrics-listen HOST:PORT]\n"
         "                          [--pipeline NAME=URL]...\n"
         "                          [--log-level LEVEL] [--log-format text|json]\n"
         "                          [--set KEY=VALUE]...   (any key of the file, e.g.\n"
         "                                                  kubernetes.history_namespace=NS)\n"
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
    Fail("kubernetes.pod_name", "", "this pod's name in sidecar mode (downward API: POD_NAME)");
  }
  if (config.mode == Mode::kSidecar && config.kubernetes.pod_namespace.empty()) {
    Fail("kubernetes.pod_namespace", "", "this pod's namespace in sidecar mode (POD_NAMESPACE)");
  }
  if (config.metrics_listen && config.metrics_listen->port == config.listen_port &&
      config.metrics_listen->host == config.listen_host) {
    Fail("metrics_listen", config.listen_host + ":" + std::to_string(config.listen_port),
         "an address other than listen's");
  }
  if (config.mode != Mode::kStandalone && !config.static_pipelines.empty()) {
    Fail("pipelines.static", "<list>", "no static pipelines in " + ModeName(config.mode) + " mode");
  }
}

Result<Config> ParseConfigYaml(const std::string& yaml_text) {
  Config config;
  try {
    ApplyYamlText(config, yaml_text);
    CheckConsistency(config);
  } catch (const ConfigError& e) {
    return R::Error(e.line);
  }
  return R::Ok(std::move(config));
}

Result<Config> ConfigFromArgs(const std::vector<std::string>& args) {
  Config config;
  try {
    // The file first, wherever --config stands, so that every other flag overrides it.
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--config") {
        if (i + 1 >= args.size()) Fail("--config", "", "a file path");
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
      if (i + 1 >= args.size()) Fail(flag, "", "a value after the flag (or an unknown flag)");
      const std::string& value = args[++i];
      if (flag == "--config") {
        continue;
      } else if (flag == "--mode") {
        config.mode = ParseMode("--mode", value);
      } else if (flag == "--listen") {
        ParseListen(config, "--listen", value);
      } else if (flag == "--metrics-listen") {
        config.metrics_listen = ParseListenAddress("--metrics-listen", value);
      } else if (flag == "--pipeline") {
        const size_t eq = value.find('=');
        if (eq == std::string::npos) Fail("--pipeline", value, "NAME=URL");
        AddPipeline(config, "--pipeline", value.substr(0, eq), value.substr(eq + 1));
      } else if (flag == "--log-level") {
        config.log_level =
            OneOf("--log-level", value, {"trace", "debug", "info", "warn", "error", "off"});
      } else if (flag == "--log-format") {
        config.log_format = OneOf("--log-format", value, {"text", "json"});
      } else if (flag == "--set") {
        ApplySetting(config, value);
      } else {
        throw ConfigError{"config: unknown flag '" + flag + "'\n" + Usage()};
      }
    }
    // The downward API hands a sidecar its pod's identity through the environment.
    if (config.kubernetes.pod_name.empty()) config.kubernetes.pod_name = EnvOr("POD_NAME", "");
    if (config.kubernetes.pod_namespace.empty()) {
      config.kubernetes.pod_namespace = EnvOr("POD_NAMESPACE", "");
    }
    CheckConsistency(config);
  } catch (const ConfigError& e) {
    return R::Error(e.line);
  }
  return R::Ok(std::move(config));
}

}  // namespace sidecar
