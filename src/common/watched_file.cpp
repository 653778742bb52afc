#include "common/watched_file.h"

#include <cerrno>
#include <chrono>
#include <fstream>
#include <system_error>

namespace sidecar {
namespace {

// Longer than any file system's timestamp granule: a scheduler tick on ext4 and tmpfs, a second
// on ext3 and some network file systems.
constexpr int64_t kStampGranuleNs = int64_t{2} * 1000 * 1000 * 1000;

int64_t WallClockNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ErrnoText() {
  return std::error_code(errno, std::generic_category()).message();
}

}  // namespace

WatchedFile::WatchedFile(std::string path, std::string what, size_t max_bytes)
    : path_(std::move(path)), what_(std::move(what)), max_bytes_(max_bytes) {}

Result<bool> WatchedFile::Refresh() {
  // The clock is read before the stamp: a stamp within a granule of it is not trusted.
  const int64_t now_ns = WallClockNs();
  const std::optional<FileStamp> stamp = StampOf(path_);
  if (!stamp) {
    return Result<bool>::Error("cannot read " + what_ + " " + path_ + ": " + ErrnoText());
  }
  if (read_ && *stamp == stamp_ && !racy_) return Result<bool>::Ok(false);
  Result<std::string> text = Read(*stamp);
  if (!text.ok()) return Result<bool>::Error(text.error());
  const bool changed = !read_ || text.value() != contents_;
  contents_ = std::move(text).value();
  read_ = true;
  stamp_ = *stamp;
  racy_ = stamp->mtime_ns > now_ns - kStampGranuleNs;
  return Result<bool>::Ok(changed);
}

Result<std::string> WatchedFile::Read(const FileStamp& stamp) const {
  using R = Result<std::string>;
  const auto too_large = [&] {
    return R::Error(what_ + " " + path_ + " is larger than " + std::to_string(max_bytes_) +
                    " bytes");
  };
  if (static_cast<uint64_t>(stamp.size) > max_bytes_) return too_large();
  std::ifstream in(path_, std::ios::binary);
  if (!in) return R::Error("cannot read " + what_ + " " + path_ + ": " + ErrnoText());
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes_) return too_large();
  }
  if (in.bad()) return R::Error("cannot read " + what_ + " " + path_ + ": " + ErrnoText());
  return R::Ok(std::move(text));
}

}  // namespace sidecar
