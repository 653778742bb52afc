// The service's configuration: one YAML file (--config) with flags that override it.
//
// Parsing is strict: an unknown key or a bad value is an error naming the key, the value and what
// is allowed, so a typo never silently falls back to a default.
//
// Each key is declared once, in the config schema (config_schema.h), with its default. The member
// initialisers below repeat those defaults for code that builds one of these structs by hand; a
// unit test (ConfigSchema.ConfigsInitialisersAreTheSchemasDefaults) holds them equal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "feldera/pod_rules.h"

namespace sidecar {

struct StaticPipeline {
  std::string name;
  std::string url;  // base URL: {url}/stats, {url}/completion_status, {url}/ingress/{table}

  bool operator==(const StaticPipeline&) const = default;
};

// How the service learns its pipelines.
enum class Mode {
  kStandalone,  // pipelines by URL (pipelines.static), no Kubernetes
  kCluster,     // every pipeline pod matching kubernetes.pod_selector in kubernetes.namespace
  kSidecar,     // the one pipeline in this pod (kubernetes.pod_name), served on loopback
};

struct KubernetesConfig {
  std::string api_url;     // explicit API server (http allowed); else kubeconfig; else in-cluster
  std::string kubeconfig;  // a kubeconfig file
  std::string namespace_name;  // cluster mode: namespace to watch; empty = all namespaces
  std::string pod_selector;    // cluster mode: label selector for pipeline pods
  std::string pod_name;        // sidecar mode: this pod's name (downward API)
  std::string pod_namespace;   // sidecar mode: this pod's namespace (downward API)
  // Namespace of the history ConfigMaps; empty: the service's own (in-cluster) namespace.
  std::string history_namespace;
  int history_size = 32;

  bool operator==(const KubernetesConfig&) const = default;
};

// How large a request may be before the service refuses it (api/request_limits.h).
struct RequestLimits {
  size_t max_target_bytes = 8192;      // path and query together
  size_t max_headers = 100;            // header fields
  size_t max_header_bytes = 32768;     // names and values of all header fields
  uint64_t max_body_bytes = 64 << 20;  // a proxied ingress body
  size_t max_held_long_polls = 10000;  // completion_status requests held with wait_ms at once

  bool operator==(const RequestLimits&) const = default;
};

struct ListenAddress {
  std::string host;
  int port = 0;

  bool operator==(const ListenAddress&) const = default;
};

struct Config {
  Mode mode = Mode::kStandalone;
  KubernetesConfig kubernetes;
  PodRules pods;

  std::string listen_host = "127.0.0.1";
  int listen_port = 8081;
  // A second listener for /metrics, /healthz and /readyz only, so that the API can stay on
  // loopback while Prometheus and the kubelet reach the pod's address.
  std::optional<ListenAddress> metrics_listen;
  RequestLimits limits;
  // When set, every /v0/ request needs `Authorization: Bearer <key>` with a key of this file.
  std::string api_keys_file;
  // cpprestsdk starts 40 pool threads whatever the cores; a few are faster on small machines.
  int threads = 2;

  std::vector<StaticPipeline> static_pipelines;
  int probe_interval_ms = 1000;
  // An API key for the pipelines (or Feldera's API server in front of them), sent as a bearer
  // token on every upstream request; never echoed to clients or logs.
  std::string pipelines_api_key_file;
  int upstream_timeout_ms = 5000;
  // HTTPS pipelines: a PEM file of CA certificates their certificates are checked against, on
  // top of the system's (empty: the in-cluster CA, where it is mounted); and the name checked
  // (and sent as SNI and Host) instead of the URL's host, for certificates that name the
  // pipeline's DNS name while the service reaches it by pod IP.
  std::string upstream_ca_file;
  std::string upstream_tls_server_name;

  // The token tracker's period: tracked tokens and held long-polls are checked upstream once per
  // interval and endpoint (see EndpointTracker for the exact bound).
  int tracker_interval_ms = 50;
  int max_wait_ms = 30000;
  // How many tokens the tracker follows at once, over all pipelines; more are counted as
  // abandoned (overflow).
  int max_tracked_tokens = 100000;

  // Feldera's API server: /v0/config is forwarded there, and in the Kubernetes modes pipeline
  // names are asked from it for pods without a name label.
  std::string feldera_api_url;
  std::string feldera_api_key_file;  // an API key for it (a mounted Secret), sent as a bearer token

  // Standalone mode: where incarnation history is kept across restarts; empty: not kept.
  std::string history_path;

  // On SIGTERM: how long stopping may take (answering held long-polls, flushing history) before
  // the process exits anyway.
  int shutdown_grace_ms = 10000;

  std::string log_level = "info";   // trace, debug, info, warn, error, off
  std::string log_format = "text";  // text | json

  std::string config_path;  // the file it came from, if any

  bool operator==(const Config&) const = default;
};

std::string ModeName(Mode mode);

// Parses a YAML document (the contents of a config file) over the defaults.
Result<Config> ParseConfigYaml(const std::string& yaml_text);

// Builds the configuration from command-line arguments (argv[0] excluded): reads --config FILE
// if given, then applies the other flags over it. "--help" yields an error holding the usage.
Result<Config> ConfigFromArgs(const std::vector<std::string>& args);

// The usage text for --help.
std::string Usage();

}  // namespace sidecar
