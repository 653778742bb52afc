#include "sim/manager_routes.h"

#include <vector>

#include "feldera/sql_identifier.h"

namespace sidecar::sim {

std::optional<ManagerRoute> MatchManagerRoute(const ApiRequest& request) {
  const std::vector<std::string>& path = request.path;
  if (path.size() < 4 || path[0] != "v0" || path[1] != "pipelines") return std::nullopt;
  const std::vector<std::string> rest(path.begin() + 3, path.end());

  std::vector<std::string> forwarded_path;
  std::string method = "GET";
  if (rest == std::vector<std::string>{"stats"} ||
      rest == std::vector<std::string>{"completion_status"}) {
    forwarded_path = rest;
  } else if (rest.size() == 2 && rest[0] == "ingress") {
    forwarded_path = rest;
    method = "POST";
  } else if (rest.size() == 5 && rest[0] == "tables" && rest[2] == "connectors" &&
             rest[4] == "completion_token") {
    const std::string endpoint = feldera::CanonicalSqlIdentifier(rest[1]) + "." + rest[3];
    forwarded_path = {"input_endpoints", endpoint, "completion_token"};
  } else {
    return std::nullopt;
  }
  if (request.method != method) return std::nullopt;

  ManagerRoute route{path[2], request};
  route.forwarded.path = std::move(forwarded_path);
  return route;
}

}  // namespace sidecar::sim
