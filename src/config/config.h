// The service's configuration: one YAML file (--config) with flags that override it.
//
// Parsing is strict: an unknown key or a bad value is an error naming the key, the value and what
// is allowed, so a typo never silently falls back to a default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace sidecar {

struct StaticPipeline {
  std::string name;
  std::string url;  // base URL: {url}/stats, {url}/completion_status, {url}/ingress/{table}
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8081;
  // cpprestsdk starts 40 pool threads whatever the cores; a few are faster on small machines.
  int threads = 2;

  std::vector<StaticPipeline> static_pipelines;
  int probe_interval_ms = 1000;
  int upstream_timeout_ms = 5000;

  // Long-polls (wait_ms) are re-checked upstream at this interval while held.
  int tracker_interval_ms = 50;
  int max_wait_ms = 30000;

  std::string feldera_api_url;  // when set, /v0/config is forwarded there

  std::string log_level = "info";   // trace, debug, info, warn, error, off
  std::string log_format = "text";  // text | json

  std::string config_path;  // the file it came from, if any
};

// Parses a YAML document (the contents of a config file) over the defaults.
Result<Config> ParseConfigYaml(const std::string& yaml_text);

// Builds the configuration from command-line arguments (argv[0] excluded): reads --config FILE
// if given, then applies the other flags over it. "--help" yields an error holding the usage.
Result<Config> ConfigFromArgs(const std::vector<std::string>& args);

// The usage text for --help.
std::string Usage();

}  // namespace sidecar
