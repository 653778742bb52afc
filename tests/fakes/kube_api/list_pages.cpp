#include "fakes/kube_api/list_pages.h"

#include "token/base64url.h"

namespace sidecar::testing::kubefake {
namespace {

constexpr char kTokenVersion[] = "meta.k8s.io/v1";

web::json::value AsListItem(web::json::value object) {
  for (const char* type_field : {"kind", "apiVersion"}) {
    if (object.has_field(type_field)) object.erase(type_field);
  }
  return object;
}

}  // namespace

std::string EncodeContinueToken(const ContinueToken& token) {
  web::json::value json = web::json::value::object();
  json["v"] = web::json::value::string(kTokenVersion);
  json["rv"] = web::json::value::number(token.resource_version);
  json["start"] = web::json::value::string(token.start_key);
  return Base64UrlEncode(json.serialize());
}

Result<ContinueToken> DecodeContinueToken(std::string_view text) {
  using Decoded = Result<ContinueToken>;
  const auto bytes = Base64UrlDecode(text);
  if (!bytes) return Decoded::Error("continue key is not valid: not base64url");
  web::json::value json;
  try {
    json = web::json::value::parse(*bytes);
  } catch (const std::exception&) {
    return Decoded::Error("continue key is not valid: not JSON");
  }
  if (!json.is_object() || !json.has_string_field("v") ||
      json.at("v").as_string() != kTokenVersion) {
    return Decoded::Error(
        "continue key is not valid: incorrect encoded start resourceVersion "
        "(version meta.k8s.io/v1)");
  }
  if (!json.has_number_field("rv") || !json.at("rv").is_integer() ||
      json.at("rv").as_number().to_int64() == 0) {
    return Decoded::Error("continue key is not valid: incorrect encoded start resourceVersion");
  }
  if (!json.has_string_field("start") || json.at("start").as_string().empty()) {
    return Decoded::Error("continue key is not valid: encoded start key empty");
  }
  return Decoded::Ok({json.at("rv").as_number().to_int64(), json.at("start").as_string()});
}

ListPage CutPage(const ObjectMap& snapshot, const std::string& resource, const ObjectFilter& filter,
                 const std::string& start_key, std::optional<int64_t> limit, int64_t version) {
  ListPage page;
  std::string last_key;
  auto it = snapshot.lower_bound(start_key);
  for (; it != snapshot.end(); ++it) {
    if (!filter.Matches(resource, *it->second)) continue;
    if (limit && static_cast<int64_t>(page.items.size()) == *limit) break;
    page.items.push_back(AsListItem(*it->second));
    last_key = it->first;
  }
  if (it == snapshot.end()) return page;

  // Another matching object exists after this page: count them when the count is sent, else
  // stop at the first.
  const bool counted = filter.SelectsEverythingInScope();
  int64_t remaining = 0;
  for (; it != snapshot.end() && (counted || remaining == 0); ++it) {
    if (filter.Matches(resource, *it->second)) ++remaining;
  }
  if (remaining == 0) return page;
  // The key just after last_key, so that the next page starts after it.
  page.continue_token = EncodeContinueToken({version, last_key + std::string(1, '\0')});
  if (counted) page.remaining_item_count = remaining;
  return page;
}

}  // namespace sidecar::testing::kubefake
