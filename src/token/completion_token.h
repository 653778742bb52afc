// Feldera completion tokens: base64url of compact JSON {"u":"<incarnation uuid>","e":<endpoint>,
// "c":<count>}. See docs/feldera.md for the contract.
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "token/uuid.h"

namespace sidecar {

struct CompletionToken {
  Uuid incarnation;   // "u": the pipeline incarnation that made the token
  uint64_t endpoint;  // "e": input endpoint id
  uint64_t count;     // "c": the endpoint's record count when the token was made

  friend bool operator==(const CompletionToken&, const CompletionToken&) = default;
};

// Feldera's tokens are under 100 bytes; anything longer than this is rejected before decoding.
inline constexpr size_t kMaxTokenLength = 4096;

// Decodes a token as it appears in a query string (already percent-decoded). The error text says
// what is wrong in words a client can act on; it never echoes the token back.
Result<CompletionToken> DecodeCompletionToken(std::string_view text);

// Encodes exactly as Feldera does: compact JSON with fields u, e, c, base64url without padding.
std::string EncodeCompletionToken(const CompletionToken& token);

}  // namespace sidecar
