#include "sim/simulated_pipeline.h"

#include <gtest/gtest.h>

#include "sim/fixed_time.h"

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;
using Outcome = CompletionLookup::Outcome;

constexpr uint64_t kIngress = 0;
constexpr uint64_t kKafka = 1;

class SimulatedPipelineTest : public ::testing::Test {
 protected:
  static SimulatedPipeline MakePipeline(size_t max_tokens = kFelderaMaxTokensPerEndpoint) {
    return SimulatedPipeline({"numbers.api-ingress", "numbers.kafka"},
                             StepTiming{milliseconds(20), milliseconds(200)}, At(0), max_tokens);
  }

  SimulatedPipeline pipeline_ = MakePipeline();

  CompletionToken Ingest(uint64_t records) { return *pipeline_.Ingest(kIngress, records); }
  CompletionLookup LookupCount(uint64_t count, uint64_t endpoint = kIngress) {
    return pipeline_.Lookup(CompletionToken{pipeline_.Snapshot().incarnation, endpoint, count});
  }
};

TEST_F(SimulatedPipelineTest, EndpointIdsFollowTheGivenOrder) {
  EXPECT_EQ(pipeline_.FindEndpoint("numbers.api-ingress"), kIngress);
  EXPECT_EQ(pipeline_.FindEndpoint("numbers.kafka"), kKafka);
  EXPECT_EQ(pipeline_.FindEndpoint("numbers"), std::nullopt);
}

TEST_F(SimulatedPipelineTest, TokenCarriesIncarnationEndpointAndCountAfterTheRecords) {
  const CompletionToken first = Ingest(3);
  const CompletionToken second = Ingest(2);
  EXPECT_EQ(first.incarnation, pipeline_.Snapshot().incarnation);
  EXPECT_EQ(first.endpoint, kIngress);
  EXPECT_EQ(first.count, 3u);
  EXPECT_EQ(second.count, 5u);
}

TEST_F(SimulatedPipelineTest, TokenIsLabelledAtNextStepAndCompletesAfterTheDelay) {
  const CompletionToken token = Ingest(3);
  CompletionLookup lookup = pipeline_.Lookup(token);
  EXPECT_EQ(lookup.outcome, Outcome::kInProgress);
  EXPECT_EQ(lookup.step, std::nullopt);

  pipeline_.Tick(At(0));
  lookup = pipeline_.Lookup(token);
  EXPECT_EQ(lookup.outcome, Outcome::kInProgress);
  EXPECT_EQ(lookup.step, 1u);

  pipeline_.Tick(At(199));
  EXPECT_EQ(pipeline_.Lookup(token).outcome, Outcome::kInProgress);
  pipeline_.Tick(At(200));
  lookup = pipeline_.Lookup(token);
  EXPECT_EQ(lookup.outcome, Outcome::kComplete);
  EXPECT_EQ(lookup.step, 1u);
}

TEST_F(SimulatedPipelineTest, StepsStartOnlyForNewRecordsAndAtMostOncePerInterval) {
  pipeline_.Tick(At(0));
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 0u);  // nothing to process
  Ingest(1);
  pipeline_.Tick(At(1));
  Ingest(1);
  pipeline_.Tick(At(20));
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 1u);  // interval not over yet
  pipeline_.Tick(At(21));
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 2u);
  pipeline_.Tick(At(100));
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 2u);
}

TEST_F(SimulatedPipelineTest, StepsCompleteInOrderAndCountProcessedAndCompletedRecords) {
  Ingest(3);
  pipeline_.Tick(At(0));
  Ingest(4);
  PipelineSnapshot snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.total_processed_records, 3u);  // taken in by step 1
  pipeline_.Tick(At(50));
  pipeline_.Tick(At(200));
  snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.total_completed_steps, 1u);
  EXPECT_EQ(snapshot.total_processed_records, 7u);
  EXPECT_EQ(snapshot.total_completed_records, 3u);
  pipeline_.Tick(At(250));
  snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.total_completed_steps, 2u);
  EXPECT_EQ(snapshot.total_completed_records, 7u);
  EXPECT_EQ(snapshot.total_input_records, 7u);
}

TEST_F(SimulatedPipelineTest, CountsBytesAsTheStepsTakeThemIn) {
  pipeline_.Ingest(kIngress, 2, 30);
  pipeline_.Ingest(kKafka, 1, 5);
  PipelineSnapshot snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.total_input_bytes, 35u);
  EXPECT_EQ(snapshot.total_processed_bytes, 0u);
  EXPECT_EQ(snapshot.endpoints[kIngress].total_bytes, 30u);
  pipeline_.Tick(At(0));
  snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.total_processed_bytes, 35u);
  EXPECT_EQ(snapshot.endpoints[kKafka].circuit_bytes, 5u);
  pipeline_.Restart(false, At(10));
  EXPECT_EQ(pipeline_.Snapshot().total_input_bytes, 0u);
}

