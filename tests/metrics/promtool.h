// Running the real promtool (Debian package `prometheus`) from tests, on files or on text.
//
// Thread-compatible: each call starts its own process and temporary files.
#pragma once

#include <string>
#include <vector>

namespace sidecar::testing {

// promtool's path as found when the build was configured; empty when it was not found.
std::string PromtoolPath();

struct PromtoolRun {
  int exit_code = -1;  // -1: it did not finish in time
  std::string output;  // stdout and stderr together
};

// Runs promtool with `args`.
PromtoolRun RunPromtool(const std::vector<std::string>& args);
// Runs promtool with `args` and `input` on its standard input (`promtool check metrics` reads it).
PromtoolRun RunPromtoolOnInput(const std::vector<std::string>& args, const std::string& input);

// A file under /tmp with the given text, removed on destruction.
class TempFile {
 public:
  TempFile(const std::string& text, const std::string& suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace sidecar::testing
