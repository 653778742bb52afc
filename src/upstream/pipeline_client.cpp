#include "upstream/pipeline_client.h"

#include "api/error_response.h"

namespace sidecar {
namespace {

web::http::client::http_client_config ClientConfig(std::chrono::milliseconds timeout) {
  web::http::client::http_client_config config;
  config.set_timeout(timeout);
  return config;
}

}  // namespace

PipelineClient::PipelineClient(std::string pipeline, const std::string& base_url,
                               std::chrono::milliseconds timeout, int retry_after_seconds)
    : pipeline_(std::move(pipeline)),
      base_url_(base_url),
      retry_after_seconds_(retry_after_seconds),
      client_(base_url, ClientConfig(timeout)) {}

pplx::task<Result<StatsSnapshot>> PipelineClient::FetchStats() {
  using R = Result<StatsSnapshot>;
  return client_.request(web::http::methods::GET, "/stats")
      .then([](web::http::http_response response) {
        const int status = response.status_code();
        return response.extract_utf8string(true).then([status](std::string body) {
          if (status != 200) return R::Error("/stats answered HTTP " + std::to_string(status));
          return ParseStats(body);
        });
      })
      .then([](pplx::task<R> done) {
        try {
          return done.get();
        } catch (const std::exception& e) {
          return R::Error(e.what());
        }
      });
}

pplx::task<UpstreamOutcome> PipelineClient::FetchCompletionStatus(const std::string& token) {
  web::uri_builder target("/completion_status");
  target.append_query("token", token);
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  return client_.request(web::http::methods::GET, target.to_string())
      .then([pipeline, retry_after](web::http::http_response response) {
        const int status = response.status_code();
        return response.extract_utf8string(true).then(
            [status, pipeline, retry_after](std::string body) {
              return ParseCompletionStatusAnswer(status, body, pipeline, retry_after);
            });
      })
      .then([pipeline, retry_after](pplx::task<UpstreamOutcome> done) {
        try {
          return done.get();
        } catch (const std::exception& e) {
          return UpstreamOutcome::Error(ApiError::Unreachable(pipeline, e.what(), retry_after));
        }
      });
}

pplx::task<web::http::http_response> PipelineClient::Forward(web::http::http_request request) {
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  return client_.request(request).then(
      [pipeline, retry_after](pplx::task<web::http::http_response> done) {
        try {
          return done.get();
        } catch (const std::exception& e) {
          ApiError error = ApiError::Unreachable(pipeline, e.what(), retry_after);
          web::http::http_response response(error.http_status);
          response.set_body(error.Body(), "application/json");
          response.headers().add("Retry-After", std::to_string(retry_after));
          return response;
        }
      });
}

}  // namespace sidecar
