// Base64url (RFC 4648 section 5) as Feldera's completion tokens use it.
//
// Feldera encodes without padding; its documentation shows padded examples. The decoder accepts
// both, and nothing else: no whitespace, no standard-alphabet characters, no misplaced '='.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sidecar {

// Encodes `bytes` without padding.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes `text`, padded or unpadded. Returns nullopt on any character outside the url-safe
// alphabet, a length that no encoding produces, or non-zero trailing bits.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace sidecar
