#include "metrics/promql_names.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sidecar::testing {
namespace {

// Words that are never metric names: aggregations, keywords and binary operators. Functions are
// recognised by the '(' after them.
constexpr std::array<std::string_view, 26> kReservedWords = {
    "sum",    "min",          "max",        "avg",         "group",    "stddev", "stdvar",
    "count",  "count_values", "bottomk",    "topk",        "quantile", "by",     "without",
    "on",     "ignoring",     "group_left", "group_right", "bool",     "and",    "or",
    "unless", "offset",       "atan2",      "inf",         "nan"};

// Words after which a parenthesised list of label names follows.
constexpr std::array<std::string_view, 6> kLabelListWords = {
    "by", "without", "on", "ignoring", "group_left", "group_right"};

bool IsIdentifierStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}

bool IsIdentifierPart(char c) {
  return IsIdentifierStart(c) || std::isdigit(static_cast<unsigned char>(c));
}

std::string Lower(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Index just past the string literal that starts at `at` (quote included).
size_t SkipString(std::string_view text, size_t at) {
  const char quote = text[at];
  for (size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && quote != '`')
      ++i;
    else if (text[i] == quote)
      return i + 1;
  }
  return text.size();
}

// Index just past the bracket that closes the one at `at`, skipping strings inside.
size_t SkipGroup(std::string_view text, size_t at, char open, char close) {
  int depth = 0;
  for (size_t i = at; i < text.size();) {
    const char c = text[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = SkipString(text, i);
      continue;
    }
    if (c == open)
      ++depth;
    else if (c == close && --depth == 0)
      return i + 1;
    ++i;
  }
  return text.size();
}

size_t SkipSpaces(std::string_view text, size_t at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return at;
}

}  // namespace

std::set<std::string> MetricNamesIn(std::string_view expr) {
  std::set<std::string> names;
  size_t i = 0;
  while (i < expr.size()) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = SkipString(expr, i);
    } else if (c == '#') {
      i = std::min(expr.find('\n', i), expr.size());
    } else if (c == '{') {
      i = SkipGroup(expr, i, '{', '}');  // label matchers
    } else if (c == '[') {
      i = SkipGroup(expr, i, '[', ']');  // range or subquery
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      while (i < expr.size() && (IsIdentifierPart(expr[i]) || expr[i] == '.'))
        ++i;  // a number or a duration, such as 0.99, 1e3, 0x1f or 5m
    } else if (IsIdentifierStart(c)) {
      const size_t start = i;
      while (i < expr.size() && IsIdentifierPart(expr[i])) ++i;
      const std::string_view word = expr.substr(start, i - start);
      const size_t next = SkipSpaces(expr, i);
      const bool call = next < expr.size() && expr[next] == '(';
      const std::string lower = Lower(word);
      if (Contains(kLabelListWords, lower) && call)
        i = SkipGroup(expr, next, '(', ')');
      else if (!call && !Contains(kReservedWords, lower))
        names.emplace(word);
    } else {
      ++i;
    }
  }
  return names;
}

std::string SubstituteGrafanaVariables(std::string_view expr,
                                       const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < expr.size()) {
    if (expr[i] != '$') {
      out += expr[i++];
      continue;
    }
    std::string_view name;
    if (i + 1 < expr.size() && expr[i + 1] == '{') {
      const size_t close = expr.find('}', i);
      const size_t end = close == std::string_view::npos ? expr.size() : close;
      name = expr.substr(i + 2, end - i - 2);
      i = std::min(end + 1, expr.size());
    } else {
      size_t end = i + 1;
      while (end < expr.size() && IsIdentifierPart(expr[end]) && expr[end] != ':') ++end;
      name = expr.substr(i + 1, end - i - 1);
      i = end;
    }
    const bool interval = name == "__rate_interval" || name == "__interval" || name == "__range";
    const auto value = values.find(std::string(name));
    out += interval ? "5m" : value != values.end() ? value->second : "x";
  }
  return out;
}

std::string LabelValuesSelector(std::string_view query) {
  constexpr std::string_view kPrefix = "label_values(";
  const size_t start = SkipSpaces(query, 0);
  if (query.substr(start, kPrefix.size()) != kPrefix) return "";
  // The selector runs to the last comma before the closing parenthesis.
  const size_t close = query.rfind(')');
  const size_t comma = query.rfind(',', close);
  if (close == std::string_view::npos || comma == std::string_view::npos ||
      comma < start + kPrefix.size())
    return "";
  std::string_view selector = query.substr(start + kPrefix.size(), comma - start - kPrefix.size());
  while (!selector.empty() && std::isspace(static_cast<unsigned char>(selector.back())))
    selector.remove_suffix(1);
  return std::string(selector);
}

}  // namespace sidecar::testing
