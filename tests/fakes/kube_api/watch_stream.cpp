#include "fakes/kube_api/watch_stream.h"

#include <stdexcept>

namespace sidecar::testing::kubefake {
namespace {

// Some buffer operations complete on the task pool: waiting for them from a pool thread can
// deadlock a busy pool, so nothing waits; their outcome is only observed, which pplx requires.
void Observe(const pplx::task<void>& operation) {
  operation.then([](pplx::task<void> done) {
    try {
      done.get();
    } catch (const std::exception&) {
    }
  });
}

}  // namespace

std::shared_ptr<WatchStream> WatchStream::Open(const web::http::http_request& request) {
  std::shared_ptr<WatchStream> stream(new WatchStream());
  web::http::http_response response(web::http::status_codes::OK);
  response.set_body(stream->buffer_.create_istream(), "application/json");
  std::weak_ptr<WatchStream> weak = stream;
  // The reply completes when the body ends; it fails when the client has gone away (noticed on
  // the second write after it left).
  request.reply(response).then([weak](pplx::task<void> sent) {
    bool failed = false;
    try {
      sent.get();
    } catch (const std::exception&) {
      failed = true;
    }
    if (auto alive = weak.lock()) {
      std::lock_guard lock(alive->mutex_);
      alive->settled_ = true;
      alive->ended_ = alive->ended_ || failed;
    }
  });
  return stream;
}

bool WatchStream::Send(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (ended_) return false;
  if (stalled_) {
    held_.push_back(line);
  } else {
    WriteLocked(line);
  }
  return true;
}

bool WatchStream::SendIfFlowing(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (ended_ || stalled_) return false;
  WriteLocked(line);
  return true;
}

void WatchStream::SetStalled(bool stalled) {
  std::lock_guard lock(mutex_);
  stalled_ = stalled;
  if (stalled_ || ended_) return;
  for (const std::string& line : held_) WriteLocked(line);
  held_.clear();
}

bool WatchStream::Stalled() const {
  std::lock_guard lock(mutex_);
  return stalled_;
}

size_t WatchStream::HeldLines() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

void WatchStream::Finish() {
  std::lock_guard lock(mutex_);
  if (ended_) return;
  ended_ = true;
  Observe(buffer_.close(std::ios_base::out));
}

void WatchStream::Cut(const std::string& fragment) {
  std::lock_guard lock(mutex_);
  if (ended_) return;
  if (!fragment.empty()) WriteLocked(fragment);
  ended_ = true;
  // Closing with an error makes the server drop the connection without the final chunk.
  Observe(buffer_.close(std::ios_base::out,
                        std::make_exception_ptr(std::runtime_error("watch stream cut"))));
}

bool WatchStream::Ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

bool WatchStream::Settled() const {
  std::lock_guard lock(mutex_);
  return settled_;
}

void WatchStream::WriteLocked(const std::string& bytes) {
  // The buffer copies the bytes before putn_nocopy returns (its task is already complete), and
  // sync() makes the server send them now instead of after a full block. sync() also does its
  // work before returning, but its task completes on the pool, so it is only observed.
  buffer_.putn_nocopy(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()).wait();
  Observe(buffer_.sync());
}

}  // namespace sidecar::testing::kubefake
