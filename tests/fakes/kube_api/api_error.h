// ApiError: a failed API call as the Kubernetes API server reports it, a `Status` object
// (kind Status, apiVersion v1, status Failure) carrying an HTTP code, a reason and a message.
//
// Thrown by the fake's storage layer and turned into the HTTP answer in one place. Immutable
// value; safe to copy between threads.
#pragma once

#include <cpprest/json.h>

#include <stdexcept>
#include <string>

namespace sidecar::testing::kubefake {

class ApiError : public std::runtime_error {
 public:
  ApiError(int code, std::string reason, std::string message,
           web::json::value details = web::json::value::null());

  // The common failures, worded as the real API server words them. `resource` is the plural
  // resource name ("pods"), as the server puts it in `details.kind`.
  static ApiError NotFound(const std::string& resource, const std::string& name);
  static ApiError AlreadyExists(const std::string& resource, const std::string& name);
  // A stale `metadata.resourceVersion` on an update.
  static ApiError Conflict(const std::string& resource, const std::string& name);
  static ApiError BadRequest(const std::string& message);
  static ApiError Invalid(const std::string& kind, const std::string& name,
                          const std::string& message);
  // 410: the requested resourceVersion or continue token has been compacted away.
  static ApiError Expired(const std::string& message);
  // 410 for a continue token whose snapshot is gone. `inconsistent_continue` goes into the
  // Status's `metadata.continue`, as the server sends it: a token for the rest of the list at the
  // latest revision.
  static ApiError ContinueExpired(const std::string& inconsistent_continue);
  // 504: a resourceVersion newer than anything the server has written.
  static ApiError TooLargeResourceVersion(int64_t requested, int64_t current);
  static ApiError UnknownResource();
  static ApiError MethodNotAllowed(const std::string& verb, const std::string& resource);
  static ApiError UnsupportedMediaType(const std::string& content_type);
  // An arbitrary code, with the reason the server uses for it; for fault injection.
  // A positive `retry_after_seconds` goes into `details.retryAfterSeconds`, as the server does.
  static ApiError ForCode(int code, int retry_after_seconds);

  int code() const { return code_; }
  const std::string& reason() const { return reason_; }

  web::json::value ToStatus() const;

 private:
  int code_;
  std::string reason_;
  web::json::value details_;
  std::string continue_token_;  // the Status's metadata.continue, when set
};

}  // namespace sidecar::testing::kubefake
