#include "api/http_server.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "api/feldera_configuration.h"
#include "api/proxy.h"
#include "api/request_limits.h"
#include "api/request_target.h"
#include "common/time.h"
#include "common/wait.h"
#include "feldera/http_error.h"
#include "status/pipeline_answers.h"
#include "upstream/pipeline_client.h"

namespace sidecar {
namespace {

using web::http::http_request;
using web::http::http_response;
using web::json::value;

constexpr const char* kJson = "application/json";

// Replies being written, over every listener: stopping waits for them before closing
// connections, so that the answers given to held long-polls reach their clients.
std::atomic<int64_t> replies_in_flight{0};

void Send(const http_request& request, const http_response& response) {
  ++replies_in_flight;
  request.reply(response).then([](const pplx::task<void>& sent) {
    try {
      sent.get();
    } catch (const std::exception& e) {
      spdlog::debug("reply not delivered: {}", e.what());  // the client went away
    }
    --replies_in_flight;
  });
}

void Reply(const http_request& request, int status, const std::string& body,
           std::optional<int> retry_after = std::nullopt) {
  http_response response(static_cast<web::http::status_code>(status));
  response.set_body(body, kJson);
  if (retry_after) response.headers().add("Retry-After", std::to_string(*retry_after));
  Send(request, response);
}

void ReplyError(const http_request& request, const ApiError& error) {
  Send(request, ToHttpResponse(error));
}

RequestShape ShapeOf(const http_request& request, const web::uri& target) {
  RequestShape shape;
  shape.target_bytes = target.to_string().size();
  for (const auto& [name, value] : request.headers()) {
    ++shape.headers;
    shape.header_bytes += name.size() + value.size();
  }
  if (request.headers().has("Content-Length"))
    shape.content_length = request.headers().content_length();
  return shape;
}

std::string RouteName(RouteKind kind) {
  switch (kind) {
    case RouteKind::kHealthz:
      return "healthz";
    case RouteKind::kReadyz:
      return "readyz";
    case RouteKind::kMetrics:
      return "metrics";
    case RouteKind::kConfig:
      return "config";
    case RouteKind::kListPipelines:
      return "pipelines";
    case RouteKind::kCompletionStatus:
      return "completion_status";
    case RouteKind::kIncarnations:
      return "incarnations";
    case RouteKind::kIngress:
      return "ingress";
    case RouteKind::kCompletionToken:
      return "completion_token";
    case RouteKind::kNotFound:
      return "not_found";
    case RouteKind::kMethodNotAllowed:
      return "method_not_allowed";
  }
  return "other";
}

std::string ListenerUrl(const Config& config, Surface surface) {
  if (surface == Surface::kOperations && config.metrics_listen) {
    return "http://" + config.metrics_listen->host + ":" +
           std::to_string(config.metrics_listen->port);
  }
  return "http://" + config.listen_host + ":" + std::to_string(config.listen_port);
}

bool IsOperationsRoute(RouteKind kind) {
  return kind == RouteKind::kHealthz || kind == RouteKind::kReadyz || kind == RouteKind::kMetrics;
}

}  // namespace

HttpServer::HttpServer(const Config& config, Surface surface, PipelineRegistry& pipelines,
                       Metrics& metrics, ServiceState state, std::shared_ptr<ApiKeys> api_keys,
                       std::shared_ptr<kube::BearerTokenSource> feldera_api_key)
    : config_(config),
      surface_(surface),
      api_keys_(std::move(api_keys)),
      pipelines_(pipelines),
      metrics_(metrics),
      state_(std::move(state)),
      listener_(ListenerUrl(config, surface)),
      feldera_api_key_(std::move(feldera_api_key)) {
  if (!config.feldera_api_url.empty()) {
    web::http::client::http_client_config client_config;
    client_config.set_timeout(std::chrono::milliseconds(config.upstream_timeout_ms));
    feldera_api_ =
        std::make_unique<web::http::client::http_client>(config.feldera_api_url, client_config);
  }
  listener_.support([this](const http_request& request) {
    try {
      Handle(request);
    } catch (const std::exception& e) {
      spdlog::error("internal error on {}: {}", request.relative_uri().path(), e.what());
      ReplyError(request, ApiError::Internal(e.what()));
    }
  });
}

void HttpServer::Open() {
  listener_.open().wait();
}

bool HttpServer::WaitForReplies(std::chrono::milliseconds timeout) {
  return WaitUntilZero(replies_in_flight, timeout);
}

void HttpServer::Close() {
  listener_.close().wait();
}

void HttpServer::Handle(const http_request& request) {
  // relative_uri() parses the request's URI anew on every call: once per request is enough.
  const web::uri target = request.relative_uri();
  const std::string& path = target.path();
  Route route = MatchRoute(request.method(), path);
  if (spdlog::should_log(spdlog::level::debug)) {
    // Bounded, so that a client cannot fill the log with one request.
    constexpr size_t kLoggedTarget = 512;
    const std::string logged = target.to_string();
    spdlog::debug("{} {}{}", request.method(), logged.substr(0, kLoggedTarget),
                  logged.size() > kLoggedTarget ? "..." : "");
  }
  if (surface_ == Surface::kOperations && !IsOperationsRoute(route.kind)) {
    route = Route{};  // the API is not served here: not found
  }
  auto count = [&](int code) { metrics_.CountHttpRequest(RouteName(route.kind), code); };

  if (auto refusal = CheckRequestShape(ShapeOf(request, target), config_.limits)) {
    count(refusal->http_status);
    return ReplyError(request, *refusal);
  }

  if (api_keys_ && path.starts_with("/v0/")) {
    const auto header = request.headers().find("Authorization");
    const std::string authorization =
        header == request.headers().end() ? std::string() : header->second;
    if (!api_keys_->Authorizes(authorization)) {
      count(401);
      const ApiError error = ApiError::Unauthenticated(
          authorization.empty() ? "Missing API key: send Authorization: Bearer <key>"
                                : "Unauthorized API key");
      http_response response = ToHttpResponse(error);
      response.headers().add("WWW-Authenticate", "Bearer realm=\"completion-sidecar\"");
      return Send(request, response);
    }
  }

  switch (route.kind) {
    case RouteKind::kCompletionStatus:
      return HandleCompletionStatus(request, target.query(), route.pipeline);
    case RouteKind::kIngress:
    case RouteKind::kCompletionToken:
      return HandleProxy(request, route);
    case RouteKind::kConfig:
      return HandleConfig(request);
    case RouteKind::kReadyz:
      return HandleReadyz(request);
    case RouteKind::kHealthz:
      count(200);
      return Reply(request, 200, R"({"status":"ok"})");
    case RouteKind::kMetrics: {
      count(200);
      http_response response(200);
      response.set_body(metrics_.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
      request.reply(response);
      return;
    }
    case RouteKind::kListPipelines: {
      value list = value::array();
      size_t i = 0;
      const auto stale_since = state_.pods_stale_since ? state_.pods_stale_since() : std::nullopt;
      for (const auto& p : pipelines_.All()) {
        value entry = p->Describe();
        // While the Kubernetes watch fails, what is known of pods may be out of date.
        entry["state_confirmed"] = value::boolean(!stale_since);
        entry["unconfirmed_since"] =
            stale_since ? value::string(FormatTime(*stale_since)) : value::null();
        list[i++] = std::move(entry);
      }
      count(200);
      return Reply(request, 200, list.serialize());
    }
    case RouteKind::kIncarnations: {
      auto pipeline = pipelines_.Find(route.pipeline);
      if (!pipeline) {
        count(404);
        return ReplyError(request, ApiError::UnknownPipeline(route.pipeline));
      }
      value body = value::object();
      body["pipeline_name"] = value::string(route.pipeline);
      body["incarnations"] = pipeline->HistoryJson();
      count(200);
      return Reply(request, 200, body.serialize());
    }
    case RouteKind::kMethodNotAllowed:
      count(405);
      return ReplyError(request, ApiError::MethodNotAllowed(request.method(), path));
    case RouteKind::kNotFound:
      count(404);
      return ReplyError(request, ApiError::NoSuchPath(path));
  }
}

void HttpServer::HandleCompletionStatus(const http_request& request, const std::string& query,
                                        const std::string& name) {
  const auto started = std::chrono::steady_clock::now();
  auto pipeline = pipelines_.Find(name);
  // By the pipeline's own name, also when the request names it by its id.
  const std::string label = pipeline ? pipeline->name() : Metrics::kUnknownPipeline;
  Metrics& metrics = metrics_;
  auto answer = [request, label, started, &metrics](const StatusAnswer& a) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.ObserveStatusRequest(label, a.http_status, seconds);
    Reply(request, a.http_status, a.Body(), a.error ? a.error->retry_after_seconds : std::nullopt);
  };

  const auto params = ParseQuery(query);
  // Feldera checks the pipeline before the token.
  if (!pipeline) return answer(StatusAnswer::Failed(ApiError::UnknownPipeline(name)));
  auto token_param = params.find("token");
  if (token_param == params.end()) {
    return answer(StatusAnswer::Failed(ApiError::MissingParam("token")));
  }
  auto token = DecodeCompletionToken(token_param->second);
  if (!token.ok()) return answer(StatusAnswer::Failed(ApiError::InvalidToken(token.error())));

  std::optional<SteadyClock::time_point> deadline;
  if (auto wait = params.find("wait_ms"); wait != params.end()) {
    int wait_ms = -1;
    const std::string& text = wait->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), wait_ms);
    if (ec != std::errc() || end != text.data() + text.size() || wait_ms < 0 ||
        wait_ms > config_.max_wait_ms) {
      return answer(StatusAnswer::Failed(ApiError::InvalidParam(
          "wait_ms", "expected an integer from 0 to " + std::to_string(config_.max_wait_ms))));
    }
    if (wait_ms > 0) deadline = started + std::chrono::milliseconds(wait_ms);
  }
  if (!holding_) deadline.reset();
  if (!deadline) return pipeline->QueryStatus(token.value(), deadline, answer);

  // A held long-poll costs a connection and a waiter until answered: their number is capped.
  if (held_long_polls_->fetch_add(1) >= config_.limits.max_held_long_polls) {
    held_long_polls_->fetch_sub(1);
    return answer(StatusAnswer::Failed(TooManyLongPolls(
        config_.limits, RetryAfterFor(std::chrono::milliseconds(config_.probe_interval_ms)))));
  }
  pipeline->QueryStatus(token.value(), deadline,
                        [answer, held = held_long_polls_](const StatusAnswer& a) {
                          held->fetch_sub(1);
                          answer(a);
                        });
}

