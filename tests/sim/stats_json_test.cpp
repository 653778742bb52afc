#include "sim/stats_json.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/fixed_time.h"

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;
using web::json::value;

// The names of an object's fields.
std::set<std::string> Fields(const value& object) {
  std::set<std::string> names;
  for (const auto& [name, field] : object.as_object()) names.insert(name);
  return names;
}

class StatsJsonTest : public ::testing::Test {
 protected:
  SimulatedPipeline pipeline_{{"b.api-ingress", "a.api-ingress", "a.kafka"},
                              StepTiming{milliseconds(20), milliseconds(200)},
                              At(0)};
};

TEST(UnixSecondsTest, RoundsDownAsTsSecondsDoes) {
  EXPECT_EQ(UnixSeconds(SimTime(milliseconds(0x0196b1206203))), 1746728411);  // ...11.651
  EXPECT_EQ(UnixSeconds(SimTime(milliseconds(1000))), 1);
  EXPECT_EQ(UnixSeconds(SimTime(milliseconds(999))), 0);
}

// The required fields of Feldera's openapi.json (ControllerStatus, GlobalControllerMetrics,
// InputEndpointStatus, InputEndpointMetrics, TransactionInitiators, ShortEndpointConfig), and the
// nullable ones Feldera sends as null.
TEST_F(StatsJsonTest, CarriesEveryFieldFelderasSchemaRequires) {
  const value stats = StatsJson(pipeline_.Snapshot(), At(0));
  EXPECT_EQ(Fields(stats),
            (std::set<std::string>{"global_metrics", "inputs", "outputs", "suspend_error",
                                   "checkpoint_activity", "permanent_checkpoint_errors"}));
  const std::set<std::string> required_global = {"state",
                                                 "bootstrap_in_progress",
                                                 "transaction_status",
                                                 "transaction_id",
                                                 "transaction_initiators",
                                                 "concurrent_bootstrap_phase",
                                                 "rss_bytes",
                                                 "memory_pressure",
                                                 "memory_pressure_epoch",
                                                 "cpu_msecs",
                                                 "uptime_msecs",
                                                 "start_time",
                                                 "incarnation_uuid",
                                                 "initial_start_time",
                                                 "storage_bytes",
                                                 "storage_mb_secs",
                                                 "runtime_elapsed_msecs",
                                                 "buffered_input_records",
                                                 "buffered_input_bytes",
                                                 "total_input_records",
                                                 "total_input_bytes",
                                                 "total_processed_records",
                                                 "total_processed_bytes",
                                                 "total_completed_records",
                                                 "output_stall_msecs",
                                                 "total_initiated_steps",
                                                 "total_completed_steps",
                                                 "pipeline_complete"};
  const std::set<std::string> global = Fields(stats.at("global_metrics"));
  for (const std::string& field : required_global) EXPECT_EQ(global.count(field), 1u) << field;
  for (const char* null_field : {"transaction_msecs", "transaction_records", "commit_progress",
                                 "concurrent_bootstrap_progress"}) {
    EXPECT_TRUE(stats.at("global_metrics").at(null_field).is_null()) << null_field;
  }
  EXPECT_EQ(
      Fields(stats.at("global_metrics").at("transaction_initiators")),
      (std::set<std::string>{"transaction_id", "initiated_by_api", "initiated_by_connectors"}));

  const value& input = stats.at("inputs").at(0);
  for (const char* field : {"endpoint_name", "config", "metrics", "paused", "barrier"}) {
    EXPECT_TRUE(input.has_field(field)) << field;
  }
  EXPECT_EQ(
      Fields(input.at("metrics")),
      (std::set<std::string>{"total_bytes", "total_records", "buffered_records", "buffered_bytes",
                             "num_transport_errors", "num_parse_errors", "end_of_input"}));
  EXPECT_EQ(input.at("config").at("stream").as_string(), "a");
}

TEST_F(StatsJsonTest, EnumsTakeFelderasValues) {
  const value global = StatsJson(pipeline_.Snapshot(), At(0)).at("global_metrics");
  EXPECT_EQ(global.at("state").as_string(), "Running");
  EXPECT_EQ(global.at("transaction_status").as_string(), "NoTransaction");
  EXPECT_EQ(global.at("concurrent_bootstrap_phase").as_string(), "Inactive");
  EXPECT_EQ(global.at("memory_pressure").as_string(), "low");
  EXPECT_FALSE(global.at("pipeline_complete").as_bool());
}

TEST_F(StatsJsonTest, StartTimesAreUnixSecondsAndResumeWithinTheSecondReadsAsNone) {
  pipeline_.Restart(/*from_checkpoint=*/true, At(300));  // 11.951: same second as 11.651
  value global = StatsJson(pipeline_.Snapshot(), At(300)).at("global_metrics");
  ASSERT_TRUE(global.at("start_time").is_integer());
  EXPECT_EQ(global.at("start_time").as_number().to_int64(), 1746728411);
  EXPECT_EQ(global.at("initial_start_time"), global.at("start_time"));

  pipeline_.Restart(/*from_checkpoint=*/true, At(400));  // 12.051: the next second
  global = StatsJson(pipeline_.Snapshot(), At(400)).at("global_metrics");
  EXPECT_EQ(global.at("start_time").as_number().to_int64(), 1746728412);
  EXPECT_EQ(global.at("initial_start_time").as_number().to_int64(), 1746728411);
}

TEST_F(StatsJsonTest, CountsRecordsAndBytesThroughTheSteps) {
  pipeline_.Ingest(0, 2, 20);
  pipeline_.Tick(At(0));      // step 1 takes them in
  pipeline_.Ingest(1, 3, 7);  // buffered
  value global = StatsJson(pipeline_.Snapshot(), At(0)).at("global_metrics");
  EXPECT_EQ(global.at("total_input_records").as_integer(), 5);
  EXPECT_EQ(global.at("total_input_bytes").as_integer(), 27);
  EXPECT_EQ(global.at("total_processed_records").as_integer(), 2);
  EXPECT_EQ(global.at("total_processed_bytes").as_integer(), 20);
  EXPECT_EQ(global.at("buffered_input_records").as_integer(), 3);
  EXPECT_EQ(global.at("buffered_input_bytes").as_integer(), 7);
  EXPECT_EQ(global.at("total_completed_records").as_integer(), 0);

  pipeline_.Tick(At(200));  // step 1 completes
  global = StatsJson(pipeline_.Snapshot(), At(200)).at("global_metrics");
  EXPECT_EQ(global.at("total_completed_records").as_integer(), 2);
  EXPECT_EQ(global.at("uptime_msecs").as_integer(), 200);
}

TEST_F(StatsJsonTest, SortsInputsByNameWithTheirOwnCounts) {
  pipeline_.Ingest(0, 3, 30);
  const value inputs = StatsJson(pipeline_.Snapshot(), At(0)).at("inputs");
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_EQ(inputs.at(0).at("endpoint_name").as_string(), "a.api-ingress");
  EXPECT_EQ(inputs.at(1).at("endpoint_name").as_string(), "a.kafka");
  EXPECT_EQ(inputs.at(2).at("endpoint_name").as_string(), "b.api-ingress");
  EXPECT_EQ(inputs.at(2).at("metrics").at("total_records").as_integer(), 3);
  EXPECT_EQ(inputs.at(2).at("metrics").at("buffered_bytes").as_integer(), 30);
  EXPECT_EQ(inputs.at(2).at("config").at("stream").as_string(), "b");
}

}  // namespace
}  // namespace sidecar::sim
