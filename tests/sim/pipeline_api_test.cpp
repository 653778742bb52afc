#include "sim/pipeline_api.h"

#include <gtest/gtest.h>

#include "sim/fixed_time.h"
#include "token/base64url.h"

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;

class PipelineApiTest : public ::testing::Test {
 protected:
  ApiResponse Call(const std::string& method, const std::string& target,
                   const std::string& body = "") {
    Result<ApiRequest> request = ParseRequestTarget(method, target);
    EXPECT_TRUE(request.ok()) << target;
    ApiRequest parsed = std::move(request).value();
    parsed.body = body;
    return api_.Handle(parsed);
  }

  // The token of a successful answer, decoded.
  static CompletionToken TokenOf(const ApiResponse& response) {
    EXPECT_EQ(response.status, 200) << response.body.serialize();
    return DecodeCompletionToken(response.body.at("token").as_string()).value();
  }

  ApiResponse Status(const std::string& token) {
    return Call("GET", "/completion_status?token=" + token);
  }

  static void ExpectError(const ApiResponse& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body.serialize();
    ASSERT_TRUE(response.body.is_object());
    EXPECT_EQ(response.body.size(), 3u) << response.body.serialize();
    EXPECT_TRUE(response.body.at("message").is_string());
    EXPECT_EQ(response.body.at("error_code").as_string(), code);
    EXPECT_TRUE(response.body.at("details").is_object());
  }

  SimulatedPipeline pipeline_{{"numbers.api-ingress", "numbers.kafka"},
                              StepTiming{milliseconds(20), milliseconds(200)},
                              At(0)};
  FaultPlan faults_;
  PipelineApi api_{pipeline_, faults_};
};

TEST_F(PipelineApiTest, ClassifiesPipelinePathsWhateverTheMethod) {
  auto kind = [](const std::string& method, const std::string& target) {
    return PipelineApi::Classify(ParseRequestTarget(method, target).value());
  };
  EXPECT_EQ(kind("GET", "/completion_status?token=x"), PipelineRequestKind::kCompletionStatus);
  EXPECT_EQ(kind("DELETE", "/stats"), PipelineRequestKind::kStats);
  EXPECT_EQ(kind("POST", "/ingress/t"), PipelineRequestKind::kIngress);
  EXPECT_EQ(kind("GET", "/input_endpoints/t.c/completion_token"),
            PipelineRequestKind::kCompletionToken);
  EXPECT_EQ(kind("GET", "/ingress"), std::nullopt);
  EXPECT_EQ(kind("GET", "/sim/state"), std::nullopt);
}

TEST_F(PipelineApiTest, IngressCountsRecordsAndAnswersATokenForTheNewCount) {
  const CompletionToken first = TokenOf(Call("POST", "/ingress/numbers?format=json", "{}\n{}\n"));
  EXPECT_EQ(first.incarnation, pipeline_.Snapshot().incarnation);
  EXPECT_EQ(first.endpoint, 0u);
  EXPECT_EQ(first.count, 2u);
  const CompletionToken second =
      TokenOf(Call("POST", "/ingress/numbers?format=json&array=true", "[1,2,3]"));
  EXPECT_EQ(second.count, 5u);
}

TEST_F(PipelineApiTest, IngressTokenIsUnpaddedBase64Url) {
  const ApiResponse response = Call("POST", "/ingress/numbers?format=json", "{}");
  const std::string token = response.body.at("token").as_string();
  EXPECT_EQ(token.find('='), std::string::npos);
  EXPECT_EQ(token, EncodeCompletionToken(TokenOf(response)));
}

TEST_F(PipelineApiTest, IngressErrors) {
  ExpectError(Call("POST", "/ingress/nope?format=json", "{}"), 404, "UnknownInputStream");
  ExpectError(Call("POST", "/ingress/numbers", "{}"), 400, "MissingUrlEncodedParam");
  ExpectError(Call("POST", "/ingress/numbers?format=csv", "1"), 400, "InvalidParam");
  ExpectError(Call("POST", "/ingress/numbers?format=json&array=yes", "[]"), 400, "InvalidParam");
  ExpectError(Call("POST", "/ingress/numbers?format=json", "{oops"), 400, "ParseError");
  ExpectError(Call("POST", "/ingress/numbers?format=json&array=true", "{}"), 400, "ParseError");
  EXPECT_EQ(pipeline_.Snapshot().total_input_records, 0u);
}

TEST_F(PipelineApiTest, CompletionTokenNamesTableDotConnector) {
  Call("POST", "/ingress/numbers?format=json", "{}");
  const CompletionToken ingress =
      TokenOf(Call("GET", "/input_endpoints/numbers.api-ingress/completion_token"));
  EXPECT_EQ(ingress.endpoint, 0u);
  EXPECT_EQ(ingress.count, 1u);
  const CompletionToken kafka =
      TokenOf(Call("GET", "/input_endpoints/numbers%2Ekafka/completion_token"));
  EXPECT_EQ(kafka.endpoint, 1u);
  EXPECT_EQ(kafka.count, 0u);
  ExpectError(Call("GET", "/input_endpoints/numbers.nope/completion_token"), 404,
              "UnknownInputEndpoint");
}

TEST_F(PipelineApiTest, CompletionStatusFollowsThePipeline) {
  const std::string token =
      Call("POST", "/ingress/numbers?format=json", "{}").body.at("token").as_string();
  ApiResponse response = Status(token);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.at("status").as_string(), "inprogress");
  EXPECT_TRUE(response.body.at("step").is_null());

  pipeline_.Tick(At(0));
  response = Status(token);
  EXPECT_EQ(response.body.at("status").as_string(), "inprogress");
  EXPECT_EQ(response.body.at("step").as_number().to_uint64(), 1u);

  pipeline_.Tick(At(200));
  response = Status(token);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.at("status").as_string(), "complete");
  EXPECT_EQ(response.body.at("step").as_number().to_uint64(), 1u);
}

