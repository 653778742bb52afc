#include "token/completion_token.h"

#include <cpprest/json.h>

#include <charconv>

#include "token/base64url.h"

namespace sidecar {
namespace {

Result<uint64_t> ReadCount(const web::json::object& doc, const char* field) {
  const auto it = doc.find(field);
  if (it == doc.end()) return Result<uint64_t>::Error(std::string("missing field '") + field + "'");
  const web::json::value& v = it->second;
  // web::json keeps integers that fit 64 bits as integral; fractions, exponents and larger values
  // become doubles and are rejected here, as serde rejects them for a u64.
  if (!v.is_number() || !v.as_number().is_uint64()) {
    return Result<uint64_t>::Error(std::string("field '") + field +
                                   "' is not an unsigned 64-bit integer");
  }
  return Result<uint64_t>::Ok(v.as_number().to_uint64());
}

// Reads `text` as the decimal digits of a u64 followed by `next`; advances past both.
bool TakeCount(std::string_view& text, char next, uint64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || end == text.data() + text.size() ||
      *end != next) {
    return false;
  }
  text.remove_prefix(static_cast<size_t>(end - text.data()) + 1);
  return true;
}

// The exact compact form Feldera writes, {"u":"<uuid>","e":N,"c":N}, read without building a
// JSON tree: the form of nearly every token on the hot path. Anything else (other field order,
// whitespace, escapes, leading zeros) is left to the general parser.
std::optional<CompletionToken> ParseCanonical(std::string_view json) {
  constexpr std::string_view kU = R"({"u":")";
  constexpr std::string_view kE = R"(","e":)";
  constexpr std::string_view kC = R"("c":)";
  constexpr size_t kUuidLength = 36;
  if (!json.starts_with(kU)) return std::nullopt;
  json.remove_prefix(kU.size());
  if (json.size() < kUuidLength) return std::nullopt;
  const std::optional<Uuid> incarnation = Uuid::Parse(json.substr(0, kUuidLength));
  json.remove_prefix(kUuidLength);
  if (!incarnation || !json.starts_with(kE)) return std::nullopt;
  json.remove_prefix(kE.size());
  uint64_t endpoint = 0;
  uint64_t count = 0;
  if (json.starts_with('0') && json.size() > 1 && json[1] != ',') return std::nullopt;
  if (!TakeCount(json, ',', endpoint) || !json.starts_with(kC)) return std::nullopt;
  json.remove_prefix(kC.size());
  if (json.starts_with('0') && json.size() > 1 && json[1] != '}') return std::nullopt;
  if (!TakeCount(json, '}', count) || !json.empty()) return std::nullopt;
  return CompletionToken{*incarnation, endpoint, count};
}

}  // namespace

Result<CompletionToken> DecodeCompletionToken(std::string_view text) {
  using R = Result<CompletionToken>;
  if (text.empty()) return R::Error("token is empty");
  if (text.size() > kMaxTokenLength) {
    return R::Error("token is longer than " + std::to_string(kMaxTokenLength) + " bytes");
  }
  std::optional<std::string> json = Base64UrlDecode(text);
  if (!json) return R::Error("token is not valid base64url");
  if (std::optional<CompletionToken> token = ParseCanonical(*json)) return R::Ok(*token);

  web::json::value doc;
  try {
    doc = web::json::value::parse(*json);
  } catch (const std::exception&) {
    return R::Error("token does not decode to JSON");
  }
  if (!doc.is_object()) return R::Error("token does not decode to a JSON object");
  const web::json::object& obj = doc.as_object();

  const auto u = obj.find("u");
  if (u == obj.end()) return R::Error("missing field 'u'");
  if (!u->second.is_string()) return R::Error("field 'u' is not a string");
  std::optional<Uuid> incarnation = Uuid::Parse(u->second.as_string());
  if (!incarnation) return R::Error("field 'u' is not a UUID");

  Result<uint64_t> endpoint = ReadCount(obj, "e");
  if (!endpoint.ok()) return R::Error(endpoint.error());
  Result<uint64_t> count = ReadCount(obj, "c");
  if (!count.ok()) return R::Error(count.error());

  return R::Ok(CompletionToken{*incarnation, endpoint.value(), count.value()});
}

std::string EncodeCompletionToken(const CompletionToken& token) {
  const std::string json = "{\"u\":\"" + token.incarnation.ToString() +
                           "\",\"e\":" + std::to_string(token.endpoint) +
                           ",\"c\":" + std::to_string(token.count) + "}";
  return Base64UrlEncode(json);
}

}  // namespace sidecar
