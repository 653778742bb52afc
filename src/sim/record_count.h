// Counting the records of an ingress request body, in the formats the simulator takes: JSON
// (one record per element of an array body, or per line of newline-delimited JSON) and CSV (one
// record per non-blank line; without the table's schema the columns are not checked).
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sidecar::sim {

// Feldera truncates the text of a record it cites in an error to this many bytes
// (MAX_RECORD_LEN_IN_ERRMSG).
inline constexpr size_t kMaxInvalidTextBytes = 4096;

// What is wrong with a body, as one of Feldera's parse errors.
struct ParseFailure {
  std::string description;   // "failed to parse string as a JSON document: ..."
  std::string invalid_text;  // the offending text, at most kMaxInvalidTextBytes
};

struct CountedRecords {
  uint64_t records = 0;
  std::optional<ParseFailure> failure;  // set: the body is refused whole
};

// With `array` (array=true), or a body whose first non-blank character is '[', the body is one
// JSON array and each element is a record. Otherwise it is newline-delimited JSON: each non-blank
// line is a record. The first text that is not JSON of that shape fails the body.
CountedRecords CountJsonRecords(std::string_view body, bool array);

// Each non-blank line is a record.
CountedRecords CountCsvRecords(std::string_view body);

}  // namespace sidecar::sim
