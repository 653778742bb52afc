#include "sim/fault_answer.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

using web::json::value;

constexpr PipelineRequestKind kAllKinds[] = {
    PipelineRequestKind::kCompletionStatus, PipelineRequestKind::kStats,
    PipelineRequestKind::kIngress, PipelineRequestKind::kCompletionToken};

TEST(FaultAnswerTest, ErrorIsAnErrorResponseWithTheStatus) {
  const ApiResponse answer =
      FaultAnswer(Fault{FaultKind::kError, 503}, PipelineRequestKind::kCompletionStatus);
  EXPECT_EQ(answer.status, 503);
  EXPECT_FALSE(answer.raw_body.has_value());
  EXPECT_FALSE(answer.reset_connection);
  EXPECT_EQ(answer.body.size(), 3u);
  EXPECT_EQ(answer.body.at("error_code").as_string(), "PipelineUnavailable");
}

TEST(FaultAnswerTest, NonJsonIsABodyNoJsonParserAccepts) {
  for (PipelineRequestKind kind : kAllKinds) {
    const ApiResponse answer = FaultAnswer(Fault{FaultKind::kNonJson, 500}, kind);
    EXPECT_EQ(answer.status, 500);
    ASSERT_TRUE(answer.raw_body.has_value());
    std::error_code error;
    value::parse(*answer.raw_body, error);
    EXPECT_TRUE(error) << *answer.raw_body;
  }
}

TEST(FaultAnswerTest, WrongShapeIsJsonWithoutTheAnswersFields) {
  const ApiResponse status =
      FaultAnswer(Fault{FaultKind::kWrongShape, 200}, PipelineRequestKind::kCompletionStatus);
  EXPECT_EQ(status.status, 200);
  EXPECT_FALSE(status.raw_body.has_value());
  // Neither of Feldera's two status words, and no integer step.
  const std::string word = status.body.at("status").as_string();
  EXPECT_NE(word, "complete");
  EXPECT_NE(word, "inprogress");
  EXPECT_FALSE(status.body.at("step").is_integer());

  const ApiResponse stats =
      FaultAnswer(Fault{FaultKind::kWrongShape, 200}, PipelineRequestKind::kStats);
  EXPECT_FALSE(stats.body.at("global_metrics").at("incarnation_uuid").is_string());
  EXPECT_FALSE(stats.body.at("inputs").is_array());

  for (PipelineRequestKind kind :
       {PipelineRequestKind::kIngress, PipelineRequestKind::kCompletionToken}) {
    EXPECT_FALSE(
        FaultAnswer(Fault{FaultKind::kWrongShape, 200}, kind).body.at("token").is_string());
  }
}

TEST(FaultAnswerTest, ResetAnswersNothing) {
  for (PipelineRequestKind kind : kAllKinds)
    EXPECT_TRUE(FaultAnswer(Fault{FaultKind::kReset, 0}, kind).reset_connection);
}

}  // namespace
}  // namespace sidecar::sim
