#include "sim/record_count.h"

#include <cpprest/json.h>

#include <algorithm>

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

// Why `text` is not one JSON document, or nullopt when it is. The parser rejects nesting deeper
// than 128 levels.
std::optional<std::string> JsonProblem(std::string_view text, web::json::value* parsed) {
  try {
    web::json::value doc = web::json::value::parse(std::string(text));
    if (parsed != nullptr) *parsed = std::move(doc);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

ParseFailure JsonFailure(const std::string& reason, std::string_view text) {
  return ParseFailure{"failed to parse string as a JSON document: " + reason,
                      std::string(text.substr(0, kMaxInvalidTextBytes))};
}

template <typename Visit>
void ForEachNonBlankLine(std::string_view body, Visit visit) {
  size_t start = 0;
  while (start < body.size()) {
    const size_t end = std::min(body.find('\n', start), body.size());
    const std::string_view line = Trim(body.substr(start, end - start));
    start = end + 1;
    if (!line.empty() && !visit(line)) return;
  }
}

}  // namespace

CountedRecords CountJsonRecords(std::string_view body, bool array) {
  CountedRecords counted;
  const std::string_view trimmed = Trim(body);
  if (array || (!trimmed.empty() && trimmed.front() == '[')) {
    web::json::value doc;
    if (std::optional<std::string> problem = JsonProblem(trimmed, &doc)) {
      counted.failure = JsonFailure(*problem, trimmed);
    } else if (!doc.is_array()) {
      counted.failure = JsonFailure("expected a JSON array", trimmed);
    } else {
      counted.records = doc.as_array().size();
    }
    return counted;
  }
  ForEachNonBlankLine(body, [&](std::string_view line) {
    if (std::optional<std::string> problem = JsonProblem(line, nullptr)) {
      counted.failure = JsonFailure(*problem, line);
      return false;
    }
    ++counted.records;
    return true;
  });
  if (counted.failure) counted.records = 0;
  return counted;
}

CountedRecords CountCsvRecords(std::string_view body) {
  CountedRecords counted;
  ForEachNonBlankLine(body, [&](std::string_view) {
    ++counted.records;
    return true;
  });
  return counted;
}

}  // namespace sidecar::sim
