#include "upstream/pipeline_client.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/wait.h"
#include "feldera/api_error.h"
#include "feldera/http_error.h"
#include "kube/backoff.h"

namespace sidecar {
namespace {

// Records one finished request. A free function: continuations may outlive the client (the
// pipeline moves to a new pod), but not the process-wide Metrics.
void Observe(Metrics* metrics, const std::string& pipeline, const char* request,
             const char* outcome, std::chrono::steady_clock::time_point started) {
  if (!metrics) return;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics->ObserveUpstreamRequest(pipeline, request, outcome, seconds);
}

// The upstream's Retry-After in seconds, when it sent the delay-seconds form.
std::optional<int> RetryAfterOf(const web::http::http_response& response) {
  const auto header = response.headers().find("Retry-After");
  if (header == response.headers().end()) return std::nullopt;
  const auto seconds = kube::ParseRetryAfter(header->second);
  if (!seconds) return std::nullopt;
  return static_cast<int>(std::min<int64_t>(seconds->count(), 86400));
}

// Every request's cancellation, and the count of InFlight() tokens held: process-wide, since
// shutdown is.
pplx::cancellation_token_source& Cancellation() {
  static pplx::cancellation_token_source source;
  return source;
}
std::atomic<int64_t> tokens_held{0};

}  // namespace

void PipelineClient::CancelAll() {
  Cancellation().cancel();
}

std::shared_ptr<void> PipelineClient::InFlight() {
  ++tokens_held;
  return std::shared_ptr<void>(nullptr, [](void*) { --tokens_held; });
}

bool PipelineClient::WaitForAll(std::chrono::milliseconds timeout) {
  return WaitUntilZero(tokens_held, timeout);
}

web::http::client::http_client_config UpstreamClientConfig(std::chrono::milliseconds timeout,
                                                           const UpstreamTls& tls) {
  web::http::client::http_client_config config;
  config.set_timeout(timeout);
  if (!tls.ca_pem.empty()) {
    config.set_ssl_context_callback([pem = tls.ca_pem](boost::asio::ssl::context& context) {
      boost::system::error_code ignored;  // the file was checked at start-up
      context.add_certificate_authority(boost::asio::buffer(pem), ignored);
    });
  }
  return config;
}

web::uri ConnectableUri(const std::string& url) {
  web::uri uri(url);
  const std::string& host = uri.host();
  if (host.size() < 2 || host.front() != '[' || host.back() != ']') return uri;
  web::uri_builder parts(uri);
  parts.set_host(host.substr(1, host.size() - 2));
  return parts.to_uri();
}

Result<UpstreamTls> LoadUpstreamTls(const std::string& ca_file, const std::string& server_name,
                                    const std::string& fallback_ca_file) {
  UpstreamTls tls{"", server_name};
  std::string path = ca_file;
  if (path.empty()) {
    std::error_code missing;
    if (fallback_ca_file.empty() || !std::filesystem::exists(fallback_ca_file, missing)) {
      return Result<UpstreamTls>::Ok(tls);
    }
    path = fallback_ca_file;
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Result<UpstreamTls>::Error("cannot read CA file " + path);
  tls.ca_pem = text.str();
  boost::asio::ssl::context probe(boost::asio::ssl::context::tls_client);
  boost::system::error_code error;
  probe.add_certificate_authority(boost::asio::buffer(tls.ca_pem), error);
  if (error) {
    return Result<UpstreamTls>::Error("CA file " + path +
                                      " holds no PEM certificate: " + error.message());
  }
  return Result<UpstreamTls>::Ok(tls);
}

PipelineClient::PipelineClient(std::string pipeline, const std::string& base_url,
                               int retry_after_seconds, HttpClientPool& pool, Metrics* metrics,
                               std::shared_ptr<kube::BearerTokenSource> api_key,
                               const std::string& tls_server_name)
    : pipeline_(std::move(pipeline)),
      base_url_(base_url),
      base_(PipelineBaseOf(base_url)),
      retry_after_seconds_(retry_after_seconds),
      metrics_(metrics),
      api_key_(std::move(api_key)),
      // Only an https pipeline has a certificate to check the name against.
      server_name_(web::uri(base_url).scheme() == "https" ? tls_server_name : ""),
      client_(pool.ClientFor(ConnectableUri(base_url))) {
  const web::uri uri(base_url);
  if (uri.path() != "/") base_path_ = uri.path();
  if (uri.scheme() == "http" && uri.host().starts_with("[")) {
    ipv6_host_header_ = uri.host() + (uri.port() > 0 ? ":" + std::to_string(uri.port()) : "");
  }
}

void PipelineClient::Prepare(web::http::http_request& request) const {
  if (!base_path_.empty()) {
    request.set_request_uri(web::uri_builder(base_path_).append(request.request_uri()).to_uri());
  }
  if (api_key_) {
    request.headers().remove("Authorization");
    request.headers().add("Authorization", "Bearer " + api_key_->Token());
  }
  // cpprestsdk verifies the certificate for (and sends as SNI) the Host header when one is set.
  if (!server_name_.empty()) {
    request.headers().remove("Host");
    request.headers().add("Host", server_name_);
  } else if (!ipv6_host_header_.empty()) {
    request.headers().remove("Host");
    request.headers().add("Host", ipv6_host_header_);
  }
}

web::http::http_request PipelineClient::Get(const std::string& target) const {
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(target);
  Prepare(request);
  return request;
}

pplx::task<ProbeOutcome> PipelineClient::StatsTask() {
  const auto started = std::chrono::steady_clock::now();
  return client_->Request(Get("/stats"), Cancellation().get_token())
      .then([](const web::http::http_response& response) {
        const int status = response.status_code();
        const std::optional<int> retry_after = RetryAfterOf(response);
        return response.extract_utf8string(true).then(
            [status, retry_after](const std::string& body) {
              return ParseStatsAnswer(status, body, retry_after);
            });
      })
      .then([metrics = metrics_, pipeline = pipeline_,
             started](const pplx::task<ProbeOutcome>& done) {
        try {
          ProbeOutcome outcome = done.get();
          Observe(metrics, pipeline, "stats", outcome.stats.ok() ? "ok" : "http_error", started);
          return outcome;
        } catch (const std::exception& e) {
          Observe(metrics, pipeline, "stats", "unreachable", started);
          return ProbeOutcome{Result<StatsSnapshot>::Error(e.what()), std::nullopt};
        }
      });
}

pplx::task<UpstreamOutcome> PipelineClient::CompletionStatusTask(const std::string& token) {
  web::uri_builder target("/completion_status");
  target.append_query("token", token);
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  const auto started = std::chrono::steady_clock::now();
  return client_->Request(Get(target.to_string()), Cancellation().get_token())
      .then([pipeline, retry_after](const web::http::http_response& response) {
        const int status = response.status_code();
        const std::optional<int> upstream_retry_after = RetryAfterOf(response);
        return response.extract_utf8string(true).then(
            [status, pipeline, retry_after, upstream_retry_after](const std::string& body) {
              return ParseCompletionStatusAnswer(status, body, pipeline, retry_after,
                                                 upstream_retry_after);
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
          return UpstreamOutcome::Error(
              ApiError::Unreachable(pipeline, "GET /completion_status", e.what(), retry_after));
        }
      });
}

void PipelineClient::FetchStats(ProbeDone done) {
  StatsTask().then(
      [done = std::move(done), held = InFlight()](const ProbeOutcome& outcome) { done(outcome); });
}

void PipelineClient::FetchCompletionStatus(const std::string& token, QueryDone done) {
  CompletionStatusTask(token).then([done = std::move(done), held = InFlight()](
                                       const UpstreamOutcome& outcome) { done(outcome); });
}

pplx::task<web::http::http_response> PipelineClient::Forward(web::http::http_request request,
                                                             const char* kind) {
  const std::string pipeline = pipeline_;
  const int retry_after = retry_after_seconds_;
  const auto started = std::chrono::steady_clock::now();
  Prepare(request);
  const std::string what = request.method() + " " + request.request_uri().path();
  // Not cancelled at shutdown: a proxied ingress cut short could be sent again by its client
  // after the pipeline took it.
  return client_->Forward(request).then([metrics = metrics_, pipeline, retry_after, kind, started,
                                         what](const pplx::task<web::http::http_response>& done) {
    try {
      web::http::http_response response = done.get();
      Observe(metrics, pipeline, kind, response.status_code() < 400 ? "ok" : "http_error", started);
      return response;
    } catch (const std::exception& e) {
      Observe(metrics, pipeline, kind, "unreachable", started);
      return ToHttpResponse(ApiError::Unreachable(pipeline, what, e.what(), retry_after));
    }
  });
}

}  // namespace sidecar
