// Every row of the completion_status table, produced by the real service against the real
// simulator, with its body and headers checked.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "integration/service_harness.h"
#include "token/base64url.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// Checks that `r` is a Feldera ErrorResponse with exactly the three fields.
void ExpectErrorResponse(const HttpResult& r, int status, const std::string& error_code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const web::json::value doc = r.Json();
  ASSERT_TRUE(doc.is_object()) << r.body;
  EXPECT_EQ(doc.size(), 3u) << r.body;
  EXPECT_TRUE(doc.has_string_field("message")) << r.body;
  EXPECT_TRUE(doc.has_object_field("details")) << r.body;
  ASSERT_TRUE(doc.has_string_field("error_code")) << r.body;
  EXPECT_EQ(doc.at("error_code").as_string(), error_code) << r.body;
}

class StatusCodes : public ::testing::Test {
 protected:
  ServiceHarness h_;
};

TEST_F(StatusCodes, InProgressIs202ThenCompleteIs200) {
  h_.Sim("/sim/pause");
  const std::string token = h_.Ingest(3);
  HttpResult r = h_.Status(token);
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Json().at("status").as_string(), "inprogress");
  EXPECT_TRUE(r.Json().has_field("step"));
  h_.Sim("/sim/resume");
  ASSERT_TRUE(WaitUntil([&] { return h_.Status(token).status == 200; }));
  r = h_.Status(token);
  EXPECT_EQ(r.Json().at("status").as_string(), "complete");
  EXPECT_TRUE(r.Json().at("step").is_integer()) << r.body;
}

TEST_F(StatusCodes, MissingTokenIs400) {
  ExpectErrorResponse(h_.Status("", ""), 400, "InvalidParam");  // present but empty
  HttpResult r = HttpGet(h_.ServiceUrl("/v0/pipelines/demo/completion_status"));
  ExpectErrorResponse(r, 400, "MissingUrlEncodedParam");
  EXPECT_EQ(r.Json().at("details").at("param").as_string(), "token");
}

TEST_F(StatusCodes, InvalidTokensAre400) {
  const std::string u = h_.SimIncarnation();
  for (const std::string& bad :
       {std::string("not-base64!"), std::string("%25%00%ff"), std::string(5 * 1024, 'A'),
        Base64UrlEncode(R"({"u":")" + u + R"(","e":0,"c":-1})"),
        Base64UrlEncode(R"({"u":")" + u + R"(","e":0,"c":18446744073709551616})"),
        Base64UrlEncode(R"({"u":")" + u + R"(","e":0})"),
        Base64UrlEncode(R"({"u":"nope","e":0,"c":1})"), Base64UrlEncode("[]")}) {
    HttpResult r = h_.Status(bad);
    ExpectErrorResponse(r, 400, "InvalidParam");
    EXPECT_NE(r.Json().at("message").as_string().find("invalid completion token"),
              std::string::npos);
  }
  ExpectErrorResponse(h_.Status(h_.Ingest(), "&wait_ms=forever"), 400, "InvalidParam");
  ExpectErrorResponse(h_.Status(h_.Ingest(), "&wait_ms=30001"), 400, "InvalidParam");
}

TEST_F(StatusCodes, OversizedRequestsGetTheirOwnStatus) {
  HttpResult r = h_.Status(std::string(64 * 1024, 'A'));
  ExpectErrorResponse(r, 414, "UriTooLong");
  EXPECT_EQ(r.Json().at("details").at("limit").as_integer(), 8192);
  std::map<std::string, std::string> many;
  for (int i = 0; i < 101; ++i) many["X-Header-" + std::to_string(i)] = "v";
  ExpectErrorResponse(HttpCall("GET", h_.ServiceUrl("/healthz"), "", many), 431,
                      "RequestHeaderFieldsTooLarge");
  ExpectErrorResponse(
      HttpCall("GET", h_.ServiceUrl("/healthz"), "", {{"X-Big", std::string(40 * 1024, 'b')}}), 431,
      "RequestHeaderFieldsTooLarge");
  // The service keeps answering.
  EXPECT_EQ(HttpGet(h_.ServiceUrl("/healthz")).status, 200);
}

TEST_F(StatusCodes, UnknownPipelineIs404WithFelderasExactBody) {
  HttpResult r = HttpGet(h_.ServiceUrl("/v0/pipelines/x/completion_status?token=" + h_.Ingest()));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(
      r.body,
      R"({"message":"Unknown pipeline name 'x'","error_code":"UnknownPipelineName","details":{"pipeline_name":"x"}})");
  EXPECT_EQ(r.Header("content-type"), "application/json");
}

