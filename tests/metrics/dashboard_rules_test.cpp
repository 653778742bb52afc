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
  EXPECT_EQ(UnknownMetricNames(DashboardPromQL(LoadDashboard()), FamiliesOf(Metrics())),
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
  const std::string pipeline_query =
      variables["pipeline_name"].at("query").at("query").as_string();
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
        "completion_sidecar_upstream_request_duration_seconds_bucket"})
    EXPECT_TRUE(used.contains(name)) << name;
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
