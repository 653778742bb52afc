#include "sim/control_api.h"

#include <gtest/gtest.h>

#include "sim/fixed_time.h"

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;

class ControlApiTest : public ::testing::Test {
 protected:
  ControlOutcome Call(const std::string& method, const std::string& target,
                      SimTime now = At(1000)) {
    return control_.Handle(ParseRequestTarget(method, target), now);
  }
  ApiResponse Answer(const std::string& method, const std::string& target) {
    return Call(method, target).response;
  }
  static void ExpectError(const ApiResponse& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body.serialize();
    EXPECT_EQ(response.body.size(), 3u);
    EXPECT_EQ(response.body.at("error_code").as_string(), code);
  }

  SimulatedPipeline pipeline_{
      {"numbers.api-ingress"}, StepTiming{milliseconds(20), milliseconds(200)}, At(0)};
  FaultPlan faults_;
  RequestCounters counters_;
  ControlApi control_{pipeline_, faults_, counters_};
};

TEST_F(ControlApiTest, OwnsOnlySimPaths) {
  EXPECT_TRUE(ControlApi::Owns(ParseRequestTarget("GET", "/sim/state")));
  EXPECT_TRUE(ControlApi::Owns(ParseRequestTarget("GET", "/sim")));
  EXPECT_FALSE(ControlApi::Owns(ParseRequestTarget("GET", "/stats")));
  EXPECT_FALSE(ControlApi::Owns(ParseRequestTarget("GET", "/simulate")));
}

TEST_F(ControlApiTest, RestartAnswersTheNewIncarnation) {
  const Uuid before = pipeline_.Snapshot().incarnation;
  ApiResponse response = Answer("POST", "/sim/restart");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.at("incarnation_uuid").as_string(),
            pipeline_.Snapshot().incarnation.ToString());
  EXPECT_NE(pipeline_.Snapshot().incarnation, before);
  EXPECT_FALSE(response.body.at("resumed_from_checkpoint").as_bool());
  EXPECT_EQ(pipeline_.Snapshot().initial_start_time, pipeline_.Snapshot().start_time);

  response = Call("POST", "/sim/restart?checkpoint=true", At(2000)).response;
  EXPECT_TRUE(response.body.at("resumed_from_checkpoint").as_bool());
  EXPECT_LT(pipeline_.Snapshot().initial_start_time, pipeline_.Snapshot().start_time);

  ExpectError(Answer("POST", "/sim/restart?checkpoint=1"), 400, "InvalidParam");
}

TEST_F(ControlApiTest, StopThenStartAsANewIncarnation) {
  const Uuid first = pipeline_.Snapshot().incarnation;
  ApiResponse response = Answer("POST", "/sim/stop");
  ASSERT_EQ(response.status, 200) << response.body.serialize();
  EXPECT_FALSE(response.body.at("running").as_bool());
  EXPECT_FALSE(pipeline_.running());
  EXPECT_EQ(Answer("POST", "/sim/stop").status, 200);  // stopping twice is no error

  response = Call("POST", "/sim/start?checkpoint=true", At(3000)).response;
  ASSERT_EQ(response.status, 200) << response.body.serialize();
  EXPECT_TRUE(response.body.at("running").as_bool());
  EXPECT_TRUE(response.body.at("resumed_from_checkpoint").as_bool());
  EXPECT_TRUE(pipeline_.running());
  const PipelineSnapshot snapshot = pipeline_.Snapshot();
  EXPECT_GT(snapshot.incarnation, first);
  EXPECT_EQ(response.body.at("incarnation_uuid").as_string(), snapshot.incarnation.ToString());
  EXPECT_EQ(snapshot.start_time, At(3000));
  EXPECT_EQ(snapshot.initial_start_time, At(0));

  ExpectError(Answer("POST", "/sim/start"), 409, "PipelineRunning");
  EXPECT_EQ(pipeline_.Snapshot().incarnation, snapshot.incarnation);
  Answer("POST", "/sim/stop");
  ExpectError(Answer("POST", "/sim/start?checkpoint=maybe"), 400, "InvalidParam");
  EXPECT_FALSE(pipeline_.running());
  EXPECT_EQ(Call("POST", "/sim/start", At(4000)).response.status, 200);
  EXPECT_EQ(pipeline_.Snapshot().initial_start_time, At(4000));
}

