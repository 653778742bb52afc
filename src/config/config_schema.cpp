#include "config/config_schema.h"

#include <yaml-cpp/yaml.h>

#include "config/config_value_types.h"

namespace sidecar {
namespace {

std::vector<std::pair<std::string, Mode>> Modes() {
  std::vector<std::pair<std::string, Mode>> modes;
  for (Mode mode : {Mode::kStandalone, Mode::kCluster, Mode::kSidecar}) {
    modes.emplace_back(ModeName(mode), mode);
  }
  return modes;
}

std::vector<ConfigKey> MakeSchema() {
  return {
      {.name = "mode",
       .type = Choice(Modes(), Field(&Config::mode)),
       .default_value = "standalone",
       .help = "how the service finds its pipelines: by URL, every pipeline pod it watches, or "
               "its own pod (see \"Modes\")",
       .flag = "--mode"},
      {.name = "listen",
       .type = Address([](Config& c, const ListenAddress& a) {
         c.listen_host = a.host;
         c.listen_port = a.port;
       }),
       .default_value = "127.0.0.1:8081",
       .help = "the address of the HTTP API",
       .flag = "--listen"},
      {.name = "metrics_listen",
       .type = Address([](Config& c, const ListenAddress& a) { c.metrics_listen = a; }),
       .default_value = "",
       .help = "a second address serving only `/metrics`, `/healthz` and `/readyz`, so the API "
               "can stay on loopback while Prometheus and the kubelet reach the pod's address",
       .flag = "--metrics-listen",
       .shown_default = "none"},
      {.name = "auth.api_keys_file",
       .type = Text(Field(&Config::api_keys_file), "file path"),
       .default_value = "",
       .help = "when set, every `/v0/` request needs `Authorization: Bearer <key>` with a key of "
               "this file (one per line; blank and `#` lines ignored; e.g. a mounted Secret). "
               "Re-read within a second when it changes; keys are compared as SHA-256 digests in "
               "constant time and never logged",
       .shown_default = "none"},
      {.name = "threads",
       .type = Integer(1, 64, Field(&Config::threads)),
       .default_value = "2",
       .help = "HTTP worker threads (cpprestsdk's default of 40 is slower on small machines)"},
      {.name = "pipelines.static",
       .type = PipelineList(Field(&Config::static_pipelines)),
       .default_value = "[]",
       .help = "pipelines by URL (standalone mode); the flag adds one and may be repeated. "
               "Names: 1–100 of `A-Za-z0-9_-`",
       .flag = "--pipeline",
       .from_flag = AddPipeline(Field(&Config::static_pipelines)),
       .flag_syntax = "NAME=URL"},
      {.name = "pipelines.api_key_file",
       .type = Text(Field(&Config::pipelines_api_key_file), "file path"),
       .default_value = "",
       .help = "an API key for the pipelines (or Feldera's API server in front of them), sent as "
               "`Authorization: Bearer` on every upstream request, proxied ones included, in "
               "place of the client's; re-read when it changes, never logged. Without it, a "
               "proxied request keeps the client's `Authorization` unless `auth.api_keys_file` "
               "is set (a key for this service is never forwarded)"},
      {.name = "pipelines.probe_interval_ms",
       .type = Integer(50, 600000, Field(&Config::probe_interval_ms)),
       .default_value = "1000",
       .help = "how often each pipeline's `/stats` is read to learn its incarnation"},
      {.name = "pipelines.name_label",
       .type = Text(Field(&Config::pods, &PodRules::name_label)),
       .default_value = "feldera.com/pipeline-name",
       .help = "pod label holding the pipeline's name"},
      {.name = "pipelines.pod_name_pattern",
       .type = Text(Field(&Config::pods, &PodRules::pod_name_pattern), "regular expression"),
       .default_value = "",
       .help = "pipeline pod names, matched whole; two groups: pipeline id, ordinal",
       .shown_default = "`pipeline-(<uuid>)-([0-9]+)`"},
      {.name = "pipelines.container",
       .type = Text(Field(&Config::pods, &PodRules::container)),
       .default_value = "pipeline",
       .help = "the pipeline container's name (empty: the pod's first container)"},
      {.name = "pipelines.port_name",
       .type = Text(Field(&Config::pods, &PodRules::port_name)),
       .default_value = "http",
       .help = "the container port to use, by name; else `pipelines.port`"},
      {.name = "pipelines.port",
       .type = Integer(1, 65535, Field(&Config::pods, &PodRules::port)),
       .default_value = "8080",
       .help = "the pipeline's port when no port has that name"},
      {.name = "pipelines.scheme",
       .type = OneOf({"http", "https"}, Field(&Config::pods, &PodRules::scheme)),
       .default_value = "http",
       .help = "the scheme of pipeline pods' URLs (Feldera serves pipelines over HTTPS when its "
               "chart is given a certificate)"},
      {.name = "kubernetes.api_url",
       .type = Url(Field(&Config::kubernetes, &KubernetesConfig::api_url)),
       .default_value = "",
       .help = "API server URL (http allowed, e.g. `kubectl proxy`); else "
               "`kubernetes.kubeconfig`, `$KUBECONFIG`, in-cluster service account, "
               "`~/.kube/config`"},
      {.name = "kubernetes.kubeconfig",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::kubeconfig), "file path"),
       .default_value = "",
       .help = "kubeconfig file (current context: server, CA, bearer token or client "
               "certificate)"},
      {.name = "kubernetes.namespace",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::namespace_name)),
       .default_value = "",
       .help = "cluster mode: namespace to watch; empty = all namespaces"},
      {.name = "kubernetes.pod_selector",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::pod_selector), "label selector"),
       .default_value = "",
       .help = "cluster mode: which pods are pipeline pods"},
      {.name = "kubernetes.pod_name",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::pod_name)),
       .default_value = "",
       .help = "sidecar mode: this pod's name",
       .env = "POD_NAME"},
      {.name = "kubernetes.pod_namespace",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::pod_namespace)),
       .default_value = "",
       .help = "sidecar mode: this pod's namespace",
       .env = "POD_NAMESPACE"},
      {.name = "kubernetes.history_namespace",
       .type = Text(Field(&Config::kubernetes, &KubernetesConfig::history_namespace)),
       .default_value = "",
       .help = "where the history ConfigMaps live",
       .shown_default = "own namespace"},
      {.name = "kubernetes.history_size",
       .type = Integer(1, 1000, Field(&Config::kubernetes, &KubernetesConfig::history_size)),
       .default_value = "32",
       .help = "incarnations kept per pipeline"},
      {.name = "history.path",
       .type = Text(Field(&Config::history_path), "file path"),
       .default_value = "",
       .help = "standalone mode: file that keeps incarnation history across restarts; one that "
               "exists but cannot be read stops start-up"},
      {.name = "upstream.timeout_ms",
       .type = Integer(100, 600000, Field(&Config::upstream_timeout_ms)),
       .default_value = "5000",
       .help = "inactivity timeout of requests to pipelines; past it the pipeline counts as "
               "unreachable"},
      {.name = "upstream.ca_file",
       .type = Text(Field(&Config::upstream_ca_file), "file path"),
       .default_value = "",
       .help = "PEM CA certificates that HTTPS pipelines' certificates are checked against, on "
               "top of the system's; empty: the in-cluster CA "
               "(`/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`) where it is mounted. An "
               "unreadable file stops start-up"},
      {.name = "upstream.tls_server_name",
       .type = Text(Field(&Config::upstream_tls_server_name)),
       .default_value = "",
       .help = "the name HTTPS pipelines' certificates are checked against (and sent as SNI and "
               "`Host`) instead of the URL's host: for certificates that name a DNS name while "
               "the service reaches pods by IP"},
      {.name = "tracker.interval_ms",
       .type = Integer(5, 60000, Field(&Config::tracker_interval_ms)),
       .default_value = "50",
       .help = "the token tracker's period: the unit of the upstream ration (see \"Token "
               "tracker\")"},
      {.name = "tracker.max_wait_ms",
       .type = Integer(0, 300000, Field(&Config::max_wait_ms)),
       .default_value = "30000",
       .help = "the largest `wait_ms` a client may ask for"},
      {.name = "tracker.max_tokens",
       .type = Integer(0, 10000000, Field(&Config::max_tracked_tokens)),
       .default_value = "100000",
       .help = "tokens tracked at once over all pipelines; beyond it new tokens are counted as "
               "abandoned (`overflow`)"},
      {.name = "feldera.api_url",
       .type = Url(Field(&Config::feldera_api_url)),
       .default_value = "",
       .help = "Feldera's API server; when set, `GET /v0/config` is forwarded there, and in the "
               "Kubernetes modes pipeline names are asked from it and every pipeline it lists is "
               "served (cluster mode)"},
      {.name = "feldera.api_key_file",
       .type = Text(Field(&Config::feldera_api_key_file), "file path"),
       .default_value = "",
       .help = "a file holding an API key for it (e.g. a mounted Secret), sent as "
               "`Authorization: Bearer` — the only key sent there (a client's own "
               "`Authorization` never is); re-read when it changes, never logged"},
      {.name = "limits.max_url_bytes",
       .type = Integer(256, 1 << 20, Field(&Config::limits, &RequestLimits::max_target_bytes)),
       .default_value = "8192",
       .help = "longest path and query; longer: 414 `UriTooLong`"},
      {.name = "limits.max_headers",
       .type = Integer(8, 10000, Field(&Config::limits, &RequestLimits::max_headers)),
       .default_value = "100",
       .help = "most header fields; more: 431 `RequestHeaderFieldsTooLarge`"},
      {.name = "limits.max_header_bytes",
       .type = Integer(1024, 1 << 24, Field(&Config::limits, &RequestLimits::max_header_bytes)),
       .default_value = "32768",
       .help = "most bytes of header fields, names and values; more: 431 "
               "`RequestHeaderFieldsTooLarge`"},
      {.name = "limits.max_body_bytes",
       .type = Integer(1024, 1 << 30, Field(&Config::limits, &RequestLimits::max_body_bytes)),
       .default_value = "67108864",
       .help = "largest proxied ingress body: a declared length above it is refused at once, a "
               "chunked body once it grows past it (413 `PayloadTooLarge`); a declared body is "
               "streamed to the pipeline, never held whole"},
      {.name = "limits.max_held_long_polls",
       .type = Integer(0, 1000000, Field(&Config::limits, &RequestLimits::max_held_long_polls)),
       .default_value = "10000",
       .help = "long-polls held at once over all pipelines; beyond: 503 `TooManyLongPolls` with "
               "`Retry-After`"},
      {.name = "shutdown_grace_ms",
       .type = Integer(100, 600000, Field(&Config::shutdown_grace_ms)),
       .default_value = "10000",
       .help = "on SIGTERM, how long stopping may take before the process exits anyway (exit "
               "code 1)"},
      {.name = "log.level",
       .type = OneOf({"trace", "debug", "info", "warn", "error", "off"}, Field(&Config::log_level)),
       .default_value = "info",
       .help = "the least severe messages logged",
       .flag = "--log-level"},
      {.name = "log.format",
       .type = OneOf({"text", "json"}, Field(&Config::log_format)),
       .default_value = "text",
       .help = "lines of text, or one JSON object per line",
       .flag = "--log-format"},
  };
}

}  // namespace

const std::vector<ConfigKey>& ConfigSchema() {
  static const std::vector<ConfigKey> schema = MakeSchema();
  return schema;
}

const ConfigKey* FindConfigKey(const std::string& name) {
  for (const ConfigKey& key : ConfigSchema()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

const ConfigKey* FindConfigFlag(const std::string& flag) {
  for (const ConfigKey& key : ConfigSchema()) {
    if (!key.flag.empty() && key.flag == flag) return &key;
  }
  return nullptr;
}

Config DefaultConfig() {
  Config config;
  for (const ConfigKey& key : ConfigSchema()) {
    if (!key.default_value.empty()) key.type.set(config, YAML::Load(key.default_value), key.name);
  }
  return config;
}

}  // namespace sidecar
