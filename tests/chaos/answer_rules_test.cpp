// The chaos test's invariant checks, on made-up answers: each must let the documented answers
// through and catch the ones that break it.
#include "chaos/answer_rules.h"

#include <gtest/gtest.h>

#include "chaos/completion_verifier.h"
#include "chaos/status_asks.h"

namespace sidecar::testing::chaos {
namespace {

using namespace std::chrono_literals;

HttpResult Answer(int status, const std::string& body,
                  std::map<std::string, std::string> headers = {}) {
  HttpResult r;
  r.status = status;
  r.body = body;
  headers.emplace("content-type", "application/json");
  r.headers = std::move(headers);
  return r;
}

std::string Error(const std::string& code) {
  return R"({"message":"m","error_code":")" + code + R"(","details":{}})";
}

TEST(DocumentedAnswer, AcceptsEveryRowOfTheTable) {
  for (const HttpResult& ok : {
           Answer(200, R"({"status":"complete","step":3})"),
           Answer(200, R"({"status":"complete","step":null})"),
           Answer(202, R"({"status":"inprogress","step":null})"),
           Answer(400, Error("InvalidParam")),
           Answer(400, Error("MissingUrlEncodedParam")),
           Answer(404, Error("UnknownPipelineName")),
           Answer(410, Error("PipelineRestarted")),
           Answer(410, Error("UnknownEndpointInCompletionToken")),
           Answer(500, Error("PipelineInternalError")),
           Answer(503, Error("PipelineInteractionUnreachable"), {{"retry-after", "1"}}),
           Answer(503, Error("PipelineInteractionNotDeployed"), {{"retry-after", "2"}}),
       }) {
    EXPECT_EQ(CheckDocumentedAnswer(ok), std::nullopt) << ok.status << " " << ok.body;
  }
}

TEST(DocumentedAnswer, CatchesWhatTheTableDoesNotAllow) {
  HttpResult no_answer;
  no_answer.error = "connection reset";
  HttpResult html = Answer(200, R"({"status":"complete","step":1})");
  html.headers["content-type"] = "text/html";
  for (const HttpResult& bad : {
           no_answer,
           html,
           Answer(200, R"({"status":"inprogress","step":1})"),             // word against code
           Answer(202, R"({"status":"complete","step":1})"),               // word against code
           Answer(200, R"({"status":"complete"})"),                        // no step
           Answer(200, R"({"status":"complete","step":-1})"),              // negative step
           Answer(200, R"({"status":"complete","step":1,"extra":true})"),  // extra field
           Answer(400, Error("UnknownPipelineName")),                      // code of another status
           Answer(410, R"({"message":"m","error_code":"PipelineRestarted"})"),  // no details
           Answer(503, Error("PipelineInteractionUnreachable")),                // no Retry-After
           Answer(503, Error("PipelineInteractionUnreachable"), {{"retry-after", "soon"}}),
           Answer(503, Error("SomethingElse"), {{"retry-after", "1"}}),
           Answer(502, Error("BadGateway")),
           Answer(200, "not json"),
       }) {
    EXPECT_NE(CheckDocumentedAnswer(bad), std::nullopt) << bad.status << " " << bad.body;
  }
}

TEST(AnswerFitsAsk, MalformedRequestsAndUnknownPipelinesAreRefused) {
  EXPECT_EQ(CheckAnswerFitsAsk(StatusAsk::kInvalidToken, Answer(400, Error("InvalidParam"))),
            std::nullopt);
  EXPECT_NE(CheckAnswerFitsAsk(StatusAsk::kInvalidToken,
                               Answer(503, Error("PipelineInteractionUnreachable"))),
            std::nullopt);
  EXPECT_EQ(
      CheckAnswerFitsAsk(StatusAsk::kMissingToken, Answer(400, Error("MissingUrlEncodedParam"))),
      std::nullopt);
  EXPECT_NE(CheckAnswerFitsAsk(StatusAsk::kMissingToken, Answer(400, Error("InvalidParam"))),
            std::nullopt);
  EXPECT_EQ(
      CheckAnswerFitsAsk(StatusAsk::kUnknownPipeline, Answer(404, Error("UnknownPipelineName"))),
      std::nullopt);
  EXPECT_NE(CheckAnswerFitsAsk(StatusAsk::kInvalidWait,
                               Answer(202, R"({"status":"inprogress","step":null})")),
            std::nullopt);
  EXPECT_EQ(CheckAnswerFitsAsk(StatusAsk::kToken, Answer(410, Error("PipelineRestarted"))),
            std::nullopt);
}

TEST(CompleteIsTrue, OnlyCountsTheSimulatorCompleted) {
  const CompletionToken token{Uuid::NewV7(), 0, 10};
  EXPECT_EQ(CheckCompleteIsTrue(200, token, true, 10), std::nullopt);
  EXPECT_EQ(CheckCompleteIsTrue(200, token, true, 25), std::nullopt);
  EXPECT_NE(CheckCompleteIsTrue(200, token, true, 9), std::nullopt);
  EXPECT_NE(CheckCompleteIsTrue(200, token, true, std::nullopt), std::nullopt);
  EXPECT_NE(CheckCompleteIsTrue(200, token, false, 25), std::nullopt);
  EXPECT_EQ(CheckCompleteIsTrue(202, token, true, std::nullopt), std::nullopt);
}

TEST(NotAliveAfterEnd, RequestsSentAfterTheServiceTookTheEndInGetNeither200Nor202) {
  const Clock::time_point end = Clock::now();
  EXPECT_NE(CheckNotAliveAfterEnd(200, end, end), std::nullopt);
  EXPECT_NE(CheckNotAliveAfterEnd(202, end + 5ms, end), std::nullopt);
  EXPECT_EQ(CheckNotAliveAfterEnd(410, end + 5ms, end), std::nullopt);
  EXPECT_EQ(CheckNotAliveAfterEnd(503, end + 5ms, end), std::nullopt);
  EXPECT_EQ(CheckNotAliveAfterEnd(200, end - 1ms, end), std::nullopt);  // sent before the end
  EXPECT_EQ(CheckNotAliveAfterEnd(200, end, std::nullopt), std::nullopt);
}

TEST(CompletionVerifier, SettlesWithAReadAfterTheAnswerOrTheEndCounts) {
  SimulatorTruth truth;
  Violations violations;
  CompletionVerifier verifier(truth, violations);
  const Uuid first = Uuid::NewV7();
  const Uuid second = Uuid::NewV7();
  truth.Began(first.ToString());
  const Clock::time_point answered = Clock::now();
  verifier.Add({{first, 0, 4}, "GET a", "HTTP 200", answered});
  verifier.Add({{first, 0, 9}, "GET b", "HTTP 200", answered});

  // A read that began before the answers settles nothing; one of another incarnation neither.
  verifier.Settle({first.ToString(), false, {9}}, answered - 1ms);
  truth.Began(second.ToString());
  verifier.Settle({second.ToString(), false, {}}, answered + 1ms);
  EXPECT_EQ(verifier.pending(), 2u);

  // The first incarnation's end counts settle both: 4 was complete, 9 was not.
  truth.Ended(first.ToString(), {5});
  EXPECT_EQ(verifier.SettleWithEnds(), 0u);
  EXPECT_EQ(verifier.settled(), 2u);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_NE(violations.Report().find("GET b"), std::string::npos) << violations.Report();
}

TEST(CompletionVerifier, AnIncarnationNeverRunIsAViolation) {
  SimulatorTruth truth;
  Violations violations;
  CompletionVerifier verifier(truth, violations);
  const Uuid running = Uuid::NewV7();
  truth.Began(running.ToString());
  const Clock::time_point answered = Clock::now();
  verifier.Add({{Uuid::NewV7(), 0, 1}, "GET made-up", "HTTP 200", answered});
  verifier.Add({{running, 0, 3}, "GET real", "HTTP 200", answered});
  verifier.Settle({running.ToString(), false, {3}}, answered + 1ms);
  EXPECT_EQ(verifier.pending(), 0u);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_NE(violations.Report().find("GET made-up"), std::string::npos);
}

TEST(StatusAsks, InvalidTokensNeverDecodeAndPlansAreWellFormed) {
  for (const std::string& token : InvalidTokens())
    EXPECT_FALSE(DecodeCompletionToken(token).ok()) << token;

  std::mt19937_64 random(7);
  const std::vector<CompletionToken> known = {{Uuid::NewV7(), 0, 5}};
  std::map<StatusAsk, int> asks;
  for (int i = 0; i < 2000; ++i) {
    const PlannedAsk plan = PlanStatusAsk(random, known, "demo", 2000);
    ++asks[plan.ask];
    EXPECT_EQ(plan.target.find(' '), std::string::npos) << plan.target;
    EXPECT_LE(plan.wait_ms, 2000);
    if (plan.ask == StatusAsk::kToken) {
      ASSERT_TRUE(plan.token.has_value());
    }
    if (plan.ask == StatusAsk::kUnknownPipeline) {
      EXPECT_EQ(plan.target.rfind("/v0/pipelines/demo-elsewhere/", 0), 0u) << plan.target;
    }
  }
  for (StatusAsk ask : {StatusAsk::kToken, StatusAsk::kInvalidToken, StatusAsk::kMissingToken,
                        StatusAsk::kInvalidWait, StatusAsk::kUnknownPipeline}) {
    EXPECT_GT(asks[ask], 0) << static_cast<int>(ask);
  }
}

}  // namespace
}  // namespace sidecar::testing::chaos
