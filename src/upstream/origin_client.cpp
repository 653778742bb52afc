#include "upstream/origin_client.h"

#include <exception>

namespace sidecar {

OriginClient::OriginClient(const web::uri& origin,
                           const web::http::client::http_client_config& config, size_t max_requests)
    : client_(origin, config), max_requests_(max_requests == 0 ? 1 : max_requests) {}

pplx::task<web::http::http_response> OriginClient::Request(const web::http::http_request& request,
                                                           const pplx::cancellation_token& cancel) {
  pplx::task_completion_event<web::http::http_response> done;
  bool now = false;
  {
    MutexLock lock(&mu_);
    if (under_way_ < max_requests_) {
      ++under_way_;
      now = true;
    } else {
      waiting_.emplace_back([self = shared_from_this(), request, cancel, done] {
        self->Send(request, cancel, done);
      });
    }
  }
  if (now) Send(request, cancel, done);
  return pplx::create_task(done);
}

void OriginClient::Send(const web::http::http_request& request,
                        const pplx::cancellation_token& cancel,
                        const pplx::task_completion_event<web::http::http_response>& done) {
  client_.request(request, cancel)
      .then([self = shared_from_this(), done](const pplx::task<web::http::http_response>& sent) {
        self->Release();
        try {
          done.set(sent.get());
        } catch (...) {
          done.set_exception(std::current_exception());
        }
      });
}

void OriginClient::Release() {
  std::function<void()> next;
  {
    MutexLock lock(&mu_);
    if (waiting_.empty()) {
      --under_way_;
      return;
    }
    next = std::move(waiting_.front());  // its slot is the one just freed
    waiting_.pop_front();
  }
  next();
}

pplx::task<web::http::http_response> OriginClient::Forward(const web::http::http_request& request) {
  return client_.request(request);
}

size_t OriginClient::waiting() const {
  MutexLock lock(&mu_);
  return waiting_.size();
}

}  // namespace sidecar
