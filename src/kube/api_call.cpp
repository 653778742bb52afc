#include "kube/api_call.h"

#include <algorithm>
#include <system_error>

namespace sidecar::kube {

Result<ApiResponse> CallApi(web::http::client::http_client& client,
                            const web::http::http_request& request,
                            const pplx::cancellation_token& cancel) {
  try {
    web::http::http_response response = client.request(request, cancel).get();
    ApiResponse answer;
    answer.status = response.status_code();
    answer.headers = response.headers();
    answer.body = response.extract_utf8string(true).get();
    return Result<ApiResponse>::Ok(std::move(answer));
  } catch (const std::exception& error) {
    return Result<ApiResponse>::Error(error.what());
  }
}

StreamingRequest::StreamingRequest(std::shared_ptr<Body> body,
                                   pplx::cancellation_token_source source,
                                   pplx::cancellation_token parent)
    : body_(std::move(body)), source_(std::move(source)), parent_(std::move(parent)) {}

Result<std::unique_ptr<StreamingRequest>> StreamingRequest::Send(
    web::http::client::http_client& client, web::http::http_request request,
    const pplx::cancellation_token& cancel) {
  using R = Result<std::unique_ptr<StreamingRequest>>;
  auto body = std::make_shared<Body>();
  pplx::cancellation_token_source source;
  std::unique_ptr<StreamingRequest> stream(new StreamingRequest(body, source, cancel));
  // Before the callbacks below: a `cancel` already cancelled closes the buffer at once, and a
  // closed buffer refuses to make a stream (it throws).
  request.set_response_stream(body->buffer.create_ostream());
  // Closing the buffer wakes a blocked reader even if the transport is slow to notice the cancel.
  source.get_token().register_callback([body] { body->buffer.close(std::ios_base::out); });
  if (cancel.is_cancelable()) {
    stream->parent_registration_ = cancel.register_callback([source] { source.cancel(); });
  }

  web::http::http_response response;
  try {
    response = client.request(request, source.get_token()).get();
  } catch (const std::exception& error) {
    return R::Error(error.what());
  }
  stream->status_ = response.status_code();
  stream->headers_ = response.headers();
  response.content_ready().then([body](const pplx::task<web::http::http_response>& done) {
    End end = End::kComplete;
    std::string error;
    try {
      done.get();  // already complete: this does not block
    } catch (const web::http::http_exception& failure) {
      end = failure.error_code() == std::errc::timed_out ? End::kTimedOut : End::kFailed;
      error = failure.what();
    } catch (const std::exception& failure) {
      end = End::kFailed;
      error = failure.what();
    }
    {
      MutexLock lock(&body->mutex);
      body->end = end;
      body->error = std::move(error);
    }
    body->buffer.close(std::ios_base::out);
  });
  return R::Ok(std::move(stream));
}

StreamingRequest::~StreamingRequest() {
  if (parent_registration_) {
    parent_.deregister_callback(*parent_registration_);
  }
  Cancel();
}

std::string StreamingRequest::Read(size_t max_bytes) {
  using traits = concurrency::streams::producer_consumer_buffer<uint8_t>::traits;
  try {
    // Peeks one byte: waits until data arrives or the buffer is closed and drained.
    if (body_->buffer.getc().get() == traits::eof()) {
      return "";
    }
  } catch (const std::exception&) {
    return "";
  }
  // At least one byte is buffered, so this read completes at once.
  const size_t wanted = std::max<size_t>(1, std::min(body_->buffer.in_avail(), max_bytes));
  std::string bytes(wanted, '\0');
  try {
    bytes.resize(body_->buffer.getn(reinterpret_cast<uint8_t*>(bytes.data()), wanted).get());
  } catch (const std::exception&) {
    return "";
  }
  return bytes;
}

std::string StreamingRequest::ReadAll(size_t max_bytes) {
  std::string all;
  while (all.size() < max_bytes) {
    std::string piece = Read(max_bytes - all.size());
    if (piece.empty()) {
      return all;
    }
    all += piece;
  }
  Cancel();
  return all;
}

StreamingRequest::End StreamingRequest::end() const {
  MutexLock lock(&body_->mutex);
  // Closed by Cancel() before the transport reported anything.
  return body_->end.value_or(End::kFailed);
}

std::string StreamingRequest::end_error() const {
  MutexLock lock(&body_->mutex);
  return body_->end ? body_->error : "cancelled";
}

void StreamingRequest::Cancel() {
  source_.cancel();
}

}  // namespace sidecar::kube
