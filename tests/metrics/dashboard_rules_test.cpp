// The Grafana dashboard and the Prometheus rules against the real Prometheus parser (promtool) and
// against the families the service exports.
#include <cpprest/json.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "metrics/deploy_artefacts.h"
#include "metrics/metrics.h"
#include "metrics/promql_names.h"
#include "metrics/promtool.h"

namespace sidecar::testing {
namespace {

// A rules file with one recording rule per expression: promtool check rules parses each with
// Prometheus's own PromQL parser.
std::string AsRecordingRules(const std::vector<std::string>& exprs) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "checked";
  out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  for (size_t i = 0; i < exprs.size(); ++i) {
    out << YAML::BeginMap << YAML::Key << "record" << YAML::Value
        << "checked_expr_" + std::to_string(i) << YAML::Key << "expr" << YAML::Value
        << YAML::DoubleQuoted << exprs[i] << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return out.c_str();
}

PromtoolRun CheckPromQL(const std::vector<std::string>& exprs) {
  const TempFile rules(AsRecordingRules(exprs), ".yaml");
  return RunPromtool({"check", "rules", rules.path()});
}

class DeployArtefactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(PromtoolPath().empty())
        << "promtool was not found when the build was configured; install the Debian package "
           "`prometheus` and configure again";
  }
};

TEST_F(DeployArtefactsTest, EveryDashboardExpressionIsValidPromQL) {
  const auto exprs = DashboardPromQL(LoadDashboard());
  ASSERT_GE(exprs.size(), 10u);
  const PromtoolRun run = CheckPromQL(exprs);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(std::to_string(exprs.size()) + " rules found"), std::string::npos)
      << run.output;
}

// The check above can fail: the same route rejects what Prometheus cannot parse.
TEST_F(DeployArtefactsTest, InvalidPromQLIsRejected) {
  EXPECT_EQ(CheckPromQL({"sum(rate(up[5m]))"}).exit_code, 0);
  EXPECT_NE(CheckPromQL({"sum(rate(up[5m])"}).exit_code, 0);
  EXPECT_NE(CheckPromQL({"rate(up[$__rate_interval])"}).exit_code, 0);
  EXPECT_NE(CheckPromQL({"histogram_quantile(0.99, up) by (le)"}).exit_code, 0);
}

