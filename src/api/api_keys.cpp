#include "api/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

namespace sidecar {
namespace {

constexpr auto kCheckEvery = std::chrono::seconds(1);

ApiKeys::Digest DigestOf(std::string_view key) {
  ApiKeys::Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest.data());
  return digest;
}

std::string_view Trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<std::string> ParseApiKeys(std::string_view text) {
  std::vector<std::string> keys;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.front() != '#') keys.emplace_back(line);
  }
  return keys;
}

std::optional<std::string_view> BearerCredential(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i])
      return std::nullopt;
  }
  const std::string_view credential = Trim(authorization.substr(kScheme.size()));
  if (credential.empty()) return std::nullopt;
  return credential;
}

Result<std::shared_ptr<ApiKeys>> ApiKeys::Load(const std::string& path) {
  using R = Result<std::shared_ptr<ApiKeys>>;
  std::shared_ptr<ApiKeys> keys(new ApiKeys(path));
  std::lock_guard lock(keys->mu_);
  const Result<bool> read = keys->file_.Refresh();
  if (!read.ok()) return R::Error("auth.api_keys_file: " + read.error());
  std::string error;
  if (!keys->TakeKeysLocked(&error)) return R::Error(error);
  keys->next_check_ = std::chrono::steady_clock::now() + kCheckEvery;
  return R::Ok(std::move(keys));
}

bool ApiKeys::TakeKeysLocked(std::string* error) {
  const std::vector<std::string> keys = ParseApiKeys(file_.contents());
  if (keys.empty()) {
    *error = "auth.api_keys_file: '" + file_.path() + "' holds no key";
    return false;
  }
  digests_.clear();
  for (const auto& key : keys) digests_.push_back(DigestOf(key));
  return true;
}

bool ApiKeys::ReloadIfChanged() {
  std::lock_guard lock(mu_);
  next_check_ = std::chrono::steady_clock::now() + kCheckEvery;
  const Result<bool> changed = file_.Refresh();
  if (!changed.ok()) {
    // A Secret mid-update, or gone: keep the keys, and say so once.
    if (changed.error() != failure_) {
      spdlog::warn("auth.api_keys_file: {}; keeping the {} keys read before", changed.error(),
                   digests_.size());
    }
    failure_ = changed.error();
    return false;
  }
  failure_.clear();
  if (!changed.value()) return false;
  std::string error;
  if (!TakeKeysLocked(&error)) {
    spdlog::warn("{}; keeping the {} keys read before", error, digests_.size());
    return false;
  }
  spdlog::info("auth.api_keys_file re-read: {} keys", digests_.size());
  return true;
}

bool ApiKeys::Authorizes(std::string_view authorization) {
  bool check_now = false;
  {
    std::lock_guard lock(mu_);
    check_now = std::chrono::steady_clock::now() >= next_check_;
  }
  if (check_now) ReloadIfChanged();

  const std::optional<std::string_view> credential = BearerCredential(authorization);
  // Hash even a missing credential, so that every refusal costs the same.
  const Digest presented = DigestOf(credential.value_or(std::string_view()));
  std::lock_guard lock(mu_);
  int matches = 0;
  for (const Digest& digest : digests_) {
    matches |= CRYPTO_memcmp(digest.data(), presented.data(), digest.size()) == 0;
  }
  return credential.has_value() && matches != 0;
}

size_t ApiKeys::size() const {
  std::lock_guard lock(mu_);
  return digests_.size();
}

}  // namespace sidecar
