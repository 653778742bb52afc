#include "status/decision.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

using namespace std::chrono_literals;

Uuid V7At(int64_t millis) {
  return Uuid::NewV7(WallClock::time_point(std::chrono::milliseconds(millis)));
}

Incarnation Running(const Uuid& uuid) {
  Incarnation i;
  i.uuid = uuid;
  i.first_seen = WallClock::now();
  return i;
}

IncarnationEnd EndedBy(const std::string& reason) {
  return IncarnationEnd{WallClock::now(), reason, 137, "2026-01-01T00:00:00Z", ""};
}

// A pipeline that ran `old_` and now runs `current_`.
class DecideStatusTest : public testing::Test {
 protected:
  DecideStatusTest() {
    history_.Begin(Running(old_), EndedBy("unused"));
    history_.Begin(Running(current_), EndedBy("OOMKilled"));
    view_.name = "p";
    view_.history = &history_;
    view_.reachable = true;
  }

  Uuid old_ = V7At(1'000'000);
  Uuid current_ = V7At(2'000'000);
  IncarnationHistory history_;
  PipelineView view_;
};

TEST_F(DecideStatusTest, CurrentIncarnationAsksUpstream) {
  EXPECT_EQ(DecideStatus({current_, 1, 10}, view_).kind, Decision::Kind::kAskUpstream);
}

TEST_F(DecideStatusTest, FrontierAnswersFromMemoryEvenWhenDown) {
  Frontier f;
  f.RecordComplete(10, 4);
  view_.frontier = &f;
  view_.reachable = false;
  Decision d = DecideStatus({current_, 1, 7}, view_);
  EXPECT_EQ(d.kind, Decision::Kind::kComplete);
  EXPECT_EQ(d.step, 4u);
  // Above the frontier, with the pipeline down: 503 with Retry-After.
  d = DecideStatus({current_, 1, 11}, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 503);
  EXPECT_EQ(d.error.error_code, "PipelineInteractionUnreachable");
  EXPECT_TRUE(d.error.retry_after_seconds);
}

TEST_F(DecideStatusTest, EndedIncarnationIsGoneWithItsEnd) {
  Decision d = DecideStatus({old_, 1, 10}, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 410);
  EXPECT_EQ(d.error.error_code, "PipelineRestarted");
  EXPECT_EQ(d.error.details.at("reason").as_string(), "OOMKilled");
  EXPECT_EQ(d.error.details.at("exit_code").as_integer(), 137);
  EXPECT_EQ(d.error.details.at("current_incarnation").as_string(), current_.ToString());
  EXPECT_EQ(d.error.details.at("token_incarnation").as_string(), old_.ToString());
}

TEST_F(DecideStatusTest, GoneEvenWhileThePipelineIsDown) {
  view_.reachable = false;
  history_.EndCurrent(EndedBy("Evicted"));
  Decision d = DecideStatus({current_, 1, 10}, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 410);
  EXPECT_EQ(d.error.details.at("reason").as_string(), "Evicted");
  EXPECT_TRUE(d.error.details.at("current_incarnation").is_null());
}

TEST_F(DecideStatusTest, UnseenOlderIncarnationIsGone) {
  Decision d = DecideStatus({V7At(1'500'000), 1, 10}, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 410);
}

// Feldera answers any incarnation mismatch with 410; the service first makes sure its view is
// fresh, since the token may come from a process it has not seen yet.
TEST_F(DecideStatusTest, UnseenNewerIncarnationReprobesThenIsGone) {
  CompletionToken newer{V7At(3'000'000), 1, 10};
  EXPECT_EQ(DecideStatus(newer, view_).kind, Decision::Kind::kReprobe);
  view_.reprobed = true;
  Decision d = DecideStatus(newer, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 410);
  EXPECT_EQ(d.error.error_code, "PipelineRestarted");
  EXPECT_EQ(d.error.details.at("token_incarnation").as_string(), newer.incarnation.ToString());
  EXPECT_EQ(d.error.details.at("current_incarnation").as_string(), current_.ToString());
  EXPECT_TRUE(d.error.details.at("reason").is_null());
}

TEST_F(DecideStatusTest, AnIncarnationThatIsNoUuidV7IsGoneOnceReprobed) {
  CompletionToken foreign{*Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), 1, 10};  // v1
  EXPECT_EQ(DecideStatus(foreign, view_).kind, Decision::Kind::kReprobe);
  view_.reprobed = true;
  EXPECT_EQ(DecideStatus(foreign, view_).error.http_status, 410);
}

TEST_F(DecideStatusTest, UnseenNewerIncarnationOfAnUnreachablePipelineIsUnavailable) {
  CompletionToken newer{V7At(3'000'000), 1, 10};
  view_.reprobed = true;
  view_.reachable = false;
  Decision d = DecideStatus(newer, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.http_status, 503);
  EXPECT_EQ(d.error.error_code, "PipelineInteractionUnreachable");
  EXPECT_TRUE(d.error.retry_after_seconds);
}

// Known from its history (or from Feldera's API server), with no pod: ended incarnations are
// gone, anything else is Feldera's 503 for a pipeline that exists but does not run.
TEST_F(DecideStatusTest, APipelineNothingRunsAnswersGoneOrNotDeployed) {
  history_.EndCurrent(EndedBy("Deleted"));
  view_.deployed = false;
  view_.reachable = false;
  EXPECT_EQ(DecideStatus({old_, 1, 10}, view_).error.http_status, 410);
  EXPECT_EQ(DecideStatus({current_, 1, 10}, view_).error.http_status, 410);
  EXPECT_EQ(DecideStatus({V7At(1'500'000), 1, 10}, view_).error.http_status, 410);
  for (const CompletionToken& t :
       {CompletionToken{V7At(3'000'000), 1, 10},
        CompletionToken{*Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), 1, 10}}) {
    const Decision d = DecideStatus(t, view_);
    ASSERT_EQ(d.kind, Decision::Kind::kError);
    EXPECT_EQ(d.error.http_status, 503);
    EXPECT_EQ(d.error.error_code, "PipelineInteractionNotDeployed");
    EXPECT_EQ(d.error.details.at("pipeline_name").as_string(), "p");
    EXPECT_EQ(d.error.details.at("status").as_string(), "Stopped");
    EXPECT_TRUE(d.error.retry_after_seconds);
  }
}

TEST_F(DecideStatusTest, TheUpstreams503IsPassedOnWhileUnreachable) {
  ApiError upstream;
  upstream.http_status = 503;
  upstream.error_code = "PipelineInteractionNotDeployed";
  upstream.message = "from Feldera";
  upstream.retry_after_seconds = 5;
  view_.upstream_error = upstream;
  view_.reachable = false;
  Decision d = DecideStatus({current_, 1, 10}, view_);
  ASSERT_EQ(d.kind, Decision::Kind::kError);
  EXPECT_EQ(d.error.message, "from Feldera");
  EXPECT_EQ(d.error.retry_after_seconds, 5);
}

TEST(DecideStatus, NeverSeenRunningIsNotDeployedOrUnreachable) {
  IncarnationHistory empty;
  PipelineView view;
  view.name = "p";
  view.history = &empty;
  view.reprobed = true;
  view.reachable = true;
  CompletionToken t{V7At(1000), 0, 1};
  EXPECT_EQ(DecideStatus(t, view).error.error_code, "PipelineInteractionNotDeployed");
  view.reachable = false;
  EXPECT_EQ(DecideStatus(t, view).error.error_code, "PipelineInteractionUnreachable");
}

}  // namespace
}  // namespace sidecar
