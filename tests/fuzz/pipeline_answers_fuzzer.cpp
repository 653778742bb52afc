// Reading a pipeline's answers (/stats, /completion_status, token answers) from arbitrary bodies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "status/pipeline_answers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // Byte 0 picks the HTTP status among those that take different paths.
  static constexpr int kStatuses[] = {200, 202, 400, 404, 409, 500, 503, 302};
  const int status = kStatuses[data[0] % std::size(kStatuses)];
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto stats = sidecar::ParseStats(body);
  if (!stats.ok()) FUZZ_CHECK(!stats.error().empty());

  (void)sidecar::ParseCompletionStatusAnswer(status, body, "fuzzed", 1);

  if (const auto token = sidecar::ParseTokenAnswer(status, body)) {
    // A token read from an answer encodes and decodes back to itself.
    const auto again = sidecar::DecodeCompletionToken(sidecar::EncodeCompletionToken(*token));
    FUZZ_CHECK(again.ok() && again.value() == *token);
  }
  return 0;
}
