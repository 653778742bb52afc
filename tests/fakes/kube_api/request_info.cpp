#include "fakes/kube_api/request_info.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "fakes/kube_api/selectors.h"

namespace sidecar::testing::kubefake {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> PathSegments(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    if (end > start) segments.push_back(Unescape(path.substr(start, end - start)));
    start = end + 1;
  }
  return segments;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

QueryParams ParseQuery(std::string_view raw_query) {
  QueryParams params;
  size_t start = 0;
  while (start <= raw_query.size()) {
    const size_t end = std::min(raw_query.find('&', start), raw_query.size());
    const std::string_view pair = raw_query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t equals = pair.find('=');
      const std::string key = Unescape(pair.substr(0, equals));
      const std::string value =
          equals == std::string_view::npos ? "" : Unescape(pair.substr(equals + 1));
      params.emplace(key, value);  // emplace keeps the first value of a repeated key
    }
    start = end + 1;
  }
  return params;
}

bool IsTrue(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "TRUE" || text == "true" ||
         text == "True";
}

RequestInfo ResolveRequest(std::string_view method, std::string_view path,
                           const QueryParams& query) {
  RequestInfo info;
  info.verb = Lower(method);
  std::vector<std::string> parts = PathSegments(path);

  // /api/{version}/... (core group) or /apis/{group}/{version}/...
  size_t prefix = 0;
  if (parts.size() >= 3 && parts[0] == "api") {
    info.api_version = parts[1];
    prefix = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    info.api_group = parts[1];
    info.api_version = parts[2];
    prefix = 3;
  } else {
    return info;
  }
  std::vector<std::string> rest(parts.begin() + static_cast<ptrdiff_t>(prefix), parts.end());

  if (rest.front() == "watch") {  // the deprecated /api/v1/watch/... form
    rest.erase(rest.begin());
    if (rest.empty()) return info;
    info.verb = "watch";
  } else {
    static const std::map<std::string, std::string> kVerbByMethod = {
        {"get", "get"},    {"head", "get"},    {"post", "create"},
        {"put", "update"}, {"patch", "patch"}, {"delete", "delete"}};
    const auto verb = kVerbByMethod.find(info.verb);
    info.verb = verb == kVerbByMethod.end() ? "" : verb->second;
  }
  info.is_resource_request = true;

  if (rest.front() == "namespaces" && rest.size() > 1) {
    info.namespace_name = rest[1];
    // /namespaces/{ns} alone addresses the namespace object itself.
    if (rest.size() > 2) rest.erase(rest.begin(), rest.begin() + 2);
  }
  info.resource = rest[0];
  if (rest.size() >= 2) info.name = rest[1];
  if (rest.size() >= 3) info.subresource = rest[2];

  if (info.name.empty() && info.verb == "get") {
    const auto watch = query.find("watch");
    info.verb = watch != query.end() && IsTrue(watch->second) ? "watch" : "list";
  }
  if (info.name.empty() && info.verb == "delete") info.verb = "deletecollection";
  // A list or watch narrowed to one name by field selector is about that name.
  if (info.name.empty() && (info.verb == "list" || info.verb == "watch")) {
    const auto field_selector = query.find("fieldSelector");
    if (field_selector != query.end()) {
      const auto parsed = ParseFieldSelector(field_selector->second, info.resource);
      if (parsed.ok()) {
        for (const auto& requirement : parsed->requirements) {
          if (requirement.field == "metadata.name" && !requirement.negated) {
            info.name = requirement.value;
          }
        }
      }
    }
  }
  return info;
}

}  // namespace sidecar::testing::kubefake
