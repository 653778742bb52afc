#include "sim/pipeline_json.h"

#include <gtest/gtest.h>

#include "sim/fixed_time.h"

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;

TEST(PipelineJsonTest, StateGivesStartTimesInSecondsAsStatsDoesAndInMilliseconds) {
  SimulatedPipeline pipeline({"numbers.api-ingress"},
                             StepTiming{milliseconds(20), milliseconds(200)}, At(0));
  pipeline.Restart(/*from_checkpoint=*/true, At(100));  // within the same second
  const web::json::value state = StateJson(pipeline.Snapshot());
  // At(0) is 1746728411.651 s.
  EXPECT_EQ(state.at("initial_start_time").as_number().to_int64(), 1746728411);
  EXPECT_EQ(state.at("start_time").as_number().to_int64(), 1746728411);
  EXPECT_EQ(state.at("initial_start_time_ms").as_number().to_int64(), 1746728411651);
  EXPECT_EQ(state.at("start_time_ms").as_number().to_int64(), 1746728411751);
  EXPECT_TRUE(state.at("running").as_bool());
  EXPECT_FALSE(state.at("paused").as_bool());

  pipeline.Stop();
  EXPECT_FALSE(StateJson(pipeline.Snapshot()).at("running").as_bool());
}

TEST(PipelineJsonTest, StateListsEndpointsById) {
  SimulatedPipeline pipeline({"b.api-ingress", "a.api-ingress"}, StepTiming{}, At(0));
  pipeline.Ingest(1, 2);
  const web::json::value endpoints = StateJson(pipeline.Snapshot()).at("endpoints");
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints.at(0).at("name").as_string(), "b.api-ingress");
  EXPECT_EQ(endpoints.at(1).at("id").as_integer(), 1);
  EXPECT_EQ(endpoints.at(1).at("total_records").as_integer(), 2);
  EXPECT_TRUE(endpoints.at(1).at("highest_complete_count").is_null());
}

TEST(PipelineJsonTest, RequestCountsNameEveryKind) {
  const web::json::value json = RequestCountsJson({1, 2, 3, 4});
  EXPECT_EQ(json.at("completion_status").as_number().to_uint64(), 1u);
  EXPECT_EQ(json.at("stats").as_number().to_uint64(), 2u);
  EXPECT_EQ(json.at("ingress").as_number().to_uint64(), 3u);
  EXPECT_EQ(json.at("completion_token").as_number().to_uint64(), 4u);
}

}  // namespace
}  // namespace sidecar::sim
