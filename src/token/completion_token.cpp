#include "token/completion_token.h"

#include <cpprest/json.h>

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

}  // namespace

Result<CompletionToken> DecodeCompletionToken(std::string_view text) {
  using R = Result<CompletionToken>;
  if (text.empty()) return R::Error("token is empty");
  if (text.size() > kMaxTokenLength) {
    return R::Error("token is longer than " + std::to_string(kMaxTokenLength) + " bytes");
  }
  std::optional<std::string> json = Base64UrlDecode(text);
  if (!json) return R::Error("token is not valid base64url");

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
