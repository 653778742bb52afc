#include "status/pipeline_answers.h"

#include <cpprest/json.h>

#include "common/time.h"

namespace sidecar {

using web::json::value;

namespace {

// A /stats time field: integer Unix seconds, or RFC 3339 text; nullopt when absent or neither.
std::optional<WallClock::time_point> StatsTime(const value& metrics, const char* field) {
  if (!metrics.has_field(field)) return std::nullopt;
  const value& v = metrics.at(field);
  if (v.is_number() && v.as_number().is_int64() && v.as_number().to_int64() >= 0) {
    return WallClock::time_point(std::chrono::seconds(v.as_number().to_int64()));
  }
  if (v.is_string()) return ParseTime(v.as_string());
  return std::nullopt;
}

}  // namespace

Result<StatsSnapshot> ParseStats(const std::string& body) {
  using R = Result<StatsSnapshot>;
  value doc;
  try {
    doc = value::parse(body);
  } catch (const std::exception&) {
    return R::Error("/stats is not JSON");
  }
  if (!doc.is_object() || !doc.has_object_field("global_metrics")) {
    return R::Error("/stats has no global_metrics");
  }
  const value& g = doc.at("global_metrics");
  if (!g.has_string_field("incarnation_uuid")) return R::Error("/stats has no incarnation_uuid");
  auto uuid = Uuid::Parse(g.at("incarnation_uuid").as_string());
  if (!uuid) return R::Error("/stats incarnation_uuid is not a UUID");

  StatsSnapshot s{*uuid, {}, {}, false, std::nullopt};
  const auto start = StatsTime(g, "start_time");
  const auto initial = StatsTime(g, "initial_start_time");
  if (start) s.start_time = FormatTime(*start);
  if (initial) s.initial_start_time = FormatTime(*initial);
  s.resumed_from_checkpoint = start && initial && *initial < *start;
  if (g.has_number_field("total_completed_steps") &&
      g.at("total_completed_steps").as_number().is_uint64()) {
    s.total_completed_steps = g.at("total_completed_steps").as_number().to_uint64();
  }
  return R::Ok(s);
}

ProbeOutcome ParseStatsAnswer(int http_status, const std::string& body,
                              std::optional<int> retry_after) {
  if (http_status == 200) return {ParseStats(body), std::nullopt};
  ProbeOutcome outcome{
      Result<StatsSnapshot>::Error("/stats answered HTTP " + std::to_string(http_status)),
      std::nullopt};
  if (http_status != 503) return outcome;
  if (auto error = ApiError::FromUpstream(http_status, body)) {
    error->retry_after_seconds = retry_after;
    outcome.stats = Result<StatsSnapshot>::Error(outcome.stats.error() + ": " + error->message);
    outcome.upstream_error = std::move(error);
  }
  return outcome;
}

UpstreamOutcome ParseCompletionStatusAnswer(int http_status, const std::string& body,
                                            const std::string& pipeline, int retry_after_seconds,
                                            std::optional<int> upstream_retry_after) {
  if (http_status == 200 || http_status == 202) {
    try {
      const value doc = value::parse(body);
      if (doc.is_object() && doc.has_string_field("status")) {
        std::optional<uint64_t> step;
        if (doc.has_number_field("step") && doc.at("step").as_number().is_uint64()) {
          step = doc.at("step").as_number().to_uint64();
        }
        const std::string& status = doc.at("status").as_string();
        if (status == "complete") return UpstreamOutcome::Complete(step);
        if (status == "inprogress") return UpstreamOutcome::InProgress(step);
      }
    } catch (const std::exception&) {
    }
  } else if (auto error = ApiError::FromUpstream(http_status, body)) {
    error->retry_after_seconds = upstream_retry_after;
    if (http_status == 503 && !error->retry_after_seconds) {
      error->retry_after_seconds = retry_after_seconds;
    }
    return UpstreamOutcome::Error(*error);
  }
  return UpstreamOutcome::Error(ApiError::Unreachable(
      pipeline, "GET /completion_status",
      "unexpected answer to completion_status (HTTP " + std::to_string(http_status) + ")",
      retry_after_seconds));
}

std::optional<CompletionToken> ParseTokenAnswer(int http_status, const std::string& body) {
  // Feldera's tokens are under 100 bytes; an answer far larger is not a token answer.
  constexpr size_t kMaxTokenAnswerBytes = 4096;
  if (http_status != 200 || body.size() > kMaxTokenAnswerBytes) return std::nullopt;
  std::error_code error;
  const web::json::value json = web::json::value::parse(body, error);
  if (error || !json.is_object() || !json.has_string_field("token")) return std::nullopt;
  auto token = DecodeCompletionToken(json.at("token").as_string());
  if (!token.ok()) return std::nullopt;
  return token.value();
}

}  // namespace sidecar
