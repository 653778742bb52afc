#include "status/decision.h"

namespace sidecar {

ApiError PipelineRestartedError(const std::string& pipeline, const Uuid& token_incarnation,
                                const Incarnation* ended, const Incarnation* current) {
  RestartFacts facts;
  facts.token_incarnation = token_incarnation.ToString();
  if (current && current->uuid) facts.current_incarnation = current->uuid->ToString();
  if (ended && ended->end) {
    const IncarnationEnd& end = *ended->end;
    facts.end =
        RestartFacts::End{end.finished_at.empty() ? FormatTime(end.observed_at) : end.finished_at,
                          end.reason, end.exit_code};
  }
  if (current) facts.current_resumed_from_checkpoint = current->resumed_from_checkpoint;
  return ApiError::PipelineRestarted(pipeline, facts);
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