TEST_F(DeployArtefactsTest, EveryRuleExpressionIsValidPromQL) {
  const PromtoolRun run = CheckPromQL(LoadRules().exprs);
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(DeployArtefactsTest, DashboardAndRulesUseOnlyExportedMetrics) {
  // The dashboard reads Feldera's own metrics too; the rules only the service's.
  EXPECT_EQ(UnknownMetricNames(DashboardPromQL(LoadDashboard()),
                               WithFelderaFamilies(FamiliesOf(Metrics()))),
            std::set<std::string>{});
  EXPECT_EQ(UnknownMetricNames(LoadRules().exprs, FamiliesOf(Metrics())), std::set<std::string>{});
  // The check can fail.
  EXPECT_EQ(
      UnknownMetricNames({"rate(feldera_completion_tokens_total[5m]) + "
                          "feldera_completion_token_latency_seconds_bucket + "
                          "feldera_pipeline_up_count"},
                         FamiliesOf(Metrics())),
      (std::set<std::string>{"feldera_completion_tokens_total", "feldera_pipeline_up_count"}));
}

TEST_F(DeployArtefactsTest, DashboardHasItsVariablesAndPanels) {
  const auto dashboard = LoadDashboard();
  EXPECT_GE(dashboard.at("schemaVersion").as_integer(), 36);
  EXPECT_FALSE(dashboard.at("title").as_string().empty());
  EXPECT_FALSE(dashboard.at("uid").as_string().empty());

  std::map<std::string, web::json::value> variables;
  for (const auto& variable : dashboard.at("templating").at("list").as_array())
    variables[variable.at("name").as_string()] = variable;
  ASSERT_TRUE(variables.contains("datasource"));
  EXPECT_EQ(variables["datasource"].at("type").as_string(), "datasource");
  EXPECT_EQ(variables["datasource"].at("query").as_string(), "prometheus");
  // Pipelines are chosen by name, the label the service's and Feldera's metrics share.
  ASSERT_TRUE(variables.contains("pipeline_name"));
  EXPECT_EQ(variables["pipeline_name"].at("type").as_string(), "query");
  const std::string pipeline_query = variables["pipeline_name"].at("query").at("query").as_string();
  EXPECT_TRUE(pipeline_query.starts_with("label_values(")) << pipeline_query;
  EXPECT_TRUE(pipeline_query.ends_with(", pipeline_name)")) << pipeline_query;

  std::set<int> ids;
  std::set<std::string> types;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    const std::string title = panel.at("title").as_string();
    SCOPED_TRACE(title);
    EXPECT_FALSE(title.empty());
    EXPECT_TRUE(ids.insert(panel.at("id").as_integer()).second) << "duplicate panel id";
    const auto& grid = panel.at("gridPos");
    EXPECT_LE(grid.at("x").as_integer() + grid.at("w").as_integer(), 24);
    const std::string type = panel.at("type").as_string();
    types.insert(type);
    if (type == "row") continue;
    // Every query goes to the data source the viewer picked.
    EXPECT_EQ(panel.at("datasource").at("uid").as_string(), "${datasource}");
    const auto& targets = panel.at("targets").as_array();
    EXPECT_GE(targets.size(), 1u);
    std::set<std::string> ref_ids;
    for (const auto& target : targets) {
      EXPECT_EQ(target.at("datasource").at("uid").as_string(), "${datasource}");
      const std::string expr = target.at("expr").as_string();
      EXPECT_FALSE(expr.empty());
      // Every pipeline query follows the viewer's choice of pipelines.
      if (expr.find("pipeline") != std::string::npos) {
        EXPECT_NE(expr.find("pipeline_name=~\"$pipeline_name\""), std::string::npos) << expr;
      }
      EXPECT_TRUE(ref_ids.insert(target.at("refId").as_string()).second) << "duplicate refId";
    }
  }
  for (const char* type : {"heatmap", "timeseries", "row"})
    EXPECT_TRUE(types.contains(type)) << type;
}

// Each panel the dashboard is meant to have is there, found by the family it reads.
TEST_F(DeployArtefactsTest, DashboardCoversTheServicesFamilies) {
  std::set<std::string> used;
  for (const auto& expr : DashboardPromQL(LoadDashboard())) {
    for (const auto& name : MetricNamesIn(expr)) used.insert(name);
  }
  for (const char* name :
       {"feldera_completion_token_latency_seconds_bucket",
        "feldera_completion_status_requests_total", "feldera_pipeline_incarnations_total",
        "feldera_pipeline_up", "completion_sidecar_upstream_requests_total",
        "completion_sidecar_upstream_request_duration_seconds_bucket",
        "input_connector_completion_latency_seconds_bucket"})
    EXPECT_TRUE(used.contains(name)) << name;
}

// The fixture the dashboard's Feldera queries are checked against is an exposition Prometheus
// accepts, with Feldera's family and Feldera's labels.
TEST_F(DeployArtefactsTest, FelderasMetricsAreAValidExpositionWithFelderasLabels) {
  const std::string text = FelderaPipelineMetrics();
  const PromtoolRun run = RunPromtoolOnInput({"check", "metrics"}, text);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(
      FamiliesInExposition(text).histograms.contains("input_connector_completion_latency_seconds"));
  for (const char* label : {"pipeline=\"pipeline-", "pipeline_name=\"", "endpoint=\""})
    EXPECT_NE(text.find(label), std::string::npos) << label;
}

// Every sample of a text exposition as a promtool input series that keeps its value.
void AddSamplesAsSeries(YAML::Emitter& out, const std::string& exposition) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with("#")) continue;
    const size_t space = line.rfind(' ');
    out << YAML::BeginMap << YAML::Key << "series" << YAML::Value << line.substr(0, space)
        << YAML::Key << "values" << YAML::Value << line.substr(space + 1) + "x20" << YAML::EndMap;
  }
}

