#include "chaos/answer_rules.h"

#include <set>

namespace sidecar::testing::chaos {
namespace {

using web::json::value;

std::optional<std::string> CheckStatusBody(const value& body, const std::string& expected_status) {
  if (!body.is_object() || body.size() != 2 || !body.has_string_field("status") ||
      !body.has_field("step")) {
    return "not a CompletionStatusResponse";
  }
  if (body.at("status").as_string() != expected_status)
    return "status \"" + body.at("status").as_string() + "\" under this code";
  const value& step = body.at("step");
  if (!step.is_null() && !(step.is_number() && step.as_number().is_uint64()))
    return "step is neither null nor a non-negative integer";
  return std::nullopt;
}

std::optional<std::string> CheckErrorBody(const value& body, const std::set<std::string>& codes) {
  if (!body.is_object() || body.size() != 3 || !body.has_string_field("message") ||
      !body.has_string_field("error_code") || !body.has_object_field("details")) {
    return "not an ErrorResponse";
  }
  const std::string& code = body.at("error_code").as_string();
  if (!codes.empty() && codes.count(code) == 0)
    return "error_code " + code + " is not documented under this status";
  return std::nullopt;
}

bool IsWholeSeconds(const std::string& text) {
  return !text.empty() && text.size() < 10 &&
         text.find_first_not_of("0123456789") == std::string::npos;
}

std::optional<std::string> Explain(const std::optional<std::string>& problem,
                                   const HttpResult& answer) {
  if (!problem) return std::nullopt;
  return *problem + " (HTTP " + std::to_string(answer.status) + ", body " +
         answer.body.substr(0, 300) + ")";
}

}  // namespace

std::optional<std::string> CheckDocumentedAnswer(const HttpResult& answer) {
  if (answer.status == 0) return "no HTTP answer: " + answer.error;
  if (answer.Header("content-type") != "application/json") {
    return Explain("content-type \"" + answer.Header("content-type") + "\"", answer);
  }
  const value body = answer.Json();
  switch (answer.status) {
    case 200:
      return Explain(CheckStatusBody(body, "complete"), answer);
    case 202:
      return Explain(CheckStatusBody(body, "inprogress"), answer);
    case 400:
      return Explain(CheckErrorBody(body, {"InvalidParam", "MissingUrlEncodedParam"}), answer);
    case 404:
      return Explain(CheckErrorBody(body, {"UnknownPipelineName"}), answer);
    case 410:
      return Explain(
          CheckErrorBody(body, {"PipelineRestarted", "UnknownEndpointInCompletionToken"}), answer);
    case 500:
      return Explain(CheckErrorBody(body, {}), answer);  // the pipeline's own, or InternalError
    case 503:
      if (!IsWholeSeconds(answer.Header("retry-after")))
        return Explain("503 without a Retry-After in seconds", answer);
      return Explain(CheckErrorBody(body, {"PipelineInteractionUnreachable",
                                           "PipelineInteractionNotDeployed"}),
                     answer);
    default:
      return Explain(std::string("undocumented status"), answer);
  }
}

std::optional<std::string> CheckAnswerFitsAsk(StatusAsk ask, const HttpResult& answer) {
  auto expect = [&](int status, const std::string& code) -> std::optional<std::string> {
    const value body = answer.Json();
    if (answer.status == status && body.is_object() && body.has_string_field("error_code") &&
        body.at("error_code").as_string() == code) {
      return std::nullopt;
    }
    return "expected " + std::to_string(status) + " " + code + ", got HTTP " +
           std::to_string(answer.status) + " " + answer.body.substr(0, 300);
  };
  switch (ask) {
    case StatusAsk::kToken:
      return std::nullopt;
    case StatusAsk::kInvalidToken:
    case StatusAsk::kInvalidWait:
      return expect(400, "InvalidParam");
    case StatusAsk::kMissingToken:
      return expect(400, "MissingUrlEncodedParam");
    case StatusAsk::kUnknownPipeline:
      return expect(404, "UnknownPipelineName");
  }
  return std::nullopt;
}

std::optional<std::string> CheckCompleteIsTrue(int status, const CompletionToken& token,
                                               bool incarnation_known,
                                               std::optional<uint64_t> highest_complete) {
  if (status != 200) return std::nullopt;
  if (!incarnation_known) return "answered complete for an incarnation the simulator never ran";
  if (!highest_complete || token.count > *highest_complete) {
    return "answered complete for count " + std::to_string(token.count) + " of endpoint " +
           std::to_string(token.endpoint) + ", but the simulator's highest complete count is " +
           (highest_complete ? std::to_string(*highest_complete) : std::string("none"));
  }
  return std::nullopt;
}

std::optional<std::string> CheckNotAliveAfterEnd(int status, Clock::time_point sent_at,
                                                 std::optional<Clock::time_point> end_taken_in_at) {
  if ((status != 200 && status != 202) || !end_taken_in_at || sent_at < *end_taken_in_at)
    return std::nullopt;
  const auto late =
      std::chrono::duration_cast<std::chrono::milliseconds>(sent_at - *end_taken_in_at);
  return "answered " + std::to_string(status) + " to a request sent " +
         std::to_string(late.count()) +
         " ms after the service's own history showed the incarnation's end";
}

}  // namespace sidecar::testing::chaos
