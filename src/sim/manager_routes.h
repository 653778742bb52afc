// The routes of Feldera's API server (crates/pipeline-manager/src/api/endpoints/
// pipeline_interaction.rs) that the simulator serves in manager mode, each with the request of
// the pipeline process it forwards to:
//
//   GET  /v0/pipelines/{name}/stats                 -> GET  /stats
//   GET  /v0/pipelines/{name}/completion_status?... -> GET  /completion_status?...
//   POST /v0/pipelines/{name}/ingress/{table}?...   -> POST /ingress/{table}?...
//   GET  /v0/pipelines/{name}/tables/{table}/connectors/{connector}/completion_token
//                              -> GET /input_endpoints/{canonical
//                              table}.{connector}/completion_token
//
// The table of the completion_token route is normalised as a SQL identifier first
// (SqlIdentifier::from(&table_name).name()); the ingress table is forwarded as it is (the process
// normalises it). Query and body go along unchanged.
//
// Pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/api_message.h"

namespace sidecar::sim {

struct ManagerRoute {
  std::string pipeline_name;  // the {name} of the path
  ApiRequest forwarded;       // what the pipeline process is asked
};

// The route `request` takes, or nullopt when it takes none (another path, or a method its path
// does not take: the manager answers both with actix-web's bare 404).
std::optional<ManagerRoute> MatchManagerRoute(const ApiRequest& request);

}  // namespace sidecar::sim
