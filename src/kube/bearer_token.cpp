#include "kube/bearer_token.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace sidecar::kube {
namespace {

// Service account tokens are a few kilobytes; anything far larger is not a token.
constexpr std::streamsize kMaxTokenBytes = std::streamsize{64} * 1024;

std::string Trimmed(const std::string& text) {
  const char* kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) {
    return "";
  }
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Result<std::string>::Error("cannot read token file " + path);
  }
  std::string bytes(kMaxTokenBytes + 1, '\0');
  in.read(bytes.data(), kMaxTokenBytes + 1);
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > static_cast<size_t>(kMaxTokenBytes)) {
    return Result<std::string>::Error("token file " + path + " is larger than 64 KiB");
  }
  std::string token = Trimmed(bytes);
  if (token.empty()) {
    return Result<std::string>::Error("token file " + path + " is empty");
  }
  return Result<std::string>::Ok(std::move(token));
}

BearerTokenSource::BearerTokenSource(std::string token, std::string path,
                                     std::chrono::milliseconds refresh, Clock::time_point read_at)
    : token_(std::move(token)), path_(std::move(path)), refresh_(refresh), read_at_(read_at) {}

std::shared_ptr<BearerTokenSource> BearerTokenSource::Fixed(const std::string& token) {
  return std::shared_ptr<BearerTokenSource>(
      new BearerTokenSource(Trimmed(token), "", std::chrono::milliseconds::zero(), Clock::now()));
}

Result<std::shared_ptr<BearerTokenSource>> BearerTokenSource::FromFile(
    std::string path, std::chrono::milliseconds refresh) {
  Result<std::string> token = ReadTokenFile(path);
  if (!token.ok()) {
    return Result<std::shared_ptr<BearerTokenSource>>::Error(token.error());
  }
  return Result<std::shared_ptr<BearerTokenSource>>::Ok(std::shared_ptr<BearerTokenSource>(
      new BearerTokenSource(std::move(token).value(), std::move(path), refresh, Clock::now())));
}

std::string BearerTokenSource::Token(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!path_.empty() && now - read_at_ >= refresh_) {
    read_at_ = now;
    Result<std::string> fresh = ReadTokenFile(path_);
    if (fresh.ok()) {
      token_ = std::move(fresh).value();
    } else {
      spdlog::warn("keeping the previous API token: {}", fresh.error());
    }
  }
  return token_;
}

}  // namespace sidecar::kube