void HttpServer::HandleProxy(const http_request& request, const Route& route) {
  const bool ingress = route.kind == RouteKind::kIngress;
  const std::string route_name = RouteName(route.kind);
  auto pipeline = pipelines_.Find(route.pipeline);
  if (!pipeline) {
    metrics_.CountHttpRequest(route_name, 404);
    return ReplyError(request, ApiError::UnknownPipeline(route.pipeline));
  }
  auto client = pipeline->client();
  if (!client) {
    const ApiError error = pipeline->NotDeployedError();
    metrics_.CountHttpRequest(route_name, error.http_status);
    return ReplyError(request, error);
  }
  const std::string target =
      ingress ? IngressTarget(route.table)
              : CompletionTokenTarget(client->base(), route.table, route.connector);
  const std::string query = request.relative_uri().query();
  http_request upstream =
      UpstreamRequest(request, query.empty() ? target : target + "?" + query, api_keys_ != nullptr);
  const RequestLimits limits = config_.limits;
  Metrics& metrics = metrics_;
  AttachBody(request, upstream, limits.max_body_bytes)
      .then([client, upstream, ingress, limits](bool fits) {
        if (!fits) return pplx::task_from_result(ToHttpResponse(BodyTooLarge(limits)));
        return client->Forward(upstream, ingress ? "ingress" : "completion_token");
      })
      .then([pipeline, ingress](const http_response& answer) {
        return answer.extract_vector().then([answer, pipeline,
                                             ingress](std::vector<unsigned char> body) {
          // The token is born now: follow it to completion in the background.
          const auto born = SteadyClock::now();
          if (auto token =
                  ParseTokenAnswer(answer.status_code(), std::string(body.begin(), body.end()))) {
            pipeline->TrackToken(
                *token, ingress ? TokenSource::kIngress : TokenSource::kCompletionToken, born);
          }
          return DownstreamResponse(answer, std::move(body));
        });
      })
      .then([request, route_name, &metrics,
             held = PipelineClient::InFlight()](const pplx::task<http_response>& done) {
        try {
          http_response response = done.get();
          metrics.CountHttpRequest(route_name, response.status_code());
          Send(request, response);
        } catch (const std::exception& e) {
          metrics.CountHttpRequest(route_name, 500);
          ReplyError(request, ApiError::Internal(std::string("proxying failed: ") + e.what()));
        }
      });
}

