// OriginClient: the HTTP client for one origin (scheme, host, port), shared by every pipeline on
// it, with a bound on how many of the service's own requests (probes, completion_status queries)
// are under way at once.
//
// cpprestsdk opens a connection for every concurrent request and keeps it for reuse: the first
// probes of 10,000 pipelines on one origin (Feldera's API server, a test's simulator) would open
// 10,000 connections. Past the bound, a request waits for one under way to end. Forwarded client
// requests are not held back (their clients bound them). Thread-safe; held by shared_ptr, since
// requests under way hold it.
#pragma once

#include <cpprest/http_client.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>

#include "common/mutex.h"

namespace sidecar {

class OriginClient : public std::enable_shared_from_this<OriginClient> {
 public:
  // The service's own requests under way at once, per origin, by default.
  static constexpr size_t kDefaultMaxRequests = 64;

  OriginClient(const web::uri& origin, const web::http::client::http_client_config& config,
               size_t max_requests = kDefaultMaxRequests);

  // Sends one of the service's own requests: now, or once fewer than the bound are under way.
  pplx::task<web::http::http_response> Request(const web::http::http_request& request,
                                               const pplx::cancellation_token& cancel)
      EXCLUDES(mu_);
  // Sends a forwarded request at once.
  pplx::task<web::http::http_response> Forward(const web::http::http_request& request);

  const web::uri& base_uri() const { return client_.base_uri(); }
  // Requests waiting for their turn.
  size_t waiting() const EXCLUDES(mu_);

 private:
  void Send(const web::http::http_request& request, const pplx::cancellation_token& cancel,
            const pplx::task_completion_event<web::http::http_response>& done);
  // A request ended: the next waiting one, if any, is sent.
  void Release() EXCLUDES(mu_);

  web::http::client::http_client client_;
  const size_t max_requests_;
  mutable Mutex mu_;
  size_t under_way_ GUARDED_BY(mu_) = 0;
  std::deque<std::function<void()>> waiting_ GUARDED_BY(mu_);
};

}  // namespace sidecar
