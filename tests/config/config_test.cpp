#include "config/config.h"

#include <gtest/gtest.h>

#include "support/param_names.h"

#include <cstdio>
#include <fstream>

namespace sidecar {
namespace {

TEST(Config, DefaultsWhenEmpty) {
  auto c = ParseConfigYaml("");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->listen_port, 8081);
  EXPECT_EQ(c->probe_interval_ms, 1000);
  EXPECT_EQ(c->log_format, "text");
  EXPECT_TRUE(c->static_pipelines.empty());
}

TEST(Config, ReadsEveryKey) {
  auto c = ParseConfigYaml(R"(
listen: 0.0.0.0:9000
metrics_listen: 0.0.0.0:9090
auth: {api_keys_file: /etc/completion-sidecar/keys/api-keys}
threads: 4
pipelines:
  probe_interval_ms: 250
  api_key_file: /etc/completion-sidecar/pipeline-key
  static:
    - {name: p1, url: "http://127.0.0.1:8080/"}
    - {name: p2, url: "http://manager:8080/v0/pipelines/p2"}
upstream: {timeout_ms: 2000}
tracker: {interval_ms: 20, max_wait_ms: 10000, max_tokens: 500}
feldera: {api_url: "http://manager:8080"}
log: {level: debug, format: json}
)");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->listen_host, "0.0.0.0");
  EXPECT_EQ(c->listen_port, 9000);
  ASSERT_TRUE(c->metrics_listen.has_value());
  EXPECT_EQ(c->metrics_listen->host, "0.0.0.0");
  EXPECT_EQ(c->metrics_listen->port, 9090);
  EXPECT_EQ(c->api_keys_file, "/etc/completion-sidecar/keys/api-keys");
  EXPECT_EQ(c->threads, 4);
  EXPECT_EQ(c->probe_interval_ms, 250);
  EXPECT_EQ(c->pipelines_api_key_file, "/etc/completion-sidecar/pipeline-key");
  ASSERT_EQ(c->static_pipelines.size(), 2u);
  EXPECT_EQ(c->static_pipelines[0].url, "http://127.0.0.1:8080");  // trailing slash dropped
  EXPECT_EQ(c->static_pipelines[1].name, "p2");
  EXPECT_EQ(c->upstream_timeout_ms, 2000);
  EXPECT_EQ(c->tracker_interval_ms, 20);
  EXPECT_EQ(c->max_wait_ms, 10000);
  EXPECT_EQ(c->max_tracked_tokens, 500);
  EXPECT_EQ(c->feldera_api_url, "http://manager:8080");
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->log_format, "json");
}

struct BadConfig {
  const char* yaml;
  const char* must_mention;
};

class BadConfigs : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigs, StopWithOneLineNamingKeyAndValue) {
  auto c = ParseConfigYaml(GetParam().yaml);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find(GetParam().must_mention), std::string::npos) << c.error();
  EXPECT_EQ(c.error().find('\n'), std::string::npos) << c.error();
}

INSTANTIATE_TEST_SUITE_P(
    Strict, BadConfigs,
    ::testing::Values(BadConfig{"lisen: 1.2.3.4:5", "unknown key 'lisen'"},
                      BadConfig{"pipelines: {probe_interval: 5}", "pipelines.probe_interval"},
                      BadConfig{"pipelines: {probe_interval_ms: fast}", "'fast'"},
                      BadConfig{"pipelines: {probe_interval_ms: 10}", "from 50"},
                      BadConfig{"log: {format: xml}", "text | json"},
                      BadConfig{"log: {level: loud}", "'loud'"},
                      BadConfig{"listen: nowhere", "HOST:PORT"},
                      BadConfig{"listen: 'h:70000'", "70000"},
                      BadConfig{"pipelines: {static: [{name: 'a b', url: 'http://x'}]}", "'a b'"},
                      BadConfig{"pipelines: {static: [{name: a, url: 'ftp://x'}]}", "ftp://x"},
                      BadConfig{"pipelines: {static: [{name: a}]}", "both name and url"},
                      BadConfig{"pipelines: {static: [{name: a, url: 'http://x', port: 1}]}",
                                "pipelines.static[0].port"},
                      BadConfig{"pipelines: {static: [{name: a, url: 'http://x'}, {name: a, url: "
                                "'http://y'}]}",
                                "twice"},
                      BadConfig{"metrics_listen: 9090", "HOST:PORT"},
                      BadConfig{"listen: '127.0.0.1:9000'\nmetrics_listen: '127.0.0.1:9000'",
                                "other than listen"},
                      BadConfig{"auth: {keys: x}", "auth.keys"}, BadConfig{"[1, 2]", "a map"},
                      BadConfig{"a: [", "YAML"}),
    [](const ::testing::TestParamInfo<BadConfig>& info) {
      return test_names::ParamName(info.index, info.param.yaml);
    });

