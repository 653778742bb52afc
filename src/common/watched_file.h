// WatchedFile: the contents of a file that is replaced while the service runs — a mounted Secret,
// a projected service account token, the config file — read again only when the file changed.
//
// A change is told by the file's stamp (inode, size, modification time: common/file_stamp.h), so
// checking an unchanged file costs one stat(2). A file modified less than a timestamp granule
// before it was read could be modified again without a new stamp; such a file is read again at
// every check until it has been read with a stamp old enough to be trusted.
//
// A check that fails (the file is missing, unreadable or too large) keeps the contents read
// before, and the next check tries again. Not thread-safe: its owner serialises the calls.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "common/file_stamp.h"
#include "common/result.h"

namespace sidecar {

class WatchedFile {
 public:
  // Nothing is read yet: the first Refresh reads the file. `what` names the file in errors
  // ("cannot read {what} {path}: ..."); a file larger than `max_bytes` is an error.
  explicit WatchedFile(std::string path, std::string what = "file",
                       size_t max_bytes = std::numeric_limits<size_t>::max());

  // Reads the file if it was never read or changed since; true when the contents differ from
  // those read before (the first read always does), false when they are the same. An error,
  // naming the file, when it cannot be read.
  Result<bool> Refresh();

  const std::string& path() const { return path_; }
  // The contents of the last successful read; empty before one.
  const std::string& contents() const { return contents_; }

 private:
  Result<std::string> Read(const FileStamp& stamp) const;

  std::string path_;
  std::string what_;
  size_t max_bytes_;
  bool read_ = false;
  FileStamp stamp_;
  bool racy_ = false;  // read too soon after a modification for the stamp to tell the next one
  std::string contents_;
};

}  // namespace sidecar
