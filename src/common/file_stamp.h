// FileStamp: what stat(2) says of a file's current version — inode, size and modification time —
// so that a watcher can tell cheaply whether to read the file again. Kubernetes updates a mounted
// Secret or ConfigMap by swapping a symlink to a new file, which changes the inode even when the
// size and time happen to match.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sidecar {

struct FileStamp {
  int64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The stamp of the file at `path` (following symlinks); nullopt when it cannot be stat'ed.
std::optional<FileStamp> StampOf(const std::string& path);

}  // namespace sidecar
