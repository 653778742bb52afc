#include "status/decision.h"

namespace sidecar {

using web::json::value;

ApiError PipelineRestartedError(const std::string& pipeline, const Uuid& token_incarnation,
                                const Incarnation* ended, const Incarnation* current) {
  ApiError e;
  e.http_status = 410;
  e.error_code = "PipelineRestarted";
  const std::string current_text =
      current && current->uuid ? current->uuid->ToString() : std::string("none running");
  e.message = "Pipeline '" + pipeline + "' was restarted: the token was issued by incarnation " +
              token_incarnation.ToString() + ", the current incarnation is " + current_text;
  value d = value::object(/*keep_order=*/true);
  d["pipeline_name"] = value::string(pipeline);
  d["token_incarnation"] = value::string(token_incarnation.ToString());
  d["current_incarnation"] =
      current && current->uuid ? value::string(current->uuid->ToString()) : value::null();
  if (ended && ended->end) {
    d["ended_at"] =
        value::string(ended->end->finished_at.empty() ? FormatTime(ended->end->observed_at)
                                                      : ended->end->finished_at);
    d["reason"] = value::string(ended->end->reason);
    d["exit_code"] = ended->end->exit_code ? value::number(*ended->end->exit_code) : value::null();
  } else {
    d["ended_at"] = value::null();
    d["reason"] = value::null();
    d["exit_code"] = value::null();
  }
  d["current_resumed_from_checkpoint"] =
      current ? value::boolean(current->resumed_from_checkpoint) : value::null();
  e.details = d;
  return e;
}

namespace {

Decision Unreachable(const PipelineView& view) {
  if (view.upstream_error) return Decision::Error(*view.upstream_error);
  return Decision::Error(ApiError::Unreachable(
      view.name, "GET /completion_status",
      view.unreachable_reason.empty() ? "the pipeline is not answering" : view.unreachable_reason,
      view.retry_after_seconds));
}

Decision NotDeployed(const PipelineView& view) {
  return Decision::Error(
      ApiError::NotDeployed(view.name, view.deployment_status, view.retry_after_seconds));
}

}  // namespace

Decision DecideStatus(const CompletionToken& token, const PipelineView& view) {
  const IncarnationHistory& history = *view.history;
  const Incarnation* current = history.Current();

  if (current && current->uuid == token.incarnation) {
    // Completion is a fact: a known-complete token stays complete even while the pipeline is down.
    if (view.frontier) {
      if (auto done = view.frontier->Lookup(token.count)) return Decision::Complete(done->step);
    }
    if (view.reachable) return Decision::AskUpstream();
    return view.deployed ? Unreachable(view) : NotDeployed(view);
  }

  if (const Incarnation* known = history.Find(token.incarnation)) {
    // Known and not current: it ended (a newer one began, or Kubernetes showed its end).
    return Decision::Error(PipelineRestartedError(view.name, token.incarnation, known, current));
  }

  // An incarnation the service never saw. UUIDv7s order by start time: one older than the newest
  // known incarnation is over; a newer one means the service's view may be stale.
  const Incarnation* newest = history.Newest();
  const auto token_ms = token.incarnation.V7UnixMillis();
  const auto newest_ms = newest && newest->uuid ? newest->uuid->V7UnixMillis() : std::nullopt;
  if (token_ms && newest_ms && *token_ms < *newest_ms) {
    return Decision::Error(PipelineRestartedError(view.name, token.incarnation, nullptr, current));
  }
  // Nothing runs the pipeline: there is no view to refresh, and nothing to ask.
  if (!view.deployed) return NotDeployed(view);
  if (!view.reprobed) return Decision::Reprobe();
  if (!view.reachable) return Unreachable(view);
  if (!current) return NotDeployed(view);
  // The pipeline, asked just now, runs another incarnation: the token's (a foreign UUID, one not
  // of version 7, one from another pipeline) is not this pipeline's, as Feldera answers too.
  return Decision::Error(PipelineRestartedError(view.name, token.incarnation, nullptr, current));
}

}  // namespace sidecar
