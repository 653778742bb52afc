#include "sim/record_count.h"

#include <cpprest/json.h>

#include <string>

namespace sidecar::sim {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// Parses one JSON document; the parser rejects nesting deeper than 128 levels.
Result<web::json::value> ParseJson(std::string_view text) {
  try {
    return Result<web::json::value>::Ok(web::json::value::parse(std::string(text)));
  } catch (const std::exception& e) {
    return Result<web::json::value>::Error(e.what());
  }
}

}  // namespace

Result<uint64_t> CountJsonRecords(std::string_view body, bool array) {
  using R = Result<uint64_t>;
  const std::string_view trimmed = Trim(body);
  if (array || (!trimmed.empty() && trimmed.front() == '[')) {
    Result<web::json::value> doc = ParseJson(trimmed);
    if (!doc.ok()) return R::Error("body is not valid JSON: " + doc.error());
    if (!doc->is_array()) return R::Error("body is not a JSON array");
    return R::Ok(doc->as_array().size());
  }
  uint64_t records = 0;
  uint64_t line_number = 0;
  size_t start = 0;
  while (start < body.size()) {
    const size_t end = std::min(body.find('\n', start), body.size());
    const std::string_view line = Trim(body.substr(start, end - start));
    ++line_number;
    start = end + 1;
    if (line.empty()) continue;
    Result<web::json::value> doc = ParseJson(line);
    if (!doc.ok()) {
      return R::Error("line " + std::to_string(line_number) + " is not valid JSON: " + doc.error());
    }
    ++records;
  }
  return R::Ok(records);
}

}  // namespace sidecar::sim
