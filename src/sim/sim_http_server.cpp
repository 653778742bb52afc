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

SimHttpServer::SimHttpServer(Listeners listeners, Frontend frontend, Parts parts)
    : frontend_(std::move(frontend)),
      parts_(parts),
      pipeline_listener_(listeners.pipeline, listeners.tls,
                         [this](const http_request& request) { Receive(request); }) {
  if (listeners.control) {
    control_listener_ = std::make_unique<ControlServer>(
        *listeners.control,
        [this](const ApiRequest& request) { return ReceiveOnControlListener(request); });
  }
}

SimHttpServer::~SimHttpServer() {
  Close();
}

void SimHttpServer::Open() {
  if (control_listener_) control_listener_->Open();
  if (PipelineListenerWanted()) pipeline_listener_.Open();
}

void SimHttpServer::Close() {
  pipeline_listener_.Close();
  if (control_listener_) control_listener_->Close();
}

void SimHttpServer::Sync() {
  if (PipelineListenerWanted()) {
    try {
      pipeline_listener_.Open();
    } catch (const std::exception& e) {
      spdlog::warn("reopening {} failed: {}", pipeline_listener_.url(), e.what());
    }
  } else {
    pipeline_listener_.Close();
  }
}

std::optional<std::string> SimHttpServer::control_url() const {
  if (!control_listener_) return std::nullopt;
  return control_listener_->url();
}

bool SimHttpServer::PipelineListenerWanted() const {
  return !down_ && (frontend_.manager() || parts_.pipeline.running());
}

ControlServer::Reply SimHttpServer::ReceiveOnControlListener(const ApiRequest& request) {
  if (!ControlApi::Owns(request)) return {NoRouteResponse(), {}};
  ControlOutcome outcome = parts_.control_api.Handle(request, SimClock::now());
  if (PipelineListenerWanted()) Sync();  // a start's caller can connect once answered
  return {outcome.response, [this, down = outcome.down] {
            parts_.timers.Schedule(std::chrono::milliseconds(0),
                                   [this, down] { AfterControlAnswer(down); });
          }};
}

void SimHttpServer::Receive(const http_request& request) {
  ApiRequest parsed = ParseRequestTarget(request.method(), request.relative_uri().to_string());
  if (ControlApi::Owns(parsed)) {
    Answer(request, std::move(parsed));
    return;
  }
  FrontDecision decision = frontend_.Route(parsed, parts_.pipeline.running());
  if (!decision.to_pipeline) {
    if (decision.answer.reset_connection)
      ResetConnections(request);
    else
      Reply(request, decision.answer);
    return;
  }
  CountPipelineRequest(*decision.to_pipeline);
  const std::chrono::milliseconds stall = parts_.faults.stall();
  if (stall.count() == 0) {
    Answer(request, std::move(*decision.to_pipeline));
    return;
  }
  parts_.timers.Schedule(stall, [this, request, forwarded = std::move(*decision.to_pipeline)]() {
    Answer(request, forwarded);
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
    if (ControlApi::Owns(parsed)) {
      AnswerControl(request, parts_.control_api.Handle(parsed, SimClock::now()));
      return;
    }
    const ApiResponse answer =
        frontend_.Finish(parts_.pipeline_api.Handle(parsed, SimClock::now()));
    if (answer.reset_connection)
      ResetConnections(request);
    else
      Reply(request, answer);
  });
}

void SimHttpServer::AnswerControl(const http_request& request, const ControlOutcome& outcome) {
  // On the timer thread: opening and closing a listener from one of its own request handlers
  // could wait on the handler.
  parts_.timers.Schedule(std::chrono::milliseconds(0), [this, request, outcome] {
    if (PipelineListenerWanted()) Sync();
    // Close or go down only once the answer is out, so that the caller sees its 200.
    Reply(request, outcome.response).then([this, down = outcome.down] {
      parts_.timers.Schedule(std::chrono::milliseconds(0),
                             [this, down] { AfterControlAnswer(down); });
    });
  });
}

void SimHttpServer::AfterControlAnswer(const std::optional<DownPlan>& down) {
  if (down)
    GoDown(*down);
  else if (!PipelineListenerWanted())
    Sync();
}

void SimHttpServer::ResetConnections(const http_request& request) {
  const int reset = ResetConnectionsToPort(pipeline_listener_.port());
  spdlog::info("reset {} connections", reset);
  // The connection is gone, so nothing reaches the client; replying lets cpprestsdk notice and
  // release it.
  Reply(request, InjectedFaultError(500));
}

void SimHttpServer::GoDown(const DownPlan& plan) {
  spdlog::info("going down for {} ms", plan.duration.count());
  down_ = true;
  Sync();
  parts_.timers.Schedule(plan.duration, [this, plan] { ComeBack(plan); });
}

void SimHttpServer::ComeBack(const DownPlan& plan) {
  if (plan.restart) {
    const Uuid incarnation = parts_.pipeline.Restart(plan.from_checkpoint, SimClock::now());
    spdlog::info("restarted as incarnation {} (from checkpoint: {})", incarnation.ToString(),
                 plan.from_checkpoint);
  }
  down_ = false;
  if (!PipelineListenerWanted()) return;  // stopped meanwhile: it stays closed
  try {
    pipeline_listener_.Open();
    spdlog::info("listening again on {}", pipeline_listener_.url());
  } catch (const std::exception& e) {
    spdlog::warn("reopening {} failed ({}), retrying", pipeline_listener_.url(), e.what());
    const DownPlan retry{plan.duration, false, false};
    parts_.timers.Schedule(kReopenRetry, [this, retry] { ComeBack(retry); });
  }
}

}  // namespace sidecar::sim
