// Parsing of request targets: path segments and query strings, percent-decoded, and the mapping
// of a (method, path) to the route it names. Pure functions; no I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sidecar {

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (form encoding, as Feldera's query
// parsing does). A malformed escape is kept literally, as the WHATWG form decoder does.
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Splits "a=1&b=2" into decoded pairs. For a repeated name the first occurrence wins.
std::map<std::string, std::string> ParseQuery(std::string_view query);

// Splits "/v0/pipelines/x" into decoded segments {"v0", "pipelines", "x"}; empty segments dropped.
std::vector<std::string> SplitPath(std::string_view path);

enum class RouteKind {
  kHealthz,
  kReadyz,
  kMetrics,
  kConfig,            // GET /v0/config
  kListPipelines,     // GET /v0/pipelines
  kCompletionStatus,  // GET /v0/pipelines/{pipeline}/completion_status
  kIncarnations,      // GET /v0/pipelines/{pipeline}/incarnations
  kIngress,           // POST /v0/pipelines/{pipeline}/ingress/{table}
  kCompletionToken,   // GET
                     // /v0/pipelines/{pipeline}/tables/{table}/connectors/{connector}/completion_token
  kNotFound,
  kMethodNotAllowed,
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string pipeline;
  std::string table;
  std::string connector;
};

Route MatchRoute(std::string_view method, std::string_view path);

}  // namespace sidecar
