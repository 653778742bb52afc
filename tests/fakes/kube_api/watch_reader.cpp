#include "fakes/kube_api/watch_reader.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <cpprest/producerconsumerstream.h>

#include <condition_variable>
#include <mutex>

namespace sidecar::testing {

struct WatchReader::State : std::enable_shared_from_this<State> {
  std::mutex mutex;
  std::condition_variable changed;
  int status = 0;
  End end = End::kStillOpen;
  bool reading_done = false;
  std::vector<std::string> lines;
  std::string partial;

  // The client writes the body here and the reader reads lines from it; owning the buffer keeps
  // the complete lines that arrived before a cut.
  concurrency::streams::producer_consumer_buffer<uint8_t> body;
  pplx::cancellation_token_source cancel;
  std::unique_ptr<web::http::client::http_client> client;

  void ReadNextLine() {
    auto line = std::make_shared<concurrency::streams::stringstreambuf>();
    auto self = shared_from_this();
    concurrency::streams::istream input = body.create_istream();
    input.read_line(*line).then([self, line, input](pplx::task<size_t> read) {
      bool finished = false;
      try {
        const size_t size = read.get();
        const bool eof = input.is_eof();
        std::lock_guard lock(self->mutex);
        if (eof) {
          self->partial = size > 0 ? line->collection() : "";
          finished = true;
        } else {
          self->lines.push_back(line->collection());
        }
      } catch (const std::exception&) {
        finished = true;
      }
      {
        std::lock_guard lock(self->mutex);
        self->reading_done = finished;
      }
      self->changed.notify_all();
      if (!finished) self->ReadNextLine();
    });
  }
};

WatchReader::WatchReader(const std::string& url) : state_(std::make_shared<State>()) {
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(60));  // a silent (stalled) stream must stay open
  const web::uri uri(url);
  state_->client = std::make_unique<web::http::client::http_client>(
      web::uri_builder(uri).set_path("").set_query("").to_uri(), config);
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(uri.resource());
  request.set_response_stream(state_->body.create_ostream());

  auto state = state_;
  state->client->request(request, state->cancel.get_token())
      .then([state](web::http::http_response response) {
        {
          std::lock_guard lock(state->mutex);
          state->status = response.status_code();
        }
        state->changed.notify_all();
        return response.content_ready();
      })
      .then([state](pplx::task<web::http::http_response> done) {
        End end = End::kClean;
        try {
          done.get();
        } catch (const std::exception&) {
          end = End::kCut;
        }
        {
          std::lock_guard lock(state->mutex);
          state->end = end;
        }
        state->changed.notify_all();
        // Lets the line reader see the end. Never waited for here: it completes on the pool.
        return state->body.close(std::ios_base::out);
      })
      .then([](pplx::task<void> closed) {
        try {
          closed.get();
        } catch (const std::exception&) {
        }
      });
  state_->ReadNextLine();
}

WatchReader::~WatchReader() {
  state_->cancel.cancel();
}

int WatchReader::WaitForStatus(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait_for(lock, timeout,
                           [&] { return state_->status != 0 || state_->end != End::kStillOpen; });
  return state_->status;
}

bool WatchReader::WaitForLines(size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->lines.size() >= count; });
}

WatchReader::End WatchReader::WaitForEnd(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait_for(lock, timeout,
                           [&] { return state_->end != End::kStillOpen && state_->reading_done; });
  return state_->reading_done ? state_->end : End::kStillOpen;
}

std::vector<std::string> WatchReader::Lines() const {
  std::lock_guard lock(state_->mutex);
  return state_->lines;
}

std::vector<web::json::value> WatchReader::Events() const {
  std::vector<web::json::value> events;
  for (const std::string& line : Lines()) {
    try {
      events.push_back(web::json::value::parse(line));
    } catch (const std::exception&) {
      events.push_back(web::json::value::null());
    }
  }
  return events;
}

std::string WatchReader::PartialLine() const {
  std::lock_guard lock(state_->mutex);
  return state_->partial;
}

std::vector<web::json::value> EventsOfType(const std::vector<web::json::value>& events,
                                           const std::string& type) {
  std::vector<web::json::value> matching;
  for (const auto& event : events) {
    if (event.has_string_field("type") && event.at("type").as_string() == type) {
      matching.push_back(event);
    }
  }
  return matching;
}

}  // namespace sidecar::testing
