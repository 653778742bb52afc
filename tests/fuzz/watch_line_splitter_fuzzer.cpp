// WatchLineSplitter on a body cut into arbitrary chunks, compared with splitting it in one go.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "kube/watch_line_splitter.h"

namespace {

// What the splitter must hand out for `body` when no line overflows: the lines between '\n's,
// each without a trailing '\r', and the bytes after the last '\n' as the partial line.
struct Expected {
  std::vector<std::string> lines;
  std::string partial;
};

Expected SplitAtOnce(std::string_view body) {
  Expected expected;
  size_t start = 0;
  for (size_t newline = body.find('\n'); newline != std::string_view::npos;
       newline = body.find('\n', start)) {
    std::string line(body.substr(start, newline - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    expected.lines.push_back(std::move(line));
    start = newline + 1;
  }
  expected.partial = std::string(body.substr(start));
  return expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // Byte 0: the line limit (small, so that overflow is reached); byte 1: the chunk size.
  const size_t max_line = 1 + data[0] % 64;
  const size_t chunk_size = 1 + data[1] % 16;
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);

  sidecar::kube::WatchLineSplitter splitter(max_line);
  std::vector<std::string> lines;
  bool overflow = false;
  for (size_t at = 0; at < body.size(); at += chunk_size) {
    sidecar::kube::WatchLineSplitter::Lines got = splitter.Feed(body.substr(at, chunk_size));
    for (std::string& line : got.complete) {
      FUZZ_CHECK(line.size() <= max_line);
      FUZZ_CHECK(line.size() <= body.size());
      lines.push_back(std::move(line));
    }
    // Overflow is final: once reported, every later call reports it and yields nothing.
    if (overflow) FUZZ_CHECK(got.overflow && got.complete.empty());
    overflow = overflow || got.overflow;
  }

  const Expected expected = SplitAtOnce(body);
  if (overflow) {
    // The lines handed out before the overflow are a prefix of the real ones.
    FUZZ_CHECK(lines.size() <= expected.lines.size());
    for (size_t i = 0; i < lines.size(); ++i) FUZZ_CHECK(lines[i] == expected.lines[i]);
    FUZZ_CHECK(splitter.Partial().empty());
  } else {
    FUZZ_CHECK(lines == expected.lines);
    FUZZ_CHECK(splitter.Partial() == expected.partial);
  }
  return 0;
}
