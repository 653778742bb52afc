// FamilySpec: the name, HELP text and type of one metric family, so that families can be listed
// (and described in an exposition) before they have any series.
//
// Thread-safe: plain constant data.
#pragma once

#include <prometheus/metric_type.h>

#include <string_view>

namespace sidecar {

struct FamilySpec {
  std::string_view name;
  std::string_view help;
  prometheus::MetricType type;
};

}  // namespace sidecar
