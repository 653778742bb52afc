#include "kube/bearer_token.h"

#include <spdlog/spdlog.h>

namespace sidecar::kube {
namespace {

// Service account tokens are a few kilobytes; anything far larger is not a token.
constexpr size_t kMaxTokenBytes = size_t{64} * 1024;

std::string Trimmed(const std::string& text) {
  const char* kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) {
    return "";
  }
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

// Checks the token file and, when it changed, the token in it: its contents without surrounding
// whitespace. An error if it cannot be read or holds no token.
Result<std::optional<std::string>> RefreshToken(WatchedFile& file) {
  using R = Result<std::optional<std::string>>;
  const Result<bool> changed = file.Refresh();
  if (!changed.ok()) return R::Error(changed.error());
  if (!changed.value()) return R::Ok(std::nullopt);
  std::string token = Trimmed(file.contents());
  if (token.empty()) return R::Error("token file " + file.path() + " is empty");
  return R::Ok(std::move(token));
}

}  // namespace

BearerTokenSource::BearerTokenSource(std::string token, std::optional<WatchedFile> file,
                                     std::chrono::milliseconds refresh,
                                     Clock::time_point checked_at)
    : file_(std::move(file)),
      refresh_(refresh),
      token_(std::move(token)),
      checked_at_(checked_at) {}

std::shared_ptr<BearerTokenSource> BearerTokenSource::Fixed(const std::string& token) {
  return std::shared_ptr<BearerTokenSource>(new BearerTokenSource(
      Trimmed(token), std::nullopt, std::chrono::milliseconds::zero(), Clock::now()));
}

Result<std::shared_ptr<BearerTokenSource>> BearerTokenSource::FromFile(
    std::string path, std::chrono::milliseconds refresh) {
  using R = Result<std::shared_ptr<BearerTokenSource>>;
  WatchedFile file(std::move(path), "token file", kMaxTokenBytes);
  Result<std::optional<std::string>> token = RefreshToken(file);
  if (!token.ok()) return R::Error(token.error());
  return R::Ok(std::shared_ptr<BearerTokenSource>(
      new BearerTokenSource(*std::move(token).value(), std::move(file), refresh, Clock::now())));
}

std::string BearerTokenSource::Token(Clock::time_point now) {
  {
    MutexLock lock(&mu_);
    // A caller arriving during a refresh waits for its token rather than reading the file again.
    while (refreshing_) refreshed_.Wait(&mu_);
    if (!file_ || now - checked_at_ < refresh_) return token_;
    checked_at_ = now;
    refreshing_ = true;
  }
  Result<std::optional<std::string>> fresh = RefreshToken(*file_);
  std::string token;
  {
    MutexLock lock(&mu_);
    if (fresh.ok() && fresh.value()) token_ = *fresh.value();
    refreshing_ = false;
    token = token_;
  }
  refreshed_.SignalAll();
  if (!fresh.ok()) spdlog::warn("keeping the previous API token: {}", fresh.error());
  return token;
}

}  // namespace sidecar::kube
