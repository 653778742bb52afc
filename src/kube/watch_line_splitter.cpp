#include "kube/watch_line_splitter.h"

namespace sidecar::kube {

WatchLineSplitter::Lines WatchLineSplitter::Feed(std::string_view chunk) {
  Lines lines;
  // One byte of slack: a line of exactly the limit may sit here with its "\r" awaiting the "\n".
  const size_t max_partial = max_line_bytes_ + 1;
  size_t start = 0;
  while (!overflowed_) {
    const size_t newline = chunk.find('\n', start);
    const std::string_view piece = chunk.substr(
        start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    if (partial_.size() + piece.size() > max_partial) {
      overflowed_ = true;
      break;
    }
    partial_.append(piece);
    if (newline == std::string_view::npos) {
      break;
    }
    std::string line = std::move(partial_);
    partial_.clear();
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.size() > max_line_bytes_) {
      overflowed_ = true;
      break;
    }
    lines.complete.push_back(std::move(line));
    start = newline + 1;
  }
  if (overflowed_) {
    lines.overflow = true;
    partial_.clear();
    partial_.shrink_to_fit();
  }
  return lines;
}

}  // namespace sidecar::kube
