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

#include "metrics/metrics.h"
#include "metrics/promql_names.h"
#include "metrics/promtool.h"

namespace sidecar::testing {
namespace {

const std::string kDeployDir = DEPLOY_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

web::json::value LoadDashboard() {
  return web::json::value::parse(ReadFile(kDeployDir + "/grafana/dashboard.json"));
}

// Every string under an "expr" key, anywhere in the document.
void CollectExprs(const web::json::value& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, child] : node.as_object()) {
      if (key == "expr" && child.is_string())
        out.push_back(child.as_string());
      else
        CollectExprs(child, out);
    }
  } else if (node.is_array()) {
    for (const auto& child : node.as_array()) CollectExprs(child, out);
  }
}

// The dashboard's PromQL with Grafana's variables replaced: every panel target, and the series
// selector of every label_values() variable query.
std::vector<std::string> DashboardPromQL(const web::json::value& dashboard) {
  std::vector<std::string> exprs;
  CollectExprs(dashboard.at("panels"), exprs);
  for (const auto& variable : dashboard.at("templating").at("list").as_array()) {
    if (!variable.has_field("query") || !variable.at("query").is_object()) continue;
    const std::string selector = LabelValuesSelector(variable.at("query").at("query").as_string());
    if (!selector.empty()) exprs.push_back(selector);
  }
  for (auto& expr : exprs) expr = SubstituteGrafanaVariables(expr);
  return exprs;
}

struct Rules {
  std::vector<std::string> exprs;
  std::set<std::string> recorded;
  std::set<std::string> alerts;
};

Rules LoadRules() {
  Rules rules;
  const YAML::Node file = YAML::LoadFile(kDeployDir + "/prometheus/rules.yaml");
  for (const auto& group : file["groups"]) {
    for (const auto& rule : group["rules"]) {
      rules.exprs.push_back(rule["expr"].as<std::string>());
      if (rule["record"]) rules.recorded.insert(rule["record"].as<std::string>());
      if (rule["alert"]) rules.alerts.insert(rule["alert"].as<std::string>());
    }
  }
  return rules;
}

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

// The metric names the expressions select that the service does not export, are no recording
// rule of rules.yaml, and are not Prometheus's own `up`. A _bucket, _sum or _count series counts
// as its histogram family.
std::set<std::string> UnknownMetricNames(const std::vector<std::string>& exprs) {
  std::set<std::string> known(Metrics::FamilyNames().begin(), Metrics::FamilyNames().end());
  known.insert("up");
  const Rules rules = LoadRules();
  known.insert(rules.recorded.begin(), rules.recorded.end());
  std::set<std::string> histograms;
  for (const auto& family : Metrics().Collect()) {
    if (family.type == prometheus::MetricType::Histogram) histograms.insert(family.name);
  }
  const auto is_histogram_series = [&](const std::string& name) {
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix) &&
          histograms.contains(name.substr(0, name.size() - suffix.size())))
        return true;
    }
    return false;
  };

  std::set<std::string> unknown;
  for (const auto& expr : exprs) {
    for (const std::string& name : MetricNamesIn(expr)) {
      if (!known.contains(name) && !is_histogram_series(name)) unknown.insert(name);
    }
  }
  return unknown;
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
  EXPECT_EQ(UnknownMetricNames(DashboardPromQL(LoadDashboard())), std::set<std::string>{});
  EXPECT_EQ(UnknownMetricNames(LoadRules().exprs), std::set<std::string>{});
  // The check can fail.
  EXPECT_EQ(
      UnknownMetricNames({"rate(feldera_completion_tokens_total[5m]) + "
                          "feldera_completion_token_latency_seconds_bucket + "
                          "feldera_pipeline_up_count"}),
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
  ASSERT_TRUE(variables.contains("pipeline"));
  EXPECT_EQ(variables["pipeline"].at("type").as_string(), "query");
  const std::string pipeline_query = variables["pipeline"].at("query").at("query").as_string();
  EXPECT_TRUE(pipeline_query.starts_with("label_values(")) << pipeline_query;
  EXPECT_TRUE(pipeline_query.ends_with(", pipeline)")) << pipeline_query;

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
      EXPECT_FALSE(target.at("expr").as_string().empty());
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
  const YAML::Node tests = YAML::LoadFile(kDeployDir + "/prometheus/rules_test.yaml");
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
