#include "upstream/pipeline_client.h"

#include "api/error_response.h"

namespace sidecar {
namespace {

web::http::client::http_client_config ClientConfig(std::chrono::milliseconds timeout) {
  web::http::client::http_client_config config;
  config.set_timeout(timeout);
  return config;
}

// Records one finished request. A free function: continuations may outlive the client (the
// pipeline moves to a new pod), but not the process-wide Metrics.
void Observe(Metrics* metrics, const std::string& pipeline, const char* request,
             const char* outcome, std::chrono::steady_clock::time_point started) {
  if (!metrics) return;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics->ObserveUpstreamRequest(pipeline, request, outcome, seconds);
}

}  // namespace

PipelineClient::PipelineClient(std::string pipeline, const std::string& base_url,
                               std::chrono::milliseconds timeout, int retry_after_seconds,
                               Metrics* metrics, std::shared_ptr<kube::BearerTokenSource> api_key)
    : pipeline_(std::move(pipeline)),
      base_url_(base_url),
      retry_after_seconds_(retry_after_seconds),
      metrics_(metrics),
      api_key_(std::move(api_key)),
      client_(base_url, ClientConfig(timeout)) {}

web::http::http_request PipelineClient::Get(const std::string& target) const {
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(target);
  if (api_key_) request.headers().add("Authorization", "Bearer " + api_key_->Token());
  return request;
}

pplx::task<Result<StatsSnapshot>> PipelineClient::FetchStats() {
  using R = Result<StatsSnapshot>;
  const auto started = std::chrono::steady_clock::now();
  return client_.request(Get("/stats"))
      .then([](const web::http::http_response& response) {
        const int status = response.status_code();
        return response.extract_utf8string(true).then([status](const std::string& body) {
          if (status != 200) return R::Error("/stats answered HTTP " + std::to_string(status));
          return ParseStats(body);
        });
      })
      .then([metrics = metrics_, pipeline = pipeline_, started](const pplx::task<R>& done) {
        try {
          R result = done.get();
          Observe(metrics, pipeline, "stats", result.ok() ? "ok" : "http_error", started);
          return result;
        } catch (const std::exception& e) {
          Observe(metrics, pipeline, "stats", "unreachable", started);
          return R::Error(e.what());
        }
      });
}

pplx::task<UpstreamOutcome> PipelineClient::FetchCompletionStatus(const std::string& token) {
  web::uri_builder target("/completion_status");
  target.append_query("token", token);
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  const auto started = std::chrono::steady_clock::now();
  return client_.request(Get(target.to_string()))
      .then([pipeline, retry_after](const web::http::http_response& response) {
        const int status = response.status_code();
        return response.extract_utf8string(true).then(
            [status, pipeline, retry_after](const std::string& body) {
              return ParseCompletionStatusAnswer(status, body, pipeline, retry_after);
            });
      })
      .then([metrics = metrics_, pipeline, retry_after,
             started](const pplx::task<UpstreamOutcome>& done) {
        try {
          UpstreamOutcome outcome = done.get();
          Observe(metrics, pipeline, "completion_status",
                  outcome.kind == UpstreamOutcome::Kind::kError ? "http_error" : "ok", started);
          return outcome;
        } catch (const std::exception& e) {
          Observe(metrics, pipeline, "completion_status", "unreachable", started);
          return UpstreamOutcome::Error(ApiError::Unreachable(pipeline, e.what(), retry_after));
        }
      });
}

pplx::task<web::http::http_response> PipelineClient::Forward(web::http::http_request request,
                                                             const char* kind) {
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  const auto started = std::chrono::steady_clock::now();
  if (api_key_) {
    request.headers().remove("Authorization");
    request.headers().add("Authorization", "Bearer " + api_key_->Token());
  }
  return client_.request(request).then([metrics = metrics_, pipeline, retry_after, kind,
                                        started](const pplx::task<web::http::http_response>& done) {
    try {
      web::http::http_response response = done.get();
      Observe(metrics, pipeline, kind, response.status_code() < 400 ? "ok" : "http_error", started);
      return response;
    } catch (const std::exception& e) {
      Observe(metrics, pipeline, kind, "unreachable", started);
      ApiError error = ApiError::Unreachable(pipeline, e.what(), retry_after);
      web::http::http_response response(error.http_status);
      response.set_body(error.Body(), "application/json");
      response.headers().add("Retry-After", std::to_string(retry_after));
      return response;
    }
  });
}

}  // namespace sidecar
