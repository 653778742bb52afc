#include "metrics/deploy_artefacts.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "metrics/promql_names.h"

namespace sidecar::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

}  // namespace

std::string DeployDir() {
  return DEPLOY_DIR;
}

web::json::value LoadDashboard() {
  return web::json::value::parse(ReadFile(DeployDir() + "/grafana/dashboard.json"));
}

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

Rules LoadRules() {
  Rules rules;
  const YAML::Node file = YAML::LoadFile(DeployDir() + "/prometheus/rules.yaml");
  for (const auto& group : file["groups"]) {
    for (const auto& rule : group["rules"]) {
      rules.exprs.push_back(rule["expr"].as<std::string>());
      if (rule["record"]) rules.recorded.insert(rule["record"].as<std::string>());
      if (rule["alert"]) rules.alerts.insert(rule["alert"].as<std::string>());
    }
  }
  return rules;
}

ExportedFamilies FamiliesOf(const Metrics& metrics) {
  ExportedFamilies exported;
  for (const auto& family : metrics.Collect()) {
    exported.names.insert(family.name);
    if (family.type == prometheus::MetricType::Histogram) exported.histograms.insert(family.name);
  }
  return exported;
}

ExportedFamilies FamiliesInExposition(const std::string& text) {
  ExportedFamilies exported;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string hash, keyword, name, type;
    if (!(words >> hash >> keyword >> name >> type) || hash != "#" || keyword != "TYPE") continue;
    exported.names.insert(name);
    if (type == "histogram") exported.histograms.insert(name);
  }
  return exported;
}

std::string FelderaPipelineMetrics() {
  return ReadFile(std::string(FELDERA_FIXTURES_DIR) + "/pipeline-metrics.prom");
}

ExportedFamilies WithFelderaFamilies(ExportedFamilies families) {
  const ExportedFamilies feldera = FamiliesInExposition(FelderaPipelineMetrics());
  families.names.insert(feldera.names.begin(), feldera.names.end());
  families.histograms.insert(feldera.histograms.begin(), feldera.histograms.end());
  return families;
}

std::set<std::string> UnknownMetricNames(const std::vector<std::string>& exprs,
                                         const ExportedFamilies& exported) {
  std::set<std::string> known = exported.names;
  known.insert("up");
  const Rules rules = LoadRules();
  known.insert(rules.recorded.begin(), rules.recorded.end());
  const auto is_histogram_series = [&](const std::string& name) {
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix) &&
          exported.histograms.contains(name.substr(0, name.size() - suffix.size())))
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

}  // namespace sidecar::testing
