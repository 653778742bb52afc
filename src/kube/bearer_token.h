// The bearer token sent to the API server, fixed or read from a file that may be rotated.
//
// In a pod, the service account token is a projected volume that the kubelet replaces before it
// expires (every hour or so); a token read once at start-up stops working. A file-backed source
// re-reads the file when its copy is older than the refresh period and keeps the last good token
// if a read fails. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"

namespace sidecar::kube {

class BearerTokenSource {
 public:
  using Clock = std::chrono::steady_clock;

  static std::shared_ptr<BearerTokenSource> Fixed(const std::string& token);
  // Reads `path` now (an unreadable or empty file is an error) and again when a token older than
  // `refresh` is asked for.
  static Result<std::shared_ptr<BearerTokenSource>> FromFile(
      std::string path, std::chrono::milliseconds refresh = std::chrono::minutes(1));

  // The current token (surrounding whitespace removed).
  std::string Token(Clock::time_point now = Clock::now());

 private:
  BearerTokenSource(std::string token, std::string path, std::chrono::milliseconds refresh,
                    Clock::time_point read_at);

  std::mutex mutex_;
  std::string token_;
  const std::string path_;  // empty: a fixed token
  const std::chrono::milliseconds refresh_;
  Clock::time_point read_at_;
};

// Reads a token file: the contents without surrounding whitespace; an error if it cannot be read
// or holds no token.
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace sidecar::kube
