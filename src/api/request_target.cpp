#include "api/request_target.h"

namespace sidecar {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Route Of(RouteKind kind) {
  Route route;
  route.kind = kind;
  return route;
}

// A route that exists for exactly one method.
Route Only(std::string_view method, std::string_view expected, Route route) {
  if (method != expected) route.kind = RouteKind::kMethodNotAllowed;
  return route;
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = HexDigit(text[i + 1]);
      const int lo = HexDigit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi << 4 | lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
    params.emplace(std::move(name), std::move(value));
  }
  return params;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (!segment.empty()) segments.push_back(PercentDecode(segment, false));
  }
  return segments;
}

Route MatchRoute(std::string_view method, std::string_view path) {
  const std::vector<std::string> s = SplitPath(path);
  const size_t n = s.size();
  Route route;
  if (n == 1 && s[0] == "healthz") return Only(method, "GET", Of(RouteKind::kHealthz));
  if (n == 1 && s[0] == "readyz") return Only(method, "GET", Of(RouteKind::kReadyz));
  if (n == 1 && s[0] == "metrics") return Only(method, "GET", Of(RouteKind::kMetrics));
  if (n < 2 || s[0] != "v0") return route;
  if (n == 2 && s[1] == "config") return Only(method, "GET", Of(RouteKind::kConfig));
  if (s[1] != "pipelines") return route;
  if (n == 2) return Only(method, "GET", Of(RouteKind::kListPipelines));
  route.pipeline = s[2];
  if (n == 4 && s[3] == "completion_status") {
    route.kind = RouteKind::kCompletionStatus;
    return Only(method, "GET", route);
  }
  if (n == 4 && s[3] == "incarnations") {
    route.kind = RouteKind::kIncarnations;
    return Only(method, "GET", route);
  }
  if (n == 5 && s[3] == "ingress") {
    route.kind = RouteKind::kIngress;
    route.table = s[4];
    return Only(method, "POST", route);
  }
  if (n == 8 && s[3] == "tables" && s[5] == "connectors" && s[7] == "completion_token") {
    route.kind = RouteKind::kCompletionToken;
    route.table = s[4];
    route.connector = s[6];
    return Only(method, "GET", route);
  }
  return Route{};
}

}  // namespace sidecar
