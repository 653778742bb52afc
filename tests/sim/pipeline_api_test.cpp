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
    ApiRequest parsed = ParseRequestTarget(method, target);
    parsed.body = body;
    return api_.Handle(parsed, At(1500));
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

  // actix-web's answer to a path or method without a route: 404, no body, no Content-Type.
  static void ExpectNoRoute(const ApiResponse& response) {
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.raw_body, "");
    EXPECT_EQ(response.raw_content_type, "");
  }

  SimulatedPipeline pipeline_{{"numbers.api-ingress", "numbers.kafka"},
                              StepTiming{milliseconds(20), milliseconds(200)},
                              At(0)};
  FaultPlan faults_;
  PipelineApi api_{pipeline_, faults_};
};

TEST_F(PipelineApiTest, ClassifiesPipelinePathsWhateverTheMethod) {
  auto kind = [](const std::string& method, const std::string& target) {
    return PipelineApi::Classify(ParseRequestTarget(method, target));
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

TEST_F(PipelineApiTest, IngressWithoutAFormatIsCsvAsInFeldera) {
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/numbers", "1,a\n2,b\n")).count, 2u);
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/numbers?format=csv", "3,c\n")).count, 3u);
  EXPECT_EQ(pipeline_.Snapshot().total_input_bytes, 12u);
}

// crates/adapters/src/server.rs: the process looks the table up as a SQL identifier.
TEST_F(PipelineApiTest, IngressTableIsASqlIdentifier) {
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/NUMBERS?format=json", "{}")).endpoint, 0u);
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/Numbers?format=json", "{}")).endpoint, 0u);
  EXPECT_EQ(TokenOf(Call("POST", "/ingress/%22numbers%22?format=json", "{}")).endpoint, 0u);
  ExpectError(Call("POST", "/ingress/%22NUMBERS%22?format=json", "{}"), 404,
              "ConfigError.UnknownInputStream");
  EXPECT_EQ(pipeline_.Snapshot().total_input_records, 3u);
}

TEST_F(PipelineApiTest, IngressTableDeclaredInQuotesKeepsItsCase) {
  SimulatedPipeline quoted({"Orders.api-ingress"}, StepTiming{}, At(0));
  PipelineApi api(quoted, faults_);
  auto ingest = [&](const std::string& table) {
    ApiRequest request = ParseRequestTarget("POST", "/ingress/" + table + "?format=json");
    request.body = "{}";
    return api.Handle(request, At(0)).status;
  };
  EXPECT_EQ(ingest("%22Orders%22"), 200);
  EXPECT_EQ(ingest("Orders"), 404);  // unquoted: "orders"
  EXPECT_EQ(ingest("orders"), 404);
}

TEST_F(PipelineApiTest, IngressErrorsAreFelderas) {
  const ApiResponse unknown_table = Call("POST", "/ingress/Nope?format=json", "{}");
  ExpectError(unknown_table, 404, "ConfigError.UnknownInputStream");
  EXPECT_EQ(unknown_table.body.at("message").as_string(),
            "invalid controller configuration: Input endpoint 'Nope.api-ingress' specifies "
            "unknown table 'Nope'");
  EXPECT_EQ(unknown_table.body.at("details").at("config_error").at("stream_name").as_string(),
            "Nope");

  const ApiResponse unknown_format = Call("POST", "/ingress/numbers?format=xml", "<a/>");
  ExpectError(unknown_format, 400, "ConfigError.UnknownInputFormat");
  EXPECT_EQ(unknown_format.body.at("details").at("config_error").at("endpoint_name").as_string(),
            "numbers.api-ingress-xml");
  EXPECT_EQ(unknown_format.body.at("details").at("config_error").at("format_name").as_string(),
            "xml");

  const ApiResponse bad_array = Call("POST", "/ingress/numbers?format=json&array=yes", "[]");
  ExpectError(bad_array, 400, "ConfigError.ParserConfigParseError");
  EXPECT_EQ(bad_array.body.at("details").at("config_error").at("config").as_string(),
            "format=json&array=yes");

  const ApiResponse garbage = Call("POST", "/ingress/numbers?format=json", "{oops");
  ExpectError(garbage, 400, "ParseErrors");
  EXPECT_EQ(garbage.body.at("details").at("num_errors").as_integer(), 1);
  const web::json::value& error = garbage.body.at("details").at("errors").at(0);
  EXPECT_EQ(error.at("invalid_text").as_string(), "{oops");
  EXPECT_TRUE(error.at("event_number").is_null());
  EXPECT_EQ(garbage.body.at("message").as_string().rfind(
                "Errors parsing input data (1 errors):\n    Parse error: failed to parse string as "
                "a JSON document: ",
                0),
            0u);
  ExpectError(Call("POST", "/ingress/numbers?format=json&array=true", "{}"), 400, "ParseErrors");
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
  const ApiResponse unknown = Call("GET", "/input_endpoints/numbers.nope/completion_token");
  ExpectError(unknown, 404, "UnknownInputEndpoint");
  EXPECT_EQ(unknown.body.at("message").as_string(), "unknown input endpoint name 'numbers.nope'");
  // The process takes the endpoint name as it is; only the manager normalises the table.
  ExpectError(Call("GET", "/input_endpoints/NUMBERS.kafka/completion_token"), 404,
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
  const ApiResponse missing = Call("GET", "/completion_status");
  ExpectError(missing, 400, "MissingUrlEncodedParam");
  EXPECT_EQ(missing.body.at("details").at("param").as_string(), "token");
  EXPECT_EQ(missing.body.at("message").as_string(), "Missing URL-encoded parameter 'token'.");

  const ApiResponse invalid = Status("not-a-token");
  ExpectError(invalid, 400, "InvalidParam");
  const std::string message = invalid.body.at("message").as_string();
  EXPECT_EQ(message.rfind("Invalid parameter: invalid completion token: ", 0), 0u);
  EXPECT_EQ(message.back(), '.');
  // PipelineError::InvalidParam { error }: the message is "Invalid parameter: {error}."
  EXPECT_EQ(message,
            "Invalid parameter: " + invalid.body.at("details").at("error").as_string() + ".");
  ExpectError(Status(""), 400, "InvalidParam");
  ExpectError(Status(std::string(10000, 'A')), 400, "InvalidParam");

  // Feldera's documented example token: another incarnation.
  const ApiResponse restarted =
      Status("eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30=");
  ExpectError(restarted, 410, "PipelineRestarted");
  const std::string expected =
      "Completion token was created by a previous incarnation of the pipeline (incarnation uuid: "
      "0196b120-6203-7b90-b6bd-16890df15e28) and is not valid for the current incarnation (" +
      pipeline_.Snapshot().incarnation.ToString() +
      "). This indicates that the pipeline was suspended and resumed from a checkpoint or "
      "restarted after a failure.";
  EXPECT_EQ(restarted.body.at("message").as_string(), expected);
  EXPECT_EQ(restarted.body.at("details").at("error").as_string(), expected);

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
  EXPECT_EQ(Call("GET", "/stats").status, 200);       // only completion_status is affected
  ExpectNoRoute(Call("POST", "/completion_status"));  // not a status request
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
  EXPECT_EQ(global.at("uptime_msecs").as_number().to_uint64(), 1500u);  // Handle's `now`
  EXPECT_EQ(response.body.at("inputs").size(), 2u);
}

// Feldera's routes are actix-web route macros: a wrong method finds no route either.
TEST_F(PipelineApiTest, UnknownPathsAndWrongMethodsGetABare404) {
  ExpectNoRoute(Call("GET", "/"));
  ExpectNoRoute(Call("GET", "/v0/pipelines"));
  ExpectNoRoute(Call("GET", "/v0/pipelines/p/stats"));
  ExpectNoRoute(Call("GET", "/ingress/numbers?format=json"));
  ExpectNoRoute(Call("POST", "/completion_status?token=x"));
  ExpectNoRoute(Call("PUT", "/stats"));
}

}  // namespace
}  // namespace sidecar::sim
