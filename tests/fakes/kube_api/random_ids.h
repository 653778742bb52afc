// Identifiers and timestamps in the forms the Kubernetes API uses.
//
// Random values come from a per-thread generator: safe from any thread.
#pragma once

#include <chrono>
#include <string>

namespace sidecar::testing::kubefake {

// A random version-4 UUID, lower-case hyphenated, as `metadata.uid`.
std::string NewUid();

// `length` random characters from the alphabet the API server uses for `generateName` suffixes.
std::string RandomNameSuffix(size_t length = 5);

// `length` random lower-case hex digits (container IDs).
std::string RandomHex(size_t length);

// RFC 3339 in UTC with second precision ("2025-01-16T06:35:59Z"), as object timestamps are.
std::string Rfc3339(std::chrono::system_clock::time_point time = std::chrono::system_clock::now());

}  // namespace sidecar::testing::kubefake
