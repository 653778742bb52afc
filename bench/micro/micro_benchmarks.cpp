// bench-micro: Google Benchmark micro-benchmarks of the pure functions on the service's hot
// paths — what every completion_status request decodes and decides, and what every pod event
// is reduced to. bench/run runs it and reports ns/op.
#include <benchmark/benchmark.h>

#include <string>

#include "fakes/kube_api/pod_mutations.h"
#include "feldera/pod_observation.h"
#include "status/decision.h"
#include "status/frontier.h"
#include "status/incarnation.h"
#include "status/status_answer.h"
#include "token/completion_token.h"

namespace sidecar {
namespace {

// From Feldera's documentation, without the padding Feldera itself leaves out.
constexpr char kToken[] =
    "eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30";
constexpr uint64_t kFrontierPoints = 1024;  // Frontier's default bound on complete points
constexpr uint64_t kCountStep = 10;

// A pipeline whose current incarnation made kToken, with a full frontier for its endpoint that
// shows the token complete: the state a poll of a finished token meets.
struct CompleteTokenState {
  IncarnationHistory history;
  Frontier frontier;
  PipelineView view;

  CompleteTokenState() {
    Incarnation current;
    current.uuid = DecodeCompletionToken(kToken).value().incarnation;
    history.Begin(current, IncarnationEnd{});
    for (uint64_t i = 1; i <= kFrontierPoints; ++i) frontier.RecordComplete(i * kCountStep, i);
    view.name = "orders";
    view.history = &history;
    view.frontier = &frontier;
    view.reachable = true;
  }
};

// A pipeline pod as the API server sends it (the server sets uid and resourceVersion).
web::json::value PipelinePod() {
  web::json::value pod =
      testing::MakePipelinePod("feldera", "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0",
                               {{"feldera.com/pipeline-name", "orders"}}, "10.244.0.9");
  pod["metadata"]["uid"] = web::json::value::string("6f0d7c8e-2b51-4a8e-9f65-0c3c1a7e5d21");
  pod["metadata"]["resourceVersion"] = web::json::value::string("4711");
  return pod;
}

void BM_DecodeToken(benchmark::State& state) {
  if (!DecodeCompletionToken(kToken).ok()) return state.SkipWithError("the token does not decode");
  for (auto _ : state) benchmark::DoNotOptimize(DecodeCompletionToken(kToken));
}
BENCHMARK(BM_DecodeToken);

void BM_DecideStatus(benchmark::State& state) {
  const CompleteTokenState pipeline;
  const CompletionToken token = DecodeCompletionToken(kToken).value();
  if (DecideStatus(token, pipeline.view).kind != Decision::Kind::kComplete) {
    return state.SkipWithError("the decision is not 'complete'");
  }
  for (auto _ : state) benchmark::DoNotOptimize(DecideStatus(token, pipeline.view));
}
BENCHMARK(BM_DecideStatus);

// What the service computes per poll of a complete token, before writing the answer.
void BM_DecodeAndDecide(benchmark::State& state) {
  const CompleteTokenState pipeline;
  for (auto _ : state) {
    const Result<CompletionToken> token = DecodeCompletionToken(kToken);
    benchmark::DoNotOptimize(DecideStatus(token.value(), pipeline.view));
  }
}
BENCHMARK(BM_DecodeAndDecide);

void BM_FrontierLookup(benchmark::State& state) {
  const CompleteTokenState pipeline;
  uint64_t count = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(pipeline.frontier.Lookup(count));
    count = (count + 7919) % (kFrontierPoints * kCountStep);  // spread over the whole frontier
  }
}
BENCHMARK(BM_FrontierLookup);

void BM_StatusAnswerBody(benchmark::State& state) {
  const StatusAnswer answer = StatusAnswer::Complete(123456);
  for (auto _ : state) benchmark::DoNotOptimize(answer.Body());
}
BENCHMARK(BM_StatusAnswerBody);

void BM_ObservePod(benchmark::State& state) {
  const web::json::value pod = PipelinePod();
  const PodObservationOptions options;
  if (!ObservePod(pod, options)) return state.SkipWithError("not a pipeline pod");
  for (auto _ : state) benchmark::DoNotOptimize(ObservePod(pod, options));
}
BENCHMARK(BM_ObservePod);

// A watch event's object as it arrives: text, parsed, then observed.
void BM_ParseAndObservePod(benchmark::State& state) {
  const std::string text = PipelinePod().serialize();
  const PodObservationOptions options;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ObservePod(web::json::value::parse(text), options));
  }
}
BENCHMARK(BM_ParseAndObservePod);

}  // namespace
}  // namespace sidecar

BENCHMARK_MAIN();
