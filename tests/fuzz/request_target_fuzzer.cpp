// Query-string and path parsing and route matching on arbitrary request targets.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/request_target.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the method; the rest is the target, split at '?' as the server does.
  static constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "get"};
  const std::string_view method = kMethods[data[0] % std::size(kMethods)];
  const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

  // Decoding never lengthens: every escape is three bytes for one.
  FUZZ_CHECK(sidecar::PercentDecode(target, true).size() <= target.size());
  FUZZ_CHECK(sidecar::PercentDecode(target, false).size() <= target.size());

  for (const auto& [name, value] : sidecar::ParseQuery(query)) {
    FUZZ_CHECK(name.size() + value.size() <= query.size());
  }
  for (const std::string& segment : sidecar::SplitPath(path)) {
    FUZZ_CHECK(!segment.empty());
    FUZZ_CHECK(segment.size() <= path.size());
  }

  const sidecar::Route route = sidecar::MatchRoute(method, path);
  // Names taken from the path are decoded segments of it.
  FUZZ_CHECK(route.pipeline.size() <= path.size());
  FUZZ_CHECK(route.table.size() <= path.size());
  FUZZ_CHECK(route.connector.size() <= path.size());
  return 0;
}
