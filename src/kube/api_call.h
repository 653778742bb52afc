// Blocking HTTP exchanges with the API server over cpprestsdk.
//
// CallApi is for answers read whole (lists, gets, writes). StreamingRequest is for a body read as
// it arrives (a watch): cpprestsdk fills a buffer this class owns and closes it however the body
// ends, so that bytes that arrived before a connection cut are still read (by default cpprestsdk
// drops them) and the reader learns how the body ended.
//
// Both block the calling thread: never call them from a pplx continuation. A StreamingRequest is
// read from one thread; Cancel() may be called from any.
#pragma once

#include <cpprest/http_client.h>
#include <cpprest/producerconsumerstream.h>

#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "common/result.h"

namespace sidecar::kube {

struct ApiResponse {
  int status = 0;
  web::http::http_headers headers;
  std::string body;
};

// Sends `request` and reads the whole answer. An error (as text) when no answer came: refused,
// reset, timed out, cancelled through `cancel`.
Result<ApiResponse> CallApi(web::http::client::http_client& client,
                            const web::http::http_request& request,
                            const pplx::cancellation_token& cancel);

class StreamingRequest {
 public:
  enum class End { kComplete, kTimedOut, kFailed };

  // Sends `request` and blocks until the response headers arrive; an error when they do not.
  // Cancelling `cancel` ends the request at any point.
  static Result<std::unique_ptr<StreamingRequest>> Send(web::http::client::http_client& client,
                                                        web::http::http_request request,
                                                        const pplx::cancellation_token& cancel);
  ~StreamingRequest();
  StreamingRequest(const StreamingRequest&) = delete;
  StreamingRequest& operator=(const StreamingRequest&) = delete;

  int status() const { return status_; }
  const web::http::http_headers& headers() const { return headers_; }

  // Blocks until body bytes arrive and returns up to `max_bytes` of them, or an empty string once
  // every byte has been read and the body has ended.
  std::string Read(size_t max_bytes);
  // Reads until the body ends or `max_bytes` were read (then cancels the rest).
  std::string ReadAll(size_t max_bytes);

  // After Read() returned empty: how the body ended, and the transport's words for a failure.
  End end() const EXCLUDES(body_->mutex);
  std::string end_error() const EXCLUDES(body_->mutex);

  // Aborts the request; a blocked Read() returns. Thread-safe.
  void Cancel();

 private:
  // Shared with the completion continuation, which may outlive this object. The buffer is
  // thread-safe itself; `mutex` guards how the body ended.
  struct Body {
    concurrency::streams::producer_consumer_buffer<uint8_t> buffer;
    Mutex mutex;
    std::optional<End> end GUARDED_BY(mutex);
    std::string error GUARDED_BY(mutex);
  };

  StreamingRequest(std::shared_ptr<Body> body, pplx::cancellation_token_source source,
                   pplx::cancellation_token parent);

  std::shared_ptr<Body> body_;
  pplx::cancellation_token_source source_;
  pplx::cancellation_token parent_;
  std::optional<pplx::cancellation_token_registration> parent_registration_;
  int status_ = 0;
  web::http::http_headers headers_;
};

}  // namespace sidecar::kube
