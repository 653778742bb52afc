// The HTTP/1.1 wire format, as far as the control listener (control_server.h) needs it: reading
// a request's head, and writing a whole response that closes the connection.
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sim/api_message.h"

namespace sidecar::sim {

// Longest request head (request line and headers) the control listener reads.
inline constexpr size_t kMaxRequestHeadBytes = size_t{64} * 1024;

struct RequestHead {
  std::string method;
  std::string target;  // "/path?query"
  uint64_t content_length = 0;
};

// Parses a request head, up to and without the blank line that ends it. Refuses chunked bodies:
// control requests carry none.
Result<RequestHead> ParseRequestHead(std::string_view head);

// "HTTP/1.1 200 OK\r\n...": the status line, the answer's headers, Content-Type (unless a raw
// body has none), Content-Length and "Connection: close", then the body.
std::string SerializeResponse(const ApiResponse& response);

}  // namespace sidecar::sim
