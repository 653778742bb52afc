// The discovery documents kubectl reads before it lists or watches: /api, /apis, /api/v1 and
// /version. Legacy (unaggregated) discovery: the fake answers plain application/json, and
// kubectl falls back to it as it does with an API server older than 1.26.
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <optional>
#include <string>

namespace sidecar::testing::kubefake {

// The document served at `path`, or nullopt when the fake has none there. `server_address` is
// "127.0.0.1:PORT", as /api reports it.
std::optional<web::json::value> DiscoveryDocument(const std::string& path,
                                                  const std::string& server_address);

}  // namespace sidecar::testing::kubefake
