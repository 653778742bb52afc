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
  // Not shared yet: the file is read without the lock, which only the results need.
  const Result<bool> read = keys->file_.Refresh();
  if (!read.ok()) return R::Error("auth.api_keys_file: " + read.error());
  std::string error;
  std::optional<std::vector<Digest>> digests = keys->DigestsOfFile(&error);
  if (!digests) return R::Error(error);
  {
    MutexLock lock(&keys->mu_);
    keys->digests_ = *std::move(digests);
    keys->next_check_ = std::chrono::steady_clock::now() + kCheckEvery;
  }
  return R::Ok(std::move(keys));
}

std::optional<std::vector<ApiKeys::Digest>> ApiKeys::DigestsOfFile(std::string* error) const {
  const std::vector<std::string> keys = ParseApiKeys(file_.contents());
  if (keys.empty()) {
    *error = "auth.api_keys_file: '" + file_.path() + "' holds no key";
    return std::nullopt;
  }
  std::vector<Digest> digests;
  digests.reserve(keys.size());
  for (const auto& key : keys) digests.push_back(DigestOf(key));
  return digests;
}

bool ApiKeys::ReloadIfChanged() {
  {
    MutexLock lock(&mu_);
    while (checking_) check_done_.Wait(&mu_);
    checking_ = true;
    next_check_ = std::chrono::steady_clock::now() + kCheckEvery;
  }
  // This thread's check: the file is read, and its keys hashed, without the lock.
  const Result<bool> changed = file_.Refresh();
  std::string error;
  std::optional<std::vector<Digest>> digests;
  if (changed.ok() && changed.value()) digests = DigestsOfFile(&error);

  // What to log, once the lock is released.
  std::optional<std::pair<spdlog::level::level_enum, std::string>> line;
  bool replaced = false;
  {
    MutexLock lock(&mu_);
    checking_ = false;
    if (!changed.ok()) {
      // A Secret mid-update, or gone: keep the keys, and say so once.
      if (changed.error() != failure_) {
        line.emplace(spdlog::level::warn,
                     fmt::format("auth.api_keys_file: {}; keeping the {} keys read before",
                                 changed.error(), digests_.size()));
      }
      failure_ = changed.error();
    } else {
      failure_.clear();
      if (changed.value() && !digests) {
        line.emplace(spdlog::level::warn,
                     fmt::format("{}; keeping the {} keys read before", error, digests_.size()));
      } else if (changed.value()) {
        digests_ = *std::move(digests);
        line.emplace(spdlog::level::info,
                     fmt::format("auth.api_keys_file re-read: {} keys", digests_.size()));
        replaced = true;
      }
    }
  }
  check_done_.SignalAll();
  if (line) spdlog::log(line->first, line->second);
  return replaced;
}

bool ApiKeys::Authorizes(std::string_view authorization) {
  bool check_now = false;
  {
    MutexLock lock(&mu_);
    check_now = std::chrono::steady_clock::now() >= next_check_;
  }
  if (check_now) ReloadIfChanged();

  const std::optional<std::string_view> credential = BearerCredential(authorization);
  // Hash even a missing credential, so that every refusal costs the same.
  const Digest presented = DigestOf(credential.value_or(std::string_view()));
  MutexLock lock(&mu_);
  int matches = 0;
  for (const Digest& digest : digests_) {
    matches |= CRYPTO_memcmp(digest.data(), presented.data(), digest.size()) == 0;
  }
  return credential.has_value() && matches != 0;
}

size_t ApiKeys::size() const {
  MutexLock lock(&mu_);
  return digests_.size();
}

}  // namespace sidecar