void AddSeries(YAML::Emitter& out, const std::string& series, const std::string& values) {
  out << YAML::BeginMap << YAML::Key << "series" << YAML::Value << series << YAML::Key << "values"
      << YAML::Value << values << YAML::EndMap;
}

// The targets of the one panel that reads Feldera's completion latency, by refId, with the
// variables set as someone looking at every pipeline of job completion-sidecar sets them.
std::map<std::string, std::string> FelderaLatencyPanelTargets() {
  std::map<std::string, std::string> targets;
  int panels = 0;
  const web::json::value dashboard = LoadDashboard();
  for (const auto& panel : dashboard.at("panels").as_array()) {
    if (!panel.has_array_field("targets")) continue;
    std::map<std::string, std::string> of_panel;
    bool reads_feldera = false;
    for (const auto& target : panel.at("targets").as_array()) {
      const std::string expr = target.at("expr").as_string();
      reads_feldera = reads_feldera || MetricNamesIn(expr).contains(
                                           "input_connector_completion_latency_seconds_bucket");
      of_panel[target.at("refId").as_string()] = SubstituteGrafanaVariables(
          expr, {{"job", "completion-sidecar"}, {"pipeline_name", ".*"}});
    }
    if (!reads_feldera) continue;
    ++panels;
    targets = of_panel;
  }
  EXPECT_EQ(panels, 1);
  return targets;
}