TEST(Config, FlagsOverrideTheFile) {
  const std::string path = ::testing::TempDir() + "/sidecar-config-test.yaml";
  {
    std::ofstream out(path);
    out << "listen: 127.0.0.1:1000\nlog: {level: warn}\npipelines:\n  static: [{name: a, url: "
           "'http://a'}]\n";
  }
  auto c = ConfigFromArgs({"--listen", "127.0.0.1:2000", "--config", path, "--pipeline",
                           "b=http://b:8080", "--log-format", "json", "--metrics-listen",
                           "127.0.0.1:2001"});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->listen_port, 2000);
  EXPECT_EQ(c->metrics_listen->port, 2001);
  EXPECT_EQ(c->log_level, "warn");
  EXPECT_EQ(c->log_format, "json");
  ASSERT_EQ(c->static_pipelines.size(), 2u);
  EXPECT_EQ(c->static_pipelines[1].name, "b");
  std::remove(path.c_str());
}

// Any key of the file, as a flag: a container with no config file has only flags.
TEST(Config, SetTakesAnyKeyOfTheFile) {
  auto c = ConfigFromArgs({"--set", "kubernetes.history_namespace=history", "--set",
                           "pipelines.port=9090", "--set", "limits.max_url_bytes=4096", "--set",
                           "shutdown_grace_ms=2000", "--set", "log.format=json"});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->kubernetes.history_namespace, "history");
  EXPECT_EQ(c->pods.port, 9090);
  EXPECT_EQ(c->limits.max_target_bytes, 4096);
  EXPECT_EQ(c->shutdown_grace_ms, 2000);
  EXPECT_EQ(c->log_format, "json");
}

TEST(Config, SetIsCheckedAsTheFileIs) {
  EXPECT_NE(ConfigFromArgs({"--set", "kubernetes.nope=1"}).error().find("kubernetes.nope"),
            std::string::npos);
  EXPECT_NE(ConfigFromArgs({"--set", "pipelines.port=70000"}).error().find("pipelines.port"),
            std::string::npos);
  for (const std::string bad : {"novalue", "=x", ".a=1", "a..b=1", "a.=1"}) {
    EXPECT_NE(ConfigFromArgs({"--set", bad}).error().find("--set"), std::string::npos) << bad;
  }
}

TEST(Config, FlagErrors) {
  EXPECT_NE(ConfigFromArgs({"--bogus", "1"}).error().find("unknown flag '--bogus'"),
            std::string::npos);
  EXPECT_NE(ConfigFromArgs({"--pipeline", "novalue"}).error().find("NAME=URL"), std::string::npos);
  EXPECT_NE(ConfigFromArgs({"--config", "/nonexistent.yaml"}).error().find("cannot read"),
            std::string::npos);
  EXPECT_NE(ConfigFromArgs({"--listen"}).error().find("--listen"), std::string::npos);
  EXPECT_NE(ConfigFromArgs({"--help"}).error().find("usage:"), std::string::npos);
}

}  // namespace
}  // namespace sidecar

namespace sidecar {
namespace {

TEST(ConfigModes, ClusterAndSidecarKeys) {
  auto c = ParseConfigYaml(R"(
mode: cluster
kubernetes:
  api_url: http://127.0.0.1:6443
  namespace: feldera
  pod_selector: app=pipeline
  history_namespace: ops
  history_size: 8
pipelines:
  name_label: example.com/name
  container: main
  port_name: api
  port: 9000
)");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->mode, Mode::kCluster);
  EXPECT_EQ(c->kubernetes.namespace_name, "feldera");
  EXPECT_EQ(c->kubernetes.pod_selector, "app=pipeline");
  EXPECT_EQ(c->kubernetes.history_size, 8);
  EXPECT_EQ(c->pods.name_label, "example.com/name");
  EXPECT_EQ(c->pods.port, 9000);

  auto sidecar = ParseConfigYaml(
      "mode: sidecar\nkubernetes: {pod_name: pipeline-x-0, pod_namespace: feldera}\n");
  ASSERT_TRUE(sidecar.ok()) << sidecar.error();
  EXPECT_EQ(sidecar->mode, Mode::kSidecar);
}

TEST(ConfigModes, InconsistentSettingsAreRejected) {
  EXPECT_NE(ParseConfigYaml("mode: sidecar").error().find("kubernetes.pod_name"),
            std::string::npos);
  EXPECT_NE(ParseConfigYaml("mode: mesh").error().find("standalone | cluster | sidecar"),
            std::string::npos);
  EXPECT_NE(ParseConfigYaml("mode: cluster\npipelines: {static: [{name: a, url: 'http://a'}]}")
                .error()
                .find("cluster mode"),
            std::string::npos);
  EXPECT_NE(ParseConfigYaml("kubernetes: {history_size: 0}").error().find("history_size"),
            std::string::npos);
}

}  // namespace
}  // namespace sidecar