TEST_F(StatusCodes, UnknownPathsAre404AndWrongMethods405) {
  ExpectErrorResponse(HttpGet(h_.ServiceUrl("/v0/nothing")), 404, "NotFound");
  ExpectErrorResponse(HttpCall("DELETE", h_.ServiceUrl("/v0/pipelines/demo/completion_status")),
                      405, "MethodNotAllowed");
  ExpectErrorResponse(HttpPost(h_.ServiceUrl("/healthz")), 405, "MethodNotAllowed");
}

TEST_F(StatusCodes, TokenOfAnEndedIncarnationIs410) {
  const std::string before = h_.SimIncarnation();
  const std::string token = h_.Ingest();
  h_.Sim("/sim/restart");
  // The probe (or the pipeline's own answer) tells of the restart; the probe names the new one.
  HttpResult r;
  ASSERT_TRUE(WaitUntil([&] {
    r = h_.Status(token);
    return r.status == 410 && r.Json().at("details").at("current_incarnation").is_string();
  }));
  ExpectErrorResponse(r, 410, "PipelineRestarted");
  const web::json::value d = r.Json().at("details");
  EXPECT_EQ(d.at("token_incarnation").as_string(), before);
  EXPECT_EQ(d.at("current_incarnation").as_string(), h_.SimIncarnation());
  EXPECT_EQ(d.at("reason").as_string(), "Restarted");
  EXPECT_TRUE(d.at("ended_at").is_string());
}

// Feldera answers any incarnation mismatch with 410. A token naming an incarnation this pipeline
// never ran (another pipeline's, one from the future, a UUID that is no UUIDv7) is gone once a
// fresh probe shows the pipeline runs another one — never 503 for ever.
TEST_F(StatusCodes, ForeignIncarnationIs410OnceProbed) {
  const std::string current = h_.SimIncarnation();
  const auto later = std::chrono::system_clock::now() + std::chrono::hours(24);
  for (const Uuid& foreign :
       {Uuid::NewV7(later), *Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")}) {
    const HttpResult r = h_.Status(EncodeCompletionToken({foreign, 0, 1}));
    ExpectErrorResponse(r, 410, "PipelineRestarted");
    EXPECT_EQ(r.Json().at("details").at("token_incarnation").as_string(), foreign.ToString());
    EXPECT_EQ(r.Json().at("details").at("current_incarnation").as_string(), current);
  }
}

// Many foreign tokens at once share the probes: at most one per tracker interval (50 ms), plus
// the periodic one, however many clients ask.
TEST_F(StatusCodes, ForeignTokensDoNotStormThePipelineWithProbes) {
  constexpr int kClients = 64;
  const int probes_before = h_.SimRequests("stats");
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::future<HttpResult>> answers;
  for (int i = 0; i < kClients; ++i) {
    const Uuid foreign = Uuid::NewV7(std::chrono::system_clock::now() + std::chrono::hours(1 + i));
    answers.push_back(std::async(std::launch::async, [&, foreign] {
      return h_.Status(EncodeCompletionToken({foreign, 0, 1}));
    }));
  }
  for (auto& answer : answers) EXPECT_EQ(answer.get().status, 410);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const int probes = h_.SimRequests("stats") - probes_before;
  const int intervals = static_cast<int>(elapsed / 50ms) + 1;
  const int periodic = static_cast<int>(elapsed / 200ms) + 1;
  EXPECT_LE(probes, intervals + periodic) << "over " << intervals << " intervals";
  EXPECT_LT(probes, kClients);
}

// Feldera's API server reads a table name in a completion_token path as a SQL identifier:
// unquoted, it is case-insensitive; quoted, it keeps its case.
TEST_F(StatusCodes, CompletionTokenTableNamesAreSqlIdentifiers) {
  for (const std::string table : {"numbers", "NUMBERS", "Numbers", "%22numbers%22"}) {
    const HttpResult r = HttpGet(h_.ServiceUrl("/v0/pipelines/demo/tables/" + table +
                                               "/connectors/api-ingress/completion_token"));
    EXPECT_EQ(r.status, 200) << table << ": " << r.body;
    EXPECT_TRUE(r.Json().has_string_field("token")) << table;
  }
  const HttpResult quoted =
      HttpGet(h_.ServiceUrl("/v0/pipelines/demo/tables/%22NUMBERS%22/connectors/api-ingress/"
                            "completion_token"));
  EXPECT_EQ(quoted.status, 404) << quoted.body;  // "NUMBERS" is another table
}

TEST_F(StatusCodes, RemovedEndpointIs410FromThePipeline) {
  auto token = DecodeCompletionToken(h_.Ingest()).value();
  token.endpoint = 99;
  HttpResult r = h_.Status(EncodeCompletionToken(token));
  ExpectErrorResponse(r, 410, "UnknownEndpointInCompletionToken");
  EXPECT_EQ(r.Json().at("details").at("endpoint_id").as_integer(), 99);
}

TEST_F(StatusCodes, PipelineFaultIs500PassedThrough) {
  const std::string token = h_.Ingest();
  // Every completion_status, not just the next: the tracker's probe of the ingested token may
  // come first.
  h_.Sim("/sim/fault?status=500&path=completion_status");
  HttpResult r = h_.Status(token);
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.Json().size(), 3u) << r.body;
  EXPECT_TRUE(r.Json().has_string_field("error_code")) << r.body;
}