// The panel putting Feldera's completion latency beside the service's token latency, evaluated
// by Prometheus's own engine (`promtool test rules`) over Feldera's exposition and the series of
// two replicas of the service. Feldera's histogram holds its last 600 s: read as it stands, its
// 99th percentile is that of its buckets. Only pipeline_name joins the two: the replicas here, as
// in standalone mode, do not know Feldera's pipeline ids.
TEST_F(DeployArtefactsTest, FelderasCompletionLatencyIsShownBesideTheTokensJoinedOnPipelineName) {
  const auto targets = FelderaLatencyPanelTargets();
  ASSERT_EQ(targets.size(), 2u);
  const std::string& service = targets.at("A");
  const std::string& feldera = targets.at("B");
  EXPECT_TRUE(MetricNamesIn(service).contains("feldera_completion_token_latency_seconds_bucket"));

  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq
      << YAML::EndSeq << YAML::Key << "evaluation_interval" << YAML::Value << "1m";
  out << YAML::Key << "tests" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << "1m";
  out << YAML::Key << "input_series" << YAML::Value << YAML::BeginSeq;
  // Feldera serves orders (two input connectors) and adhoc, which the service does not serve.
  AddSamplesAsSeries(out, FelderaPipelineMetrics());
  const std::string labels = "job=\"completion-sidecar\",pipeline_name=\"orders\",";
  for (const char* instance : {"a", "b"}) {
    const std::string of = labels + "instance=\"" + instance + "\"";
    AddSeries(out, "feldera_pipeline_up{" + of + "}", "1x20");
    // 10 tokens a minute: 5 within 100 ms through replica a, 5 between 100 and 250 ms through b.
    const std::string bucket =
        "feldera_completion_token_latency_seconds_bucket{" + of + ",source=\"ingress\",le=";
    const bool a = std::string(instance) == "a";
    AddSeries(out, bucket + "\"0.1\"}", a ? "0+5x20" : "0x20");
    AddSeries(out, bucket + "\"0.25\"}", "0+5x20");
    AddSeries(out, bucket + "\"+Inf\"}", "0+5x20");
  }
  out << YAML::EndSeq;
  out << YAML::Key << "promql_expr_test" << YAML::Value << YAML::BeginSeq;
  // In milliseconds, rounded. Feldera's buckets end at 0.029999 s (all of orders.api-ingress's
  // 100 samples) and at 0.199999 and 0.299999 s (100 samples each of orders.kafka_in's 200).
  out << YAML::BeginMap << YAML::Key << "expr" << YAML::Value << "round(1000 * (" + feldera + "))"
      << YAML::Key << "eval_time" << YAML::Value << "15m" << YAML::Key << "exp_samples"
      << YAML::Value << YAML::BeginSeq;
  out << YAML::BeginMap << YAML::Key << "labels" << YAML::Value
      << "{pipeline_name=\"orders\",endpoint=\"orders.api-ingress\"}" << YAML::Key << "value"
      << YAML::Value << 30 << YAML::EndMap;
  out << YAML::BeginMap << YAML::Key << "labels" << YAML::Value
      << "{pipeline_name=\"orders\",endpoint=\"orders.kafka_in\"}" << YAML::Key << "value"
      << YAML::Value << 298 << YAML::EndMap;
  out << YAML::EndSeq << YAML::EndMap;
  // Both replicas' tokens together: 0.1 + 0.15 * (9.9 - 5) / 5 s.
  out << YAML::BeginMap << YAML::Key << "expr" << YAML::Value << "round(1000 * (" + service + "))"
      << YAML::Key << "eval_time" << YAML::Value << "15m" << YAML::Key << "exp_samples"
      << YAML::Value << YAML::BeginSeq << YAML::BeginMap << YAML::Key << "labels" << YAML::Value
      << "{pipeline_name=\"orders\"}" << YAML::Key << "value" << YAML::Value << 247 << YAML::EndMap
      << YAML::EndSeq << YAML::EndMap;
  out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;

  const TempFile tests(out.c_str(), ".yaml");
  const PromtoolRun run = RunPromtool({"test", "rules", tests.path()});
  EXPECT_EQ(run.exit_code, 0) << run.output << "\n--- tests ---\n" << out.c_str();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// deploy/grafana/dashboard-configmap.yaml holds the dashboard, unchanged, where Grafana's
// dashboard sidecar finds it.
TEST_F(DeployArtefactsTest, TheDashboardConfigMapHoldsTheDashboardForGrafanasSidecar) {
  const std::string path = DeployDir() + "/grafana/dashboard-configmap.yaml";
  const YAML::Node map = YAML::LoadFile(path);
  EXPECT_EQ(map["apiVersion"].as<std::string>(""), "v1");
  EXPECT_EQ(map["kind"].as<std::string>(""), "ConfigMap");
  EXPECT_FALSE(map["metadata"]["name"].as<std::string>("").empty());
  // The label the sidecar selects by (the grafana chart's default), its value a string.
  const YAML::Node label = map["metadata"]["labels"]["grafana_dashboard"];
  EXPECT_EQ(label.as<std::string>(""), "1");
  EXPECT_EQ(label.Tag(), "!") << "the label value must be quoted";
  ASSERT_EQ(map["data"].size(), 1u);
  for (const auto& entry : map["data"]) {
    EXPECT_TRUE(entry.first.as<std::string>().ends_with(".json"));
    EXPECT_EQ(entry.second.as<std::string>(), ReadFile(DeployDir() + "/grafana/dashboard.json"))
        << "the ConfigMap is not the dashboard: run scripts/render-dashboard-configmap";
  }
  // `kubectl apply` keeps the whole object in an annotation, and annotations are limited to
  // 256 KiB.
  EXPECT_LT(ReadFile(path).size(), 256u * 1024);
}

TEST_F(DeployArtefactsTest, EveryAlertIsUnitTestedFiringAndNotFiring) {
  const Rules rules = LoadRules();
  ASSERT_GE(rules.alerts.size(), 4u);
  std::set<std::string> fires;
  std::set<std::string> stays_quiet;
  const YAML::Node tests = YAML::LoadFile(DeployDir() + "/prometheus/rules_test.yaml");
  for (const auto& test : tests["tests"]) {
    for (const auto& check : test["alert_rule_test"]) {
      const std::string alert = check["alertname"].as<std::string>();
      const YAML::Node expected = check["exp_alerts"];
      (expected && expected.size() > 0 ? fires : stays_quiet).insert(alert);
    }
  }
  for (const auto& alert : rules.alerts) {
    EXPECT_TRUE(fires.contains(alert)) << alert << " has no test where it fires";
    EXPECT_TRUE(stays_quiet.contains(alert)) << alert << " has no test where it must not fire";
  }
}

}  // namespace
}  // namespace sidecar::testing