TEST_F(SimulatedPipelineTest, AStoppedPipelineRunsNoStepsUntilStartedAnew) {
  const CompletionToken token = Ingest(3);
  EXPECT_TRUE(pipeline_.running());
  pipeline_.Stop();
  EXPECT_FALSE(pipeline_.running());
  EXPECT_FALSE(pipeline_.Snapshot().running);
  pipeline_.Tick(At(0));
  pipeline_.Tick(At(500));
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 0u);
  EXPECT_EQ(pipeline_.Lookup(token).outcome, Outcome::kInProgress);

  const Uuid incarnation = pipeline_.Restart(/*from_checkpoint=*/true, At(1000));
  EXPECT_TRUE(pipeline_.running());
  EXPECT_EQ(pipeline_.Lookup(token).outcome, Outcome::kPipelineRestarted);
  EXPECT_EQ(pipeline_.Snapshot().incarnation, incarnation);
  EXPECT_EQ(pipeline_.Snapshot().initial_start_time, At(0));
}

TEST_F(SimulatedPipelineTest, LookupTakesFirstQueuedTokenAtOrAboveCount) {
  Ingest(3);
  pipeline_.Tick(At(0));  // step 1 takes records 1..3
  Ingest(2);              // records 4..5 wait for the next step
  EXPECT_EQ(LookupCount(1).step, 1u);
  EXPECT_EQ(LookupCount(3).step, 1u);
  EXPECT_EQ(LookupCount(4).step, std::nullopt);
  EXPECT_EQ(LookupCount(4).outcome, Outcome::kInProgress);
  EXPECT_EQ(LookupCount(6).outcome, Outcome::kInProgress);  // beyond every token
  EXPECT_EQ(LookupCount(6).step, std::nullopt);
}

TEST_F(SimulatedPipelineTest, TokenForRecordsAlreadyInTheCircuitIsLabelledAtOnce) {
  Ingest(3);
  pipeline_.Tick(At(0));
  const CompletionToken again = *pipeline_.MakeToken(kIngress);
  EXPECT_EQ(again.count, 3u);
  EXPECT_EQ(pipeline_.Lookup(again).step, 1u);
}

TEST_F(SimulatedPipelineTest, TokenOfAnIdleEndpointIsCompleteAtOnce) {
  const CompletionToken token = *pipeline_.MakeToken(kKafka);
  EXPECT_EQ(token.count, 0u);
  const CompletionLookup lookup = pipeline_.Lookup(token);
  EXPECT_EQ(lookup.outcome, Outcome::kComplete);
  EXPECT_EQ(lookup.step, 0u);
}

TEST_F(SimulatedPipelineTest, CompletionIsMonotoneInCountAndInTime) {
  std::vector<bool> was_complete;
  int64_t now = 0;
  for (int round = 0; round < 30; ++round) {
    Ingest(1 + round % 3);
    if (round % 4 != 3) pipeline_.MakeToken(kIngress);
    now += 7 + round % 5 * 11;
    pipeline_.Tick(At(now));

    const PipelineSnapshot snapshot = pipeline_.Snapshot();
    const uint64_t total = snapshot.endpoints[kIngress].total_records;
    const std::optional<uint64_t> highest = snapshot.endpoints[kIngress].highest_complete_count;
    was_complete.resize(total + 1, false);
    bool seen_incomplete = false;
    for (uint64_t count = 1; count <= total; ++count) {
      const bool complete = LookupCount(count).outcome == Outcome::kComplete;
      EXPECT_FALSE(complete && seen_incomplete) << "count " << count << " at round " << round;
      EXPECT_FALSE(was_complete[count] && !complete) << "count " << count << " went back";
      EXPECT_EQ(complete, highest.has_value() && count <= *highest) << "count " << count;
      seen_incomplete |= !complete;
      was_complete[count] = complete;
    }
  }
  EXPECT_GT(pipeline_.Snapshot().total_completed_steps, 0u);
}

TEST_F(SimulatedPipelineTest, PauseHoldsCompletionButNotInitiationOrLabelling) {
  pipeline_.SetPaused(true);
  const CompletionToken token = Ingest(3);
  pipeline_.Tick(At(0));
  pipeline_.Tick(At(1000));
  CompletionLookup lookup = pipeline_.Lookup(token);
  EXPECT_EQ(lookup.outcome, Outcome::kInProgress);
  EXPECT_EQ(lookup.step, 1u);
  EXPECT_TRUE(pipeline_.Snapshot().paused);
  EXPECT_EQ(pipeline_.Snapshot().total_initiated_steps, 1u);
  EXPECT_EQ(pipeline_.Snapshot().total_completed_steps, 0u);

  pipeline_.SetPaused(false);
  pipeline_.Tick(At(1001));
  EXPECT_EQ(pipeline_.Lookup(token).outcome, Outcome::kComplete);
}

