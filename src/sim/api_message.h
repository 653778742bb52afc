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

namespace sidecar::sim {

struct ApiRequest {
  std::string method;
  std::vector<std::string> path;             // percent-decoded segments, empty ones dropped
  std::map<std::string, std::string> query;  // form-decoded; the first of repeated keys wins
  std::string query_string;                  // the query as sent, undecoded
  std::string body;

  // The query parameter, if present.
  std::optional<std::string> Param(const std::string& name) const;
};

struct ApiResponse {
  ApiResponse() = default;
  ApiResponse(int status, web::json::value body) : status(status), body(std::move(body)) {}

  int status = 200;
  web::json::value body;  // sent as application/json
  // Sent instead of `body`, as `raw_content_type` (no Content-Type header when that is empty).
  std::optional<std::string> raw_body;
  std::string raw_content_type = "text/html";
  std::map<std::string, std::string> headers;  // further response headers, e.g. Retry-After
  bool reset_connection = false;               // nothing is sent: the connection is reset
};

// Builds a request from a method and a request target ("/path?query"). Decodes as actix-web
// (Feldera's HTTP server) does: a '%' not followed by two hex digits stays as it is, and a '+'
// in the query is a space.
ApiRequest ParseRequestTarget(std::string method, std::string_view target);

// Percent-decodes `text`, keeping a '%' that does not start a valid escape.
std::string PercentDecode(std::string_view text);

// Query values: "true"/"false" and unsigned decimal integers; anything else is nullopt.
std::optional<bool> ParseBoolValue(std::string_view text);
std::optional<uint64_t> ParseUintValue(std::string_view text);

}  // namespace sidecar::sim
