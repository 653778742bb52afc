#include "api/proxy.h"

#include <strings.h>

#include <memory>

namespace sidecar {
namespace {

using web::http::http_request;
using web::http::http_response;

constexpr size_t kReadChunk = size_t{64} * 1024;

// A chunked body as it is read: what has come so far, and room for the next chunk.
struct BoundedBody {
  std::vector<uint8_t> data;
  std::vector<uint8_t> chunk = std::vector<uint8_t>(kReadChunk);
};

// Reads `in` into `body` until the end, or until more than `limit` bytes have come; yields
// whether the end came first.
pplx::task<bool> ReadBounded(concurrency::streams::streambuf<uint8_t> in,
                             const std::shared_ptr<BoundedBody>& body, uint64_t limit) {
  return in.getn(body->chunk.data(), body->chunk.size())
      .then([in, body, limit](size_t n) -> pplx::task<bool> {
        if (n == 0) return pplx::task_from_result(true);
        body->data.insert(body->data.end(), body->chunk.begin(),
                          body->chunk.begin() + static_cast<std::ptrdiff_t>(n));
        if (body->data.size() > limit) return pplx::task_from_result(false);
        return ReadBounded(in, body, limit);
      });
}

}  // namespace

bool IsHopByHop(const std::string& name) {
  static const char* kHop[] = {
      "host", "connection", "keep-alive", "transfer-encoding", "content-length",
      "te",   "trailer",    "upgrade",    "proxy-connection"};
  for (const char* hop : kHop) {
    if (strcasecmp(name.c_str(), hop) == 0) return true;
  }
  return false;
}

bool IsAuthorization(const std::string& name) {
  return strcasecmp(name.c_str(), "authorization") == 0;
}

http_request UpstreamRequest(const http_request& incoming, const std::string& target,
                             bool strip_authorization) {
  http_request upstream(incoming.method());
  upstream.set_request_uri(target);
  for (const auto& [header, value] : incoming.headers()) {
    if (IsHopByHop(header) || (strip_authorization && IsAuthorization(header))) continue;
    upstream.headers().add(header, value);
  }
  return upstream;
}

pplx::task<bool> AttachBody(const http_request& incoming, http_request& upstream,
                            uint64_t max_body_bytes) {
  const auto& headers = incoming.headers();
  const std::string content_type = headers.has("Content-Type") ? headers.content_type() : "";
  if (headers.has("Content-Length")) {
    const uint64_t length = headers.content_length();
    if (length == 0 && incoming.method() != web::http::methods::POST)
      return pplx::task_from_result(true);
    upstream.set_body(incoming.body(), length,
                      content_type.empty() ? "application/octet-stream" : content_type);
    return pplx::task_from_result(true);
  }
  if (!headers.has("Transfer-Encoding")) {
    // No body at all; a POST still says so explicitly.
    if (incoming.method() == web::http::methods::POST) upstream.set_body(std::vector<uint8_t>());
    return pplx::task_from_result(true);
  }
  auto body = std::make_shared<BoundedBody>();
  return ReadBounded(incoming.body().streambuf(), body, max_body_bytes)
      .then([body, upstream, content_type](bool fits) mutable {
        if (fits) {
          upstream.set_body(std::move(body->data));
          if (!content_type.empty()) upstream.headers().set_content_type(content_type);
        }
        return fits;
      });
}

http_response DownstreamResponse(const http_response& upstream, std::vector<unsigned char> body) {
  http_response response(upstream.status_code());
  for (const auto& [header, value] : upstream.headers()) {
    if (!IsHopByHop(header)) response.headers().add(header, value);
  }
  response.set_body(std::move(body));
  if (upstream.headers().has("Content-Type")) {
    response.headers().set_content_type(upstream.headers().content_type());
  }
  return response;
}

}  // namespace sidecar