TEST_F(SimulatedPipelineTest, RestartStartsAFreshLaterIncarnation) {
  const CompletionToken old_token = Ingest(3);
  pipeline_.Tick(At(0));
  pipeline_.SetPaused(true);
  const Uuid old_incarnation = pipeline_.Snapshot().incarnation;

  const Uuid incarnation = pipeline_.Restart(/*from_checkpoint=*/false, At(5000));
  const PipelineSnapshot snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.incarnation, incarnation);
  EXPECT_GT(incarnation, old_incarnation);
  EXPECT_EQ(incarnation.Version(), 7);
  EXPECT_EQ(snapshot.start_time, At(5000));
  EXPECT_EQ(snapshot.initial_start_time, At(5000));
  EXPECT_FALSE(snapshot.paused);
  EXPECT_EQ(snapshot.total_initiated_steps, 0u);
  EXPECT_EQ(snapshot.total_completed_steps, 0u);
  EXPECT_EQ(snapshot.total_input_records, 0u);
  EXPECT_EQ(snapshot.endpoints[kIngress].queued_tokens, 0u);

  const CompletionLookup lookup = pipeline_.Lookup(old_token);
  EXPECT_EQ(lookup.outcome, Outcome::kPipelineRestarted);
  EXPECT_EQ(lookup.current_incarnation, incarnation);
  EXPECT_EQ(Ingest(2).count, 2u);
}

TEST_F(SimulatedPipelineTest, ResumeFromCheckpointKeepsTheInitialStartTime) {
  pipeline_.Restart(/*from_checkpoint=*/true, At(5000));
  PipelineSnapshot snapshot = pipeline_.Snapshot();
  EXPECT_EQ(snapshot.initial_start_time, At(0));
  EXPECT_EQ(snapshot.start_time, At(5000));

  pipeline_.Restart(/*from_checkpoint=*/true, At(6000));
  EXPECT_EQ(pipeline_.Snapshot().initial_start_time, At(0));
  pipeline_.Restart(/*from_checkpoint=*/false, At(7000));
  EXPECT_EQ(pipeline_.Snapshot().initial_start_time, At(7000));
}

TEST_F(SimulatedPipelineTest, RestartsWithinOneMillisecondStillOrderIncarnations) {
  const Uuid first = pipeline_.Snapshot().incarnation;
  const Uuid second = pipeline_.Restart(false, At(0));
  const Uuid third = pipeline_.Restart(true, At(0));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(*second.V7UnixMillis(), *third.V7UnixMillis());
  EXPECT_LT(pipeline_.Snapshot().initial_start_time, pipeline_.Snapshot().start_time);
}

TEST_F(SimulatedPipelineTest, UnknownEndpointIsRejected) {
  EXPECT_EQ(pipeline_.Ingest(7, 1), std::nullopt);
  EXPECT_EQ(pipeline_.MakeToken(7), std::nullopt);
  const CompletionLookup lookup = LookupCount(1, /*endpoint=*/7);
  EXPECT_EQ(lookup.outcome, Outcome::kUnknownEndpoint);
}

TEST_F(SimulatedPipelineTest, OtherIncarnationIsCheckedBeforeTheEndpoint) {
  const CompletionToken foreign{Uuid::NewV7(At(-1000)), 7, 1};
  EXPECT_EQ(pipeline_.Lookup(foreign).outcome, Outcome::kPipelineRestarted);
}

TEST_F(SimulatedPipelineTest, QueueOverflowDelaysCompletionButNeverReportsItEarly) {
  SimulatedPipeline small = MakePipeline(/*max_tokens=*/2);
  const CompletionToken kept = *small.Ingest(kIngress, 1);
  small.Ingest(kIngress, 1);
  const CompletionToken dropped = *small.Ingest(kIngress, 1);  // queue full: newest dropped
  small.Tick(At(0));
  small.Tick(At(200));
  EXPECT_EQ(small.Lookup(kept).outcome, Outcome::kComplete);
  EXPECT_EQ(small.Lookup(dropped).outcome, Outcome::kInProgress);

  small.Ingest(kIngress, 1);  // a later token covers the dropped count again
  small.Tick(At(220));
  small.Tick(At(420));
  EXPECT_EQ(small.Lookup(dropped).outcome, Outcome::kComplete);
}

TEST_F(SimulatedPipelineTest, CompletedTokensDoNotAccumulate) {
  int64_t now = 0;
  for (int i = 0; i < 100; ++i) {
    Ingest(1);
    pipeline_.Tick(At(now));
    now += 300;
    pipeline_.Tick(At(now));
  }
  EXPECT_LE(pipeline_.Snapshot().endpoints[kIngress].queued_tokens, 1u);
  EXPECT_EQ(LookupCount(1).outcome, Outcome::kComplete);
  EXPECT_EQ(LookupCount(100).outcome, Outcome::kComplete);
}

}  // namespace
}  // namespace sidecar::sim
