#include "upstream/pipeline_answers.h"

#include <cpprest/json.h>

#include "common/time.h"

namespace sidecar {

using web::json::value;

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
  if (g.has_string_field("start_time")) s.start_time = g.at("start_time").as_string();
  if (g.has_string_field("initial_start_time")) {
    s.initial_start_time = g.at("initial_start_time").as_string();
  }
  const auto start = ParseTime(s.start_time);
  const auto initial = ParseTime(s.initial_start_time);
  s.resumed_from_checkpoint = start && initial && *initial < *start;
  if (g.has_number_field("total_completed_steps") &&
      g.at("total_completed_steps").as_number().is_uint64()) {
    s.total_completed_steps = g.at("total_completed_steps").as_number().to_uint64();
  }
  return R::Ok(s);
}

UpstreamOutcome ParseCompletionStatusAnswer(int http_status, const std::string& body,
                                            const std::string& pipeline, int retry_after_seconds) {
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
    if (http_status == 503 && !error->retry_after_seconds) {
      error->retry_after_seconds = retry_after_seconds;
    }
    return UpstreamOutcome::Error(*error);
  }
  return UpstreamOutcome::Error(ApiError::Unreachable(
      pipeline, "unexpected answer to completion_status (HTTP " + std::to_string(http_status) + ")",
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
