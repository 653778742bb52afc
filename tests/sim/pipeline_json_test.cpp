#include "sim/pipeline_json.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;

TEST(PipelineJsonTest, FormatsRfc3339InUtcWithMilliseconds) {
  // The time in Feldera's documented incarnation UUID 0196b120-6203-...
  EXPECT_EQ(FormatRfc3339(SimTime(milliseconds(0x0196b1206203))), "2025-05-08T18:20:11.651Z");
  EXPECT_EQ(FormatRfc3339(SimTime(milliseconds(0))), "1970-01-01T00:00:00.000Z");
}

TEST(PipelineJsonTest, StatsSortsInputsByNameAndReportsStartTimes) {
  SimulatedPipeline pipeline({"b.api-ingress", "a.api-ingress"},
                             StepTiming{milliseconds(20), milliseconds(200)},
                             SimTime(milliseconds(1000)));
  pipeline.Ingest(0, 2);
  pipeline.Restart(/*from_checkpoint=*/true, SimTime(milliseconds(5000)));
  pipeline.Ingest(0, 3);

  const web::json::value stats = StatsJson(pipeline.Snapshot());
  const web::json::value& global = stats.at("global_metrics");
  EXPECT_EQ(global.at("state").as_string(), "Running");
  EXPECT_EQ(global.at("start_time").as_string(), "1970-01-01T00:00:05.000Z");
  EXPECT_EQ(global.at("initial_start_time").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_FALSE(global.at("pipeline_complete").as_bool());
  EXPECT_EQ(global.at("total_input_records").as_number().to_uint64(), 3u);
  EXPECT_EQ(global.at("buffered_input_records").as_number().to_uint64(), 3u);

  const web::json::array& inputs = stats.at("inputs").as_array();
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs.at(0).at("endpoint_name").as_string(), "a.api-ingress");
  EXPECT_EQ(inputs.at(1).at("endpoint_name").as_string(), "b.api-ingress");
  EXPECT_EQ(inputs.at(1).at("metrics").at("total_records").as_number().to_uint64(), 3u);
  EXPECT_TRUE(stats.at("outputs").as_array().size() == 0);
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
