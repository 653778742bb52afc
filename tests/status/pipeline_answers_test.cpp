#include "status/pipeline_answers.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

TEST(ParseStats, ReadsIncarnationAndCheckpointResume) {
  auto s =
      ParseStats(R"({"global_metrics":{"incarnation_uuid":"0196b120-6203-7b90-b6bd-16890df15e28",
    "start_time":"2025-05-08T18:20:11.651Z","initial_start_time":"2025-05-08T17:00:00Z",
    "total_completed_steps":42,"state":"Running"},"inputs":[]})");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->incarnation.ToString(), "0196b120-6203-7b90-b6bd-16890df15e28");
  EXPECT_TRUE(s->resumed_from_checkpoint);
  EXPECT_EQ(s->total_completed_steps, 42u);

  auto fresh =
      ParseStats(R"({"global_metrics":{"incarnation_uuid":"0196b120-6203-7b90-b6bd-16890df15e28",
    "start_time":"2025-05-08T18:20:11.651234Z","initial_start_time":"2025-05-08T18:20:11.651234Z"}})");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->resumed_from_checkpoint);
  EXPECT_FALSE(fresh->total_completed_steps);
}

// What Feldera sends (GlobalControllerMetrics in its openapi.json): times in whole Unix seconds.
TEST(ParseStats, ReadsTimesInUnixSeconds) {
  auto resumed =
      ParseStats(R"({"global_metrics":{"incarnation_uuid":"0196b120-6203-7b90-b6bd-16890df15e28",
    "start_time":1746728411,"initial_start_time":1746723600,"total_completed_steps":7}})");
  ASSERT_TRUE(resumed.ok()) << resumed.error();
  EXPECT_TRUE(resumed->resumed_from_checkpoint);
  EXPECT_EQ(resumed->start_time, "2025-05-08T18:20:11.000Z");
  EXPECT_EQ(resumed->initial_start_time, "2025-05-08T17:00:00.000Z");

  auto fresh =
      ParseStats(R"({"global_metrics":{"incarnation_uuid":"0196b120-6203-7b90-b6bd-16890df15e28",
    "start_time":1746728411,"initial_start_time":1746728411}})");
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  EXPECT_FALSE(fresh->resumed_from_checkpoint);
  EXPECT_EQ(fresh->start_time, "2025-05-08T18:20:11.000Z");
}

TEST(ParseStats, TimesOfTheWrongTypeReadAsAbsent) {
  auto s =
      ParseStats(R"({"global_metrics":{"incarnation_uuid":"0196b120-6203-7b90-b6bd-16890df15e28",
    "start_time":-5,"initial_start_time":true}})");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->start_time, "");
  EXPECT_EQ(s->initial_start_time, "");
  EXPECT_FALSE(s->resumed_from_checkpoint);
}

TEST(ParseStats, RejectsWhatIsNotStats) {
  EXPECT_FALSE(ParseStats("<html>").ok());
  EXPECT_FALSE(ParseStats("{}").ok());
  EXPECT_FALSE(ParseStats(R"({"global_metrics":{"incarnation_uuid":7}})").ok());
  EXPECT_FALSE(ParseStats(R"({"global_metrics":{"incarnation_uuid":"x"}})").ok());
}

TEST(ParseCompletionStatusAnswer, StatusBodies) {
  auto done = ParseCompletionStatusAnswer(200, R"({"status":"complete","step":3})", "p", 1);
  EXPECT_EQ(done.kind, UpstreamOutcome::Kind::kComplete);
  EXPECT_EQ(done.step, 3u);
  auto running = ParseCompletionStatusAnswer(200, R"({"status":"inprogress","step":null})", "p", 1);
  EXPECT_EQ(running.kind, UpstreamOutcome::Kind::kInProgress);
  EXPECT_FALSE(running.step);
  // Through Feldera's API server the in-progress answer is a 202.
  EXPECT_EQ(ParseCompletionStatusAnswer(202, R"({"status":"inprogress","step":2})", "p", 1).kind,
            UpstreamOutcome::Kind::kInProgress);
}

TEST(ParseCompletionStatusAnswer, ErrorResponsesPassThrough) {
  auto gone = ParseCompletionStatusAnswer(
      410,
      R"({"message":"gone","error_code":"UnknownEndpointInCompletionToken","details":{"endpoint_id":9}})",
      "p", 1);
  ASSERT_EQ(gone.kind, UpstreamOutcome::Kind::kError);
  EXPECT_EQ(gone.error.http_status, 410);
  EXPECT_EQ(gone.error.error_code, "UnknownEndpointInCompletionToken");
  EXPECT_EQ(gone.error.details.at("endpoint_id").as_integer(), 9);
}

TEST(ParseCompletionStatusAnswer, GarbageBecomesUnreachable) {
  for (auto [status, body] : {std::pair{200, "not json"}, std::pair{200, R"({"status":"weird"})"},
                              std::pair{500, "<html>oops</html>"}, std::pair{404, ""}}) {
    auto o = ParseCompletionStatusAnswer(status, body, "p", 2);
    ASSERT_EQ(o.kind, UpstreamOutcome::Kind::kError) << body;
    EXPECT_EQ(o.error.http_status, 503);
    EXPECT_EQ(o.error.retry_after_seconds, 2);
  }
}

}  // namespace
}  // namespace sidecar