TEST_F(ControlApiTest, RestartStartsAStoppedPipelineToo) {
  Answer("POST", "/sim/stop");
  EXPECT_EQ(Answer("POST", "/sim/restart").status, 200);
  EXPECT_TRUE(pipeline_.running());
}

TEST_F(ControlApiTest, PauseAndResume) {
  EXPECT_TRUE(Answer("POST", "/sim/pause").body.at("paused").as_bool());
  EXPECT_TRUE(pipeline_.Snapshot().paused);
  EXPECT_FALSE(Answer("POST", "/sim/resume").body.at("paused").as_bool());
  EXPECT_FALSE(pipeline_.Snapshot().paused);
}

TEST_F(ControlApiTest, StallSetsTheFaultPlan) {
  EXPECT_EQ(Answer("POST", "/sim/stall?ms=250").status, 200);
  EXPECT_EQ(faults_.stall(), milliseconds(250));
  EXPECT_EQ(Answer("POST", "/sim/stall?ms=0").status, 200);
  EXPECT_EQ(faults_.stall(), milliseconds(0));
  ExpectError(Answer("POST", "/sim/stall"), 400, "MissingUrlEncodedParam");
  ExpectError(Answer("POST", "/sim/stall?ms=-5"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/stall?ms=99999999999"), 400, "InvalidParam");
}

TEST_F(ControlApiTest, FaultArmsAndClears) {
  constexpr PipelineRequestKind kStatus = PipelineRequestKind::kCompletionStatus;
  EXPECT_EQ(Answer("POST", "/sim/fault?status=503&count=1").status, 200);
  EXPECT_EQ(faults_.TakeFault(kStatus), (Fault{FaultKind::kError, 503}));
  EXPECT_EQ(faults_.TakeFault(kStatus), std::nullopt);

  const ApiResponse until_cleared = Answer("POST", "/sim/fault?status=500");
  EXPECT_EQ(until_cleared.body.at("path").as_string(), "completion_status");
  EXPECT_EQ(until_cleared.body.at("kind").as_string(), "error");
  EXPECT_TRUE(until_cleared.body.at("count").is_null());
  EXPECT_EQ(faults_.TakeFault(kStatus), (Fault{FaultKind::kError, 500}));
  EXPECT_EQ(faults_.TakeFault(kStatus), (Fault{FaultKind::kError, 500}));
  const ApiResponse cleared = Answer("POST", "/sim/fault?status=0");
  EXPECT_TRUE(cleared.body.at("kind").is_null());
  EXPECT_EQ(faults_.TakeFault(kStatus), std::nullopt);

  ExpectError(Answer("POST", "/sim/fault"), 400, "MissingUrlEncodedParam");
  ExpectError(Answer("POST", "/sim/fault?status=200"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?status=abc"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?status=500&count=x"), 400, "InvalidParam");
}

TEST_F(ControlApiTest, FaultKindsAndPaths) {
  ApiResponse response = Answer("POST", "/sim/fault?kind=non_json&path=stats&count=2");
  ASSERT_EQ(response.status, 200) << response.body.serialize();
  EXPECT_EQ(response.body.at("path").as_string(), "stats");
  EXPECT_EQ(response.body.at("kind").as_string(), "non_json");
  EXPECT_EQ(response.body.at("status").as_integer(), 200);  // garbage under a success status
  EXPECT_EQ(response.body.at("count").as_integer(), 2);
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kCompletionStatus), std::nullopt);
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kStats), (Fault{FaultKind::kNonJson, 200}));

  Answer("POST", "/sim/fault?kind=wrong_shape&status=500");
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kCompletionStatus),
            (Fault{FaultKind::kWrongShape, 500}));
  Answer("POST", "/sim/fault?status=0");

  response = Answer("POST", "/sim/fault?kind=reset&path=ingress");
  EXPECT_TRUE(response.body.at("status").is_null());
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kIngress)->kind, FaultKind::kReset);

  Answer("POST", "/sim/fault?path=ingress&status=0");
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kIngress), std::nullopt);

  ExpectError(Answer("POST", "/sim/fault?kind=reset&status=500"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?kind=explode"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?kind=non_json&status=199"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?kind=non_json&status=600"), 400, "InvalidParam");
  ExpectError(Answer("POST", "/sim/fault?status=500&path=elsewhere"), 400, "InvalidParam");
  EXPECT_EQ(faults_.TakeFault(PipelineRequestKind::kCompletionStatus), std::nullopt)
      << "a refused request arms nothing";
}

TEST_F(ControlApiTest, DownAnswersAPlanForTheServer) {
  ControlOutcome outcome = Call("POST", "/sim/down?ms=300");
  EXPECT_EQ(outcome.response.status, 200);
  ASSERT_TRUE(outcome.down.has_value());
  EXPECT_EQ(outcome.down->duration, milliseconds(300));
  EXPECT_FALSE(outcome.down->restart);

  outcome = Call("POST", "/sim/down?ms=10&restart=true&checkpoint=true");
  ASSERT_TRUE(outcome.down.has_value());
  EXPECT_TRUE(outcome.down->restart);
  EXPECT_TRUE(outcome.down->from_checkpoint);

  outcome = Call("POST", "/sim/down");
  ExpectError(outcome.response, 400, "MissingUrlEncodedParam");
  EXPECT_FALSE(outcome.down.has_value());
  EXPECT_FALSE(Call("POST", "/sim/down?ms=10&restart=maybe").down.has_value());
}

TEST_F(ControlApiTest, RequestCountsReadAndReset) {
  counters_.Count(PipelineRequestKind::kStats);
  counters_.Count(PipelineRequestKind::kCompletionStatus);
  counters_.Count(PipelineRequestKind::kCompletionStatus);
  ApiResponse response = Answer("GET", "/sim/requests");
  EXPECT_EQ(response.body.at("completion_status").as_number().to_uint64(), 2u);
  EXPECT_EQ(response.body.at("stats").as_number().to_uint64(), 1u);
  EXPECT_EQ(response.body.at("ingress").as_number().to_uint64(), 0u);
  EXPECT_EQ(response.body.at("completion_token").as_number().to_uint64(), 0u);

  response = Answer("POST", "/sim/requests/reset");
  EXPECT_EQ(response.body.at("completion_status").as_number().to_uint64(), 0u);
  EXPECT_EQ(counters_.Read()[0], 0u);
}

TEST_F(ControlApiTest, StateShowsEndpointsAndTheirHighestCompleteCount) {
  pipeline_.Ingest(0, 4);
  pipeline_.Tick(At(0));
  pipeline_.Tick(At(200));
  pipeline_.Ingest(0, 1);
  const ApiResponse response = Answer("GET", "/sim/state");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.at("incarnation_uuid").as_string(),
            pipeline_.Snapshot().incarnation.ToString());
  EXPECT_FALSE(response.body.at("paused").as_bool());
  EXPECT_TRUE(response.body.at("running").as_bool());
  EXPECT_EQ(response.body.at("total_completed_steps").as_number().to_uint64(), 1u);
  const web::json::value& endpoint = response.body.at("endpoints").at(0);
  EXPECT_EQ(endpoint.at("name").as_string(), "numbers.api-ingress");
  EXPECT_EQ(endpoint.at("total_records").as_number().to_uint64(), 5u);
  EXPECT_EQ(endpoint.at("highest_complete_count").as_number().to_uint64(), 4u);
}

TEST_F(ControlApiTest, UnknownPathsAndWrongMethods) {
  ExpectError(Answer("GET", "/sim"), 404, "NotFound");
  ExpectError(Answer("GET", "/sim/nope"), 404, "NotFound");
  ExpectError(Answer("GET", "/sim/restart"), 405, "MethodNotAllowed");
  ExpectError(Answer("POST", "/sim/state"), 405, "MethodNotAllowed");
  ExpectError(Answer("GET", "/sim/requests/reset"), 405, "MethodNotAllowed");
  ExpectError(Answer("GET", "/sim/stop"), 405, "MethodNotAllowed");
  ExpectError(Answer("GET", "/sim/start"), 405, "MethodNotAllowed");
}

}  // namespace
}  // namespace sidecar::sim
