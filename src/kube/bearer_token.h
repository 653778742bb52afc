// The bearer token sent to the API server, fixed or read from a file that may be rotated.
//
// In a pod, the service account token is a projected volume that the kubelet replaces before it
// expires (every hour or so); a token read once at start-up stops working. A file-backed source
// checks the file (common/watched_file.h) when its last check is older than the refresh period,
// reads it again when it changed, and keeps the last good token if a read fails. Thread-safe: one
// mutex guards the token; the file is read, and a failure logged, without it, by one caller at a
// time (`refreshing_`) while the others wait for its token.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "common/result.h"
#include "common/watched_file.h"

namespace sidecar::kube {

class BearerTokenSource {
 public:
  using Clock = std::chrono::steady_clock;

  static std::shared_ptr<BearerTokenSource> Fixed(const std::string& token);
  // Reads `path` now (an unreadable or empty file is an error) and checks it again when a token
  // older than `refresh` is asked for.
  static Result<std::shared_ptr<BearerTokenSource>> FromFile(
      std::string path, std::chrono::milliseconds refresh = std::chrono::minutes(1));

  // The current token (surrounding whitespace removed).
  std::string Token(Clock::time_point now = Clock::now()) EXCLUDES(mu_);

 private:
  BearerTokenSource(std::string token, std::optional<WatchedFile> file,
                    std::chrono::milliseconds refresh, Clock::time_point checked_at);

  // None: a fixed token. Touched only by the caller that runs the refresh (`refreshing_`).
  std::optional<WatchedFile> file_;
  const std::chrono::milliseconds refresh_;

  Mutex mu_;
  CondVar refreshed_;  // signalled when `refreshing_` is cleared
  bool refreshing_ GUARDED_BY(mu_) = false;
  std::string token_ GUARDED_BY(mu_);
  Clock::time_point checked_at_ GUARDED_BY(mu_);
};

}  // namespace sidecar::kube
