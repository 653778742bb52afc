#include "sim/sim_http_server.h"

#include <spdlog/spdlog.h>

#include "sim/connection_reset.h"
#include "sim/error_response.h"

namespace sidecar::sim {
namespace {

using web::http::http_request;
using web::http::http_response;

// Reopening after an outage retries this often while the port is still taken.
constexpr std::chrono::milliseconds kReopenRetry{100};

// Sends `answer`; the returned task completes once it is out (or failed) and never throws.
pplx::task<void> Reply(const http_request& request, const ApiResponse& answer) {
  http_response response(static_cast<web::http::status_code>(answer.status));
  if (!answer.raw_body)
    response.set_body(answer.body);
  else if (!answer.raw_content_type.empty())
    response.set_body(*answer.raw_body, answer.raw_content_type);
  else if (!answer.raw_body->empty())
    response.set_body(*answer.raw_body);
  for (const auto& [name, value] : answer.headers) response.headers().add(name, value);
  // A client that left makes the reply fail; that is its business, not a reason to stop.
  return request.reply(response).then([](const pplx::task<void>& sent) {
    try {
      sent.get();
    } catch (const std::exception&) {
    }
  });
}

ApiResponse BodyTooLargeError() {
  return ErrorReply(413, "PayloadTooLarge",
                    "request body exceeds " + std::to_string(kMaxRequestBodyBytes) + " bytes");
}

}  // namespace

SimHttpServer::SimHttpServer(ListenAddress address, std::shared_ptr<const TlsIdentity> tls,
                             Parts parts)
    : parts_(parts),
      listener_(std::move(address), std::move(tls),
                [this](const http_request& request) { Receive(request); }) {}

SimHttpServer::~SimHttpServer() {
  Close();
}

void SimHttpServer::Open() {
  listener_.Open();
}

void SimHttpServer::Close() {
  listener_.Close();
}

void SimHttpServer::Receive(const http_request& request) {
  ApiRequest parsed = ParseRequestTarget(request.method(), request.relative_uri().to_string());
  if (ControlApi::Owns(parsed)) {
    Answer(request, std::move(parsed));
    return;
  }
  CountPipelineRequest(parsed);
  const std::chrono::milliseconds stall = parts_.faults.stall();
  if (stall.count() == 0) {
    Answer(request, std::move(parsed));
    return;
  }
  parts_.timers.Schedule(stall, [this, request, api_request = std::move(parsed)]() mutable {
    Answer(request, std::move(api_request));
  });
}

void SimHttpServer::CountPipelineRequest(const ApiRequest& request) {
  if (const std::optional<PipelineRequestKind> kind = PipelineApi::Classify(request))
    parts_.counters.Count(*kind);
}

void SimHttpServer::Answer(http_request request, ApiRequest parsed) {
  if (request.headers().content_length() > kMaxRequestBodyBytes) {
    Reply(request, BodyTooLargeError());
    return;
  }
  request.extract_utf8string(true).then([this, request, parsed = std::move(parsed)](
                                            const pplx::task<std::string>& body_task) mutable {
    try {
      parsed.body = body_task.get();
    } catch (const std::exception& e) {
      Reply(request,
            ErrorReply(400, "InvalidRequest", std::string("unreadable body: ") + e.what()));
      return;
    }
    if (parsed.body.size() > kMaxRequestBodyBytes) {
      Reply(request, BodyTooLargeError());
      return;
    }
    if (!ControlApi::Owns(parsed)) {
      const ApiResponse answer = parts_.pipeline_api.Handle(parsed, SimClock::now());
      if (answer.reset_connection)
        ResetConnections(request);
      else
        Reply(request, answer);
      return;
    }
    ControlOutcome outcome = parts_.control_api.Handle(parsed, SimClock::now());
    if (!outcome.down) {
      Reply(request, outcome.response);
      return;
    }
    // Go down only once the answer is out, so that the caller sees its 200.
    Reply(request, outcome.response).then([this, plan = *outcome.down] {
      parts_.timers.Schedule(std::chrono::milliseconds(0), [this, plan] { GoDown(plan); });
    });
  });
}

void SimHttpServer::ResetConnections(const http_request& request) {
  const int reset = ResetConnectionsToPort(listener_.port());
  spdlog::info("fault: reset {} connections", reset);
  // The connection is gone, so nothing reaches the client; replying lets cpprestsdk notice and
  // release it.
  Reply(request, InjectedFaultError(500));
}

void SimHttpServer::GoDown(const DownPlan& plan) {
  spdlog::info("going down for {} ms", plan.duration.count());
  Close();
  parts_.timers.Schedule(plan.duration, [this, plan] { ComeBack(plan); });
}

void SimHttpServer::ComeBack(const DownPlan& plan) {
  if (plan.restart) {
    const Uuid incarnation = parts_.pipeline.Restart(plan.from_checkpoint, SimClock::now());
    spdlog::info("restarted as incarnation {} (from checkpoint: {})", incarnation.ToString(),
                 plan.from_checkpoint);
  }
  try {
    Open();
    spdlog::info("listening again on {}", url());
  } catch (const std::exception& e) {
    spdlog::warn("reopening {} failed ({}), retrying", url(), e.what());
    const DownPlan retry{plan.duration, false, false};
    parts_.timers.Schedule(kReopenRetry, [this, retry] { ComeBack(retry); });
  }
}

}  // namespace sidecar::sim
