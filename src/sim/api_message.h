// ApiRequest / ApiResponse: an HTTP exchange as plain values, so the simulator's routing and
// decisions are tested without a socket. The cpprestsdk layer converts at the edge.
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sidecar::sim {

struct ApiRequest {
  std::string method;
  std::vector<std::string> path;             // percent-decoded segments, empty ones dropped
  std::map<std::string, std::string> query;  // percent-decoded; the first of repeated keys wins
  std::string body;

  // The query parameter, if present.
  std::optional<std::string> Param(const std::string& name) const;
};

struct ApiResponse {
  ApiResponse() = default;
  ApiResponse(int status, web::json::value body) : status(status), body(std::move(body)) {}

  int status = 200;
  web::json::value body;  // sent as application/json
  // Only in fault answers (fault_answer.h):
  std::optional<std::string> raw_body;  // sent as text/html instead of `body`
  bool reset_connection = false;        // nothing is sent: the connection is reset
};

// Builds a request from a method and a request target ("/path?query"). Fails on a malformed
// percent-encoding.
Result<ApiRequest> ParseRequestTarget(std::string method, std::string_view target);

// Query values: "true"/"false" and unsigned decimal integers; anything else is nullopt.
std::optional<bool> ParseBoolValue(std::string_view text);
std::optional<uint64_t> ParseUintValue(std::string_view text);

}  // namespace sidecar::sim
