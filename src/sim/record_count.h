// Counting the records of an ingress request body in Feldera's JSON format.
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace sidecar::sim {

// With `array` (array=true), or a body whose first non-blank character is '[', the body is one
// JSON array and each element is a record. Otherwise it is newline-delimited JSON: each non-blank
// line is a record. Fails with a short reason on anything that is not valid JSON of that shape.
Result<uint64_t> CountJsonRecords(std::string_view body, bool array);

}  // namespace sidecar::sim
