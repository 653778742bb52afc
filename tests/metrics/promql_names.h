// Reading PromQL as the dashboard and rule tests need it: the metric names an expression selects,
// and Grafana's template variables replaced so that Prometheus can parse the expression.
//
// This is no PromQL parser (promtool checks validity); it only has to tell metric names apart
// from functions, aggregations, keywords, label names, strings and durations, which is enough for
// expressions that promtool accepts.
//
// Thread-safe: pure functions.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace sidecar::testing {

// The metric names `expr` selects, as written (histogram series keep their _bucket suffix).
std::set<std::string> MetricNamesIn(std::string_view expr);

// `expr` with Grafana's interval variables ($__rate_interval, $__interval, $__range, also in the
// ${...} form) replaced by "5m", the variables in `values` by their values, and any other
// $variable by "x".
std::string SubstituteGrafanaVariables(std::string_view expr,
                                       const std::map<std::string, std::string>& values = {});

// The series selector of a Grafana `label_values(selector, label)` query, or empty when `query`
// is not one.
std::string LabelValuesSelector(std::string_view query);

}  // namespace sidecar::testing
