// Splits a watch response body into lines as its bytes arrive.
//
// A Kubernetes watch sends one JSON event per line, and the network cuts the body anywhere, also
// inside an event or between "\r" and "\n". The splitter keeps the unfinished tail between calls
// and hands out only complete lines. It is bounded: a line longer than the limit is an error (the
// stream is broken or hostile), never unbounded memory. Not thread-safe; one per stream.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sidecar::kube {

// Far above any real object (etcd refuses values over 1.5 MiB by default).
inline constexpr size_t kDefaultMaxLineBytes = size_t{16} * 1024 * 1024;

class WatchLineSplitter {
 public:
  explicit WatchLineSplitter(size_t max_line_bytes = kDefaultMaxLineBytes)
      : max_line_bytes_(max_line_bytes) {}

  struct Lines {
    // Without "\n" or "\r\n"; empty lines included. With `overflow`, the lines before it.
    std::vector<std::string> complete;
    bool overflow = false;  // a line exceeded the limit; the splitter is now unusable
  };

  // Consumes `chunk`. Once a line has overflowed, every later call reports overflow too.
  Lines Feed(std::string_view chunk);

  // Bytes received after the last newline: a partial line when the stream has ended.
  const std::string& Partial() const { return partial_; }

 private:
  size_t max_line_bytes_;
  std::string partial_;
  bool overflowed_ = false;
};

}  // namespace sidecar::kube