TEST_F(PipelineApiTest, CompletionStatusAcceptsPaddedTokens) {
  const std::string token =
      Call("POST", "/ingress/numbers?format=json", "{}").body.at("token").as_string();
  std::string padded = token;
  while (padded.size() % 4 != 0) padded += '=';
  ASSERT_NE(padded, token);
  EXPECT_EQ(Status(padded).status, 200);
}

TEST_F(PipelineApiTest, CompletionStatusErrors) {
  ExpectError(Call("GET", "/completion_status"), 400, "MissingUrlEncodedParam");
  EXPECT_EQ(Call("GET", "/completion_status").body.at("details").at("param").as_string(), "token");

  const ApiResponse invalid = Status("not-a-token");
  ExpectError(invalid, 400, "InvalidParam");
  EXPECT_EQ(invalid.body.at("message").as_string().rfind(
                "Invalid parameter: invalid completion token: ", 0),
            0u);
  EXPECT_TRUE(invalid.body.at("details").at("error").is_string());
  ExpectError(Status(""), 400, "InvalidParam");
  ExpectError(Status(std::string(10000, 'A')), 400, "InvalidParam");

  // Feldera's documented example token: another incarnation.
  const ApiResponse restarted =
      Status("eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30=");
  ExpectError(restarted, 410, "PipelineRestarted");
  EXPECT_NE(
      restarted.body.at("message").as_string().find(pipeline_.Snapshot().incarnation.ToString()),
      std::string::npos);

  const CompletionToken unknown_endpoint{pipeline_.Snapshot().incarnation, 9, 1};
  const ApiResponse gone = Status(EncodeCompletionToken(unknown_endpoint));
  ExpectError(gone, 410, "UnknownEndpointInCompletionToken");
  EXPECT_EQ(gone.body.at("details").at("endpoint_id").as_number().to_uint64(), 9u);
}

TEST_F(PipelineApiTest, InjectedFaultsAnswerTheNextCompletionStatusRequests) {
  const std::string token = EncodeCompletionToken(*pipeline_.MakeToken(1));
  faults_.SetFault(PipelineRequestKind::kCompletionStatus, Fault{FaultKind::kError, 500}, 2);
  ExpectError(Status(token), 500, "PipelineInternalError");
  ExpectError(Call("GET", "/completion_status"), 500, "PipelineInternalError");
  EXPECT_EQ(Status(token).status, 200);

  faults_.SetFault(PipelineRequestKind::kCompletionStatus, Fault{FaultKind::kError, 503},
                   std::nullopt);
  for (int i = 0; i < 5; ++i) ExpectError(Status(token), 503, "PipelineUnavailable");
  EXPECT_EQ(Call("GET", "/stats").status, 200);  // only completion_status is affected
  ExpectError(Call("POST", "/completion_status"), 405, "MethodNotAllowed");  // not a status request
  faults_.SetFault(PipelineRequestKind::kCompletionStatus, std::nullopt, std::nullopt);
  EXPECT_EQ(Status(token).status, 200);
}

TEST_F(PipelineApiTest, FaultsOnStatsAndIngress) {
  faults_.SetFault(PipelineRequestKind::kStats, Fault{FaultKind::kNonJson, 200}, 1);
  const ApiResponse garbage = Call("GET", "/stats");
  EXPECT_EQ(garbage.status, 200);
  EXPECT_TRUE(garbage.raw_body.has_value());
  EXPECT_TRUE(Call("GET", "/stats").body.has_object_field("global_metrics"));

  // A faulted ingress is not carried out: no records are counted.
  faults_.SetFault(PipelineRequestKind::kIngress, Fault{FaultKind::kReset, 0}, 1);
  EXPECT_TRUE(Call("POST", "/ingress/numbers?format=json", "{}").reset_connection);
  EXPECT_EQ(pipeline_.Snapshot().total_input_records, 0u);
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/numbers?format=json", "{}")).count, 1u);
}

TEST_F(PipelineApiTest, StatsReportsTheGlobalMetricsAndInputs) {
  Call("POST", "/ingress/numbers?format=json", "{}\n{}");
  pipeline_.Tick(At(0));
  const ApiResponse response = Call("GET", "/stats");
  ASSERT_EQ(response.status, 200);
  const web::json::value& global = response.body.at("global_metrics");
  EXPECT_EQ(global.at("incarnation_uuid").as_string(), pipeline_.Snapshot().incarnation.ToString());
  EXPECT_EQ(global.at("total_initiated_steps").as_number().to_uint64(), 1u);
  EXPECT_EQ(global.at("total_completed_steps").as_number().to_uint64(), 0u);
  EXPECT_EQ(global.at("total_input_records").as_number().to_uint64(), 2u);
  EXPECT_EQ(response.body.at("inputs").size(), 2u);
}

TEST_F(PipelineApiTest, UnknownPathsAndWrongMethods) {
  ExpectError(Call("GET", "/"), 404, "NotFound");
  ExpectError(Call("GET", "/v0/pipelines"), 404, "NotFound");
  ExpectError(Call("GET", "/ingress/numbers?format=json"), 405, "MethodNotAllowed");
  ExpectError(Call("POST", "/completion_status?token=x"), 405, "MethodNotAllowed");
  ExpectError(Call("PUT", "/stats"), 405, "MethodNotAllowed");
}

}  // namespace
}  // namespace sidecar::sim
