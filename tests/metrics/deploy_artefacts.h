// The Prometheus and Grafana artefacts in deploy/ as tests read them: the dashboard's and the
// rules' PromQL, and which metric names those expressions use that a set of exported families
// does not provide; and Feldera's own metrics, which the dashboard reads beside the service's.
//
// Thread-compatible: plain functions reading files.
#pragma once

#include <cpprest/json.h>

#include <set>
#include <string>
#include <vector>

#include "metrics/metrics.h"

namespace sidecar::testing {

// deploy/ of the source tree.
std::string DeployDir();

web::json::value LoadDashboard();
// The dashboard's PromQL with Grafana's variables replaced: every panel target, and the series
// selector of every label_values() variable query.
std::vector<std::string> DashboardPromQL(const web::json::value& dashboard);

struct Rules {
  std::vector<std::string> exprs;
  std::set<std::string> recorded;  // names of recording rules
  std::set<std::string> alerts;
};
Rules LoadRules();

// The metric families something exports, and which of them are histograms.
struct ExportedFamilies {
  std::set<std::string> names;
  std::set<std::string> histograms;
};
// What a Metrics object exports.
ExportedFamilies FamiliesOf(const Metrics& metrics);
// What a text-format scrape declares (its `# TYPE` lines).
ExportedFamilies FamiliesInExposition(const std::string& text);

// A Feldera pipeline's /metrics as Feldera writes it, for the families the dashboard reads from
// Feldera (tests/fixtures/feldera/pipeline-metrics.prom; SOURCES.md there says how it was made).
std::string FelderaPipelineMetrics();
// `families` and those of FelderaPipelineMetrics(): what the dashboard may read.
ExportedFamilies WithFelderaFamilies(ExportedFamilies families);

// The metric names the expressions select that `exported` does not provide, that are no
// recording rule of rules.yaml, and that are not Prometheus's own `up`. A _bucket, _sum or _count
// series counts as its histogram family.
std::set<std::string> UnknownMetricNames(const std::vector<std::string>& exprs,
                                         const ExportedFamilies& exported);

}  // namespace sidecar::testing
