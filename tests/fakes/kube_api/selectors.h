// Label and field selectors with the syntax and meaning of k8s.io/apimachinery, and the filter a
// list or watch applies with them.
//
// Pure functions over plain structs, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sidecar::testing::kubefake {

struct LabelRequirement {
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan, kLessThan };
  std::string key;
  Op op = Op::kExists;
  // `=` and `==` are kIn with one value, `!=` is kNotIn with one value.
  std::vector<std::string> values;
};

// All requirements must hold (they are ANDed). Empty: matches everything.
struct LabelSelector {
  std::vector<LabelRequirement> requirements;

  bool Matches(const std::map<std::string, std::string>& labels) const;
};

// Parses "app=web,tier!=db,env in (a,b),!legacy,release". The error says what is wrong.
Result<LabelSelector> ParseLabelSelector(std::string_view text);

struct FieldRequirement {
  std::string field;  // "metadata.name", "status.phase", ...
  bool negated = false;
  std::string value;
};

// All requirements must hold. Empty: matches everything.
struct FieldSelector {
  std::vector<FieldRequirement> requirements;
};

// Parses "status.phase=Running,spec.nodeName!=n1" (operators `=`, `==`, `!=`; `\` escapes `,`,
// `=` and `\` in values) and checks that `resource` supports each field, as the server does.
Result<FieldSelector> ParseFieldSelector(std::string_view text, const std::string& resource);

// The value of a selectable field of `object`, as the server derives it ("" when the object has
// no value); nullopt when `resource` does not support selecting on `field`.
std::optional<std::string> SelectableFieldValue(const std::string& resource,
                                                const web::json::value& object,
                                                const std::string& field);

// What one list or watch selects.
struct ObjectFilter {
  std::string namespace_name;  // "" selects every namespace
  LabelSelector labels;
  FieldSelector fields;

  bool SelectsEverythingInScope() const {
    return labels.requirements.empty() && fields.requirements.empty();
  }
  bool Matches(const std::string& resource, const web::json::value& object) const;
};

}  // namespace sidecar::testing::kubefake
