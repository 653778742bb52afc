// Label values: the closed set each metric label may take, and pure functions that map anything
// outside it to one fixed value, so that no input (a reason string from Kubernetes, a code passed
// through from a pipeline, a client-chosen pipeline name) can grow the number of series.
//
// Thread-safe: constants and pure functions only.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace sidecar {

// What a value outside its label's set is recorded as.
inline constexpr std::string_view kOtherLabelValue = "other";
// What a pipeline name that is not a plausible name is recorded as.
inline constexpr std::string_view kInvalidPipelineLabelValue = "_invalid";

// `source` of feldera_completion_token_latency_seconds: where the service first saw the token.
inline constexpr std::array<std::string_view, 3> kTokenSources = {"ingress", "completion_token",
                                                                  "status_request"};

// `reason` of feldera_completion_tokens_abandoned_total: why a token was dropped before it
// completed (its incarnation ended; the tracked set was full; the pipeline said the token's
// endpoint no longer exists).
inline constexpr std::array<std::string_view, 3> kAbandonReasons = {"incarnation_ended", "overflow",
                                                                    "endpoint_removed"};

// `reason` of feldera_pipeline_incarnations_total: how the previous incarnation ended, spelled as
// Kubernetes spells it (container and pod reasons); "FirstSeen" for the first incarnation the
// service sees of a pipeline, "Restarted" when only the pipeline's /stats told of the change.
inline constexpr std::array<std::string_view, 14> kIncarnationReasons = {
    "FirstSeen", "Restarted",          "Deleted",          "Evicted",   "Preempting",
    "NodeLost",  "Terminated",         "Shutdown",         "OOMKilled", "Error",
    "Completed", "ContainerCannotRun", "DeadlineExceeded", "StartError"};

// `request` of the upstream families: which pipeline API was called.
inline constexpr std::array<std::string_view, 4> kUpstreamRequests = {
    "stats", "completion_status", "ingress", "completion_token"};

// `outcome` of completion_sidecar_upstream_requests_total.
inline constexpr std::array<std::string_view, 3> kUpstreamOutcomes = {"ok", "http_error",
                                                                      "unreachable"};

// `verb` of completion_sidecar_kube_requests_total.
inline constexpr std::array<std::string_view, 5> kKubeVerbs = {"list", "watch", "get", "create",
                                                               "update"};

// `outcome` of completion_sidecar_kube_requests_total: the reflector's request outcomes
// (kube::ToString(RequestOutcome)) and the ConfigMap store's (not_found, conflict, error).
inline constexpr std::array<std::string_view, 10> kKubeOutcomes = {
    "ok",        "gone",      "throttled", "server_error", "client_error", "transport_error",
    "malformed", "not_found", "conflict",  "error"};

// `reason` of completion_sidecar_kube_watch_restarts_total (kube::ToString(WatchRestartReason)).
inline constexpr std::array<std::string_view, 6> kWatchRestartReasons = {
    "closed", "dropped", "stalled", "gone", "error_event", "malformed"};

// `type` of completion_sidecar_kube_watch_events_total, as the watch protocol spells them.
inline constexpr std::array<std::string_view, 5> kWatchEventTypes = {"ADDED", "MODIFIED", "DELETED",
                                                                     "BOOKMARK", "ERROR"};

// `value` if it is one of `allowed`, otherwise kOtherLabelValue.
std::string BoundedLabel(std::string_view value, std::span<const std::string_view> allowed);

// An HTTP status code as a label: "100" to "599", otherwise kOtherLabelValue.
std::string CodeLabel(int code);

// A pipeline name as a label: kept when it is 1 to 253 characters of A-Za-z0-9 . _ - (Feldera's
// names, Kubernetes' label values and the service's own "_unknown" all are), otherwise
// kInvalidPipelineLabelValue. Which names reach a label at all is the caller's choice: only the
// pipelines it serves, so that the set stays bounded.
std::string PipelineLabel(std::string_view name);

// The `pipeline` label of the Feldera pipeline with id `pipeline_id` (a UUID, either case): the
// value Feldera's own metrics carry in their `pipeline` label, the pipeline's system-generated
// name `pipeline-<uuid>` in lower case (Feldera's crates/adapters/src/server.rs labels its metrics
// with `pipeline_config.name`, which crates/pipeline-manager/src/db/types/program.rs sets to
// `pipeline-{pipeline_id}`). Empty for an empty id or one that is no UUID: the id is unknown.
std::string FelderaPipelineLabel(std::string_view pipeline_id);

}  // namespace sidecar
