// Proxying a client's request to a pipeline (ingress, completion_token): what is copied across,
// what is not, and how the body travels. The body is streamed when its length is declared and
// read with a bound when it is chunked, so a large body is never held whole beyond the limit.
//
// Thread-safe: free functions.
#pragma once

#include <cpprest/http_msg.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sidecar {

// Headers that describe one hop's connection, not the message, are not forwarded.
bool IsHopByHop(const std::string& name);
bool IsAuthorization(const std::string& name);

// The request to send upstream for `incoming`: same method, `target` (path and query relative to
// the pipeline's base URL), the end-to-end headers — without Authorization when
// `strip_authorization` (the client's key for this service is not the pipeline's business).
web::http::http_request UpstreamRequest(const web::http::http_request& incoming,
                                        const std::string& target, bool strip_authorization);

// Gives `upstream` the body of `incoming`: its stream when the length is declared (checked
// against the limit before), otherwise read with a bound. The task yields false when the body
// turned out larger than `max_body_bytes`.
pplx::task<bool> AttachBody(const web::http::http_request& incoming,
                            web::http::http_request& upstream, uint64_t max_body_bytes);

// The answer to send the client for `upstream`'s answer, whose body has been read as `body`.
web::http::http_response DownstreamResponse(const web::http::http_response& upstream,
                                            std::vector<unsigned char> body);

}  // namespace sidecar
