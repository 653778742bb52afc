// DecodeCompletionToken on arbitrary text, and the codec's round trip on arbitrary tokens.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "token/completion_token.h"

namespace {

// A token whose fields come from the first 32 bytes of the input; nullopt when there are fewer.
std::optional<sidecar::CompletionToken> TokenFromBytes(const uint8_t* data, size_t size) {
  constexpr size_t kUuidBytes = 16;
  if (size < kUuidBytes + 2 * sizeof(uint64_t)) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < kUuidBytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[data[i] >> 4];
    text += kHex[data[i] & 0xf];
  }
  const std::optional<sidecar::Uuid> uuid = sidecar::Uuid::Parse(text);
  FUZZ_CHECK(uuid.has_value());
  FUZZ_CHECK(uuid->ToString() == text);
  sidecar::CompletionToken token{*uuid, 0, 0};
  std::memcpy(&token.endpoint, data + kUuidBytes, sizeof(uint64_t));
  std::memcpy(&token.count, data + kUuidBytes + sizeof(uint64_t), sizeof(uint64_t));
  return token;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const sidecar::Result<sidecar::CompletionToken> decoded = sidecar::DecodeCompletionToken(text);
  if (decoded.ok()) {
    // Whatever decodes re-encodes to a token that decodes to the same fields.
    const std::string encoded = sidecar::EncodeCompletionToken(decoded.value());
    const auto again = sidecar::DecodeCompletionToken(encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.value() == decoded.value());
  } else {
    FUZZ_CHECK(!decoded.error().empty());
  }

  if (const auto token = TokenFromBytes(data, size)) {
    const std::string encoded = sidecar::EncodeCompletionToken(*token);
    FUZZ_CHECK(encoded.size() <= sidecar::kMaxTokenLength);
    const auto round_trip = sidecar::DecodeCompletionToken(encoded);
    FUZZ_CHECK(round_trip.ok());
    FUZZ_CHECK(round_trip.value() == *token);
  }
  return 0;
}