TEST_F(StatusCodes, UnreachablePipelineIs503WithRetryAfter) {
  h_.Sim("/sim/pause");
  const std::string token = h_.Ingest();
  h_.Sim("/sim/down?ms=60000");
  ASSERT_TRUE(WaitUntil([&] { return h_.Status(token).status == 503; }));
  HttpResult r = h_.Status(token);
  ExpectErrorResponse(r, 503, "PipelineInteractionUnreachable");
  EXPECT_FALSE(r.Header("retry-after").empty());
}

TEST(StatusCodesSlowPipeline, StalledPipelineIs503) {
  HarnessOptions options;
  options.upstream_timeout_ms = 300;
  ServiceHarness h(options);
  h.Sim("/sim/pause");
  const std::string token = h.Ingest();
  h.Sim("/sim/stall?ms=3000");
  HttpResult r = h.Status(token);
  ExpectErrorResponse(r, 503, "PipelineInteractionUnreachable");
  EXPECT_FALSE(r.Header("retry-after").empty());
}

TEST_F(StatusCodes, ServiceEndpoints) {
  EXPECT_EQ(HttpGet(h_.ServiceUrl("/healthz")).status, 200);
  EXPECT_EQ(HttpGet(h_.ServiceUrl("/readyz")).status, 200);
  h_.Status(h_.Ingest());
  HttpResult metrics = HttpGet(h_.ServiceUrl("/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("feldera_completion_status_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("pipeline_name=\"demo\""), std::string::npos);

  HttpResult config = HttpGet(h_.ServiceUrl("/v0/config"));
  ASSERT_EQ(config.status, 200);
  const web::json::value c = config.Json();
  // The whole object is checked against Feldera's schema in tests/schema; here the fields
  // Feldera's 2026 releases added, and the one they replaced.
  for (const char* field : {"posthog", "conceptualhq", "product_fruits", "build_source", "edition",
                            "version", "revision", "runtime_revision", "changelog_url"}) {
    EXPECT_TRUE(c.has_string_field(field)) << field;
  }
  EXPECT_FALSE(c.has_field("telemetry"));
  EXPECT_EQ(c.at("edition").as_string(), "Open source");
  ASSERT_TRUE(c.has_object_field("build_info"));
  EXPECT_EQ(c.at("build_info").size(), 9u);

  HttpResult list = HttpGet(h_.ServiceUrl("/v0/pipelines"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().at(0).at("name").as_string(), "demo");
  EXPECT_EQ(list.Json().at(0).at("state").as_string(), "running");
}

TEST_F(StatusCodes, UnknownPipelinesShareOneMetricLabel) {
  for (int i = 0; i < 20; ++i) {
    HttpGet(h_.ServiceUrl("/v0/pipelines/scan" + std::to_string(i) + "/completion_status?token=x"));
  }
  HttpResult metrics = HttpGet(h_.ServiceUrl("/metrics"));
  EXPECT_EQ(metrics.body.find("scan1"), std::string::npos);
  EXPECT_NE(metrics.body.find("pipeline=\"\",pipeline_name=\"_unknown\""), std::string::npos);
}

}  // namespace
}  // namespace sidecar::testing
