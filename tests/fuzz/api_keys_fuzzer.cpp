// The API keys file reader and the Authorization header check on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/api_keys.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  for (const std::string& key : sidecar::ParseApiKeys(text)) {
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(key.front() != '#');
    FUZZ_CHECK(key.find('\n') == std::string::npos);
    FUZZ_CHECK(text.find(key) != std::string_view::npos);
  }

  if (const auto credential = sidecar::BearerCredential(text)) {
    // The credential is a non-empty piece of the header value itself, after the scheme.
    FUZZ_CHECK(!credential->empty());
    FUZZ_CHECK(credential->data() >= text.data() + 7);
    FUZZ_CHECK(credential->data() + credential->size() <= text.data() + text.size());
  }
  return 0;
}
