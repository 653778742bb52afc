// WatchReader: reads one streaming HTTP response (a watch) line by line in the background, for
// tests: lines as they arrive, the status, and how the stream ended (cleanly, or cut with maybe a
// partial last line).
//
// Thread-safe: the reading happens on the cpprest pool; any thread may call the accessors.
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sidecar::testing {

class WatchReader {
 public:
  enum class End { kStillOpen, kClean, kCut };

  // Starts `GET url`. Reading stops only when the stream ends or the reader is destroyed.
  explicit WatchReader(const std::string& url);
  ~WatchReader();  // cancels the request
  WatchReader(const WatchReader&) = delete;
  WatchReader& operator=(const WatchReader&) = delete;

  // The HTTP status once the headers arrived, 0 if they did not within `timeout`.
  int WaitForStatus(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until at least `count` complete lines arrived.
  bool WaitForLines(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits for the end of the body (and the last line read).
  End WaitForEnd(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Complete lines so far, without their newline.
  std::vector<std::string> Lines() const;
  // Each complete line parsed as JSON (null for a line that is not JSON).
  std::vector<web::json::value> Events() const;
  // Bytes after the last newline, once the stream has ended.
  std::string PartialLine() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The watch events of `type` ("ADDED", "BOOKMARK", ...) among `events`.
std::vector<web::json::value> EventsOfType(const std::vector<web::json::value>& events,
                                           const std::string& type);

}  // namespace sidecar::testing
