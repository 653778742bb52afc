// ApiKeys: the keys a client must present to use the API (auth.api_keys_file, normally a mounted
// Kubernetes Secret), and the check of an Authorization header against them.
//
// Keys are opaque strings, one per line (Feldera's own look like `apikey:...`); blank lines and
// lines starting with '#' are ignored. Only their SHA-256 digests are kept, and a presented key is
// compared with every digest in constant time, so neither timing nor memory dumps reveal a key.
// Keys are never logged. The file is read again when it changes (common/watched_file.h, checked at
// most once a second): a Secret update, which Kubernetes makes by swapping a symlink, takes effect
// without a restart; a file that cannot be read or holds no key leaves the keys read before.
//
// Thread-safe: one mutex guards the digests and the check's schedule; the file is read, and
// anything logged, without it. Checks of the file run one at a time (`checking_`).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "common/watched_file.h"

namespace sidecar {

// The keys in a keys file's text.
std::vector<std::string> ParseApiKeys(std::string_view text);

// The credential of an `Authorization: Bearer <credential>` header value (the scheme is
// case-insensitive); nullopt for any other form.
std::optional<std::string_view> BearerCredential(std::string_view authorization);

class ApiKeys {
 public:
  using Digest = std::array<uint8_t, 32>;

  // Reads `path`; an error (unreadable, no key in it) says why.
  static Result<std::shared_ptr<ApiKeys>> Load(const std::string& path);

  // Whether `authorization` (the header's value, empty when absent) carries one of the keys.
  bool Authorizes(std::string_view authorization) EXCLUDES(mu_);

  // Re-reads the file now if it changed; returns whether the keys were replaced.
  bool ReloadIfChanged() EXCLUDES(mu_);

  size_t size() const EXCLUDES(mu_);

 private:
  explicit ApiKeys(std::string path) : file_(std::move(path), "API keys file") {}
  // The digests of the keys in the file's contents; nullopt (with `error`) when it holds none.
  std::optional<std::vector<Digest>> DigestsOfFile(std::string* error) const;

  // Touched only by the thread whose check runs (`checking_`), or by Load before it is shared.
  WatchedFile file_;

  mutable Mutex mu_;
  CondVar check_done_;  // signalled when `checking_` is cleared
  bool checking_ GUARDED_BY(mu_) = false;
  std::vector<Digest> digests_ GUARDED_BY(mu_);
  // Why the last check failed, logged once; empty after a success.
  std::string failure_ GUARDED_BY(mu_);
  std::chrono::steady_clock::time_point next_check_ GUARDED_BY(mu_){};
};

}  // namespace sidecar