void HttpServer::HandleConfig(const http_request& request) {
  if (!feldera_api_) {
    metrics_.CountHttpRequest("config", 200);
    return Reply(request, 200, OwnFelderaConfiguration().serialize());
  }
  http_request upstream(web::http::methods::GET);
  upstream.set_request_uri("/v0/config");
  // The client's Authorization is a key for this service (or nobody's business of Feldera's).
  if (feldera_api_key_)
    upstream.headers().add("Authorization", "Bearer " + feldera_api_key_->Token());
  Metrics& metrics = metrics_;
  feldera_api_->request(upstream).then([request, &metrics](const pplx::task<http_response>& done) {
    try {
      http_response response = done.get();
      metrics.CountHttpRequest("config", response.status_code());
      request.reply(response);
    } catch (const std::exception& e) {
      metrics.CountHttpRequest("config", 503);
      ReplyError(request, ApiError::Unreachable("feldera-api", "GET /v0/config", e.what(), 1));
    }
  });
}

void HttpServer::HandleReadyz(const http_request& request) {
  if (state_.ready()) {
    metrics_.CountHttpRequest("readyz", 200);
    return Reply(request, 200, R"({"status":"ready"})");
  }
  metrics_.CountHttpRequest("readyz", 503);
  ReplyError(request, ApiError::NotReady());
}

}  // namespace sidecar
