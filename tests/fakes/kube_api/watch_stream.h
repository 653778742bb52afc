// WatchStream: one open watch response, a 200 whose chunked body is written one event line at a
// time and flushed after each line.
//
// While stalled, event lines are held back (and sent, in order, on release) and bookmarks are
// dropped: the connection stays open but silent. Thread-safe.
#pragma once

#include <cpprest/http_msg.h>
#include <cpprest/producerconsumerstream.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sidecar::testing::kubefake {

class WatchStream {
 public:
  // Answers `request` with 200 and a body that stays open until Finish() or Cut().
  static std::shared_ptr<WatchStream> Open(const web::http::http_request& request);

  // Sends `line` now, or holds it while stalled. False once the stream has ended.
  bool Send(const std::string& line);
  // Sends `line` only when not stalled (for bookmarks). True when sent.
  bool SendIfFlowing(const std::string& line);

  // Releasing sends the held lines first.
  void SetStalled(bool stalled);
  bool Stalled() const;
  size_t HeldLines() const;

  // Ends with the final chunk: the client sees a clean end of the stream.
  void Finish();
  // Ends abruptly, without the final chunk, after writing `fragment` (part of a line) if any.
  void Cut(const std::string& fragment);
  // True after Finish(), Cut(), or when the client went away.
  bool Ended() const;
  // True once the response is over on the wire: fully sent, or failed. A listener must not be
  // closed while a response is still being written.
  bool Settled() const;

 private:
  WatchStream() = default;
  void WriteLocked(const std::string& bytes);

  mutable std::mutex mutex_;
  concurrency::streams::producer_consumer_buffer<uint8_t> buffer_;
  bool stalled_ = false;
  bool ended_ = false;
  bool settled_ = false;
  std::vector<std::string> held_;
};

}  // namespace sidecar::testing::kubefake
