// What makes the service more than a proxy: the frontier, coalescing, long-polls, incarnation
// history and recovery — each observed through the real binaries.
#include <cpprest/http_client.h>
#include <gtest/gtest.h>

#include <future>

#include "integration/service_harness.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

TEST(StatusBehaviour, FrontierAnswersLowerTokensWithoutAskingThePipeline) {
  // Without the tracker, whose probe may still be on its way to the simulator when the last token
  // completes, every upstream query here is one a client caused.
  HarnessOptions options;
  options.extra_yaml = "tracker:\n  max_tokens: 0\n";
  ServiceHarness h(options);
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) tokens.push_back(h.Ingest(2));
  ASSERT_TRUE(WaitUntil([&] { return h.Status(tokens.back()).status == 200; }));
  h.Sim("/sim/requests/reset");
  for (const auto& token : tokens) {
    HttpResult r = h.Status(token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.Json().at("step").is_integer()) << r.body;
  }
  EXPECT_EQ(h.SimRequests("completion_status"), 0);
}

TEST(StatusBehaviour, ConcurrentPollsOfOneTokenAreCoalesced) {
  ServiceHarness h;
  h.Sim("/sim/pause");
  const std::string token = h.Ingest();
  // Slow upstream answers make the 200 polls overlap.
  h.Sim("/sim/stall?ms=300");
  h.Sim("/sim/requests/reset");
  web::http::client::http_client client(h.ServiceUrl(""));
  std::vector<pplx::task<web::http::status_code>> polls;
  for (int i = 0; i < 200; ++i) {
    polls.push_back(client.request("GET", "/v0/pipelines/demo/completion_status?token=" + token)
                        .then([](web::http::http_response r) { return r.status_code(); }));
  }
  for (auto& poll : polls) EXPECT_EQ(poll.get(), 202);
  const int upstream = h.SimRequests("completion_status");
  EXPECT_GE(upstream, 1);
  EXPECT_LE(upstream, 10) << "200 polls should share a handful of upstream queries";
}

TEST(StatusBehaviour, LongPollIsAnsweredWhenTheTokenCompletes) {
  ServiceHarness h;
  h.Sim("/sim/pause");
  const std::string token = h.Ingest();
  h.Sim("/sim/requests/reset");
  auto held =
      std::async(std::launch::async, [&] { return h.Status(token, "&wait_ms=20000", 30s); });
  // The service keeps re-asking while it holds the request: wait for a few of those.
  ASSERT_TRUE(WaitUntil([&] { return h.SimRequests("completion_status") >= 3; }));
  EXPECT_EQ(held.wait_for(0s), std::future_status::timeout) << "answered before completion";
  h.Sim("/sim/resume");
  HttpResult r = held.get();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json().at("status").as_string(), "complete");
}

TEST(StatusBehaviour, LongPollAnswers202WhenTimeIsUp) {
  ServiceHarness h;
  h.Sim("/sim/pause");
  HttpResult r = h.Status(h.Ingest(), "&wait_ms=300");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json().at("status").as_string(), "inprogress");
}

TEST(StatusBehaviour, ResumeFromCheckpointIsRecordedInHistory) {
  ServiceHarness h;
  const std::string first = h.SimIncarnation();
  h.ResumeSimFromCheckpoint();
  const std::string second = h.SimIncarnation();
  ASSERT_TRUE(WaitUntil([&] {
    auto list = HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).Json();
    return list.is_object() && list.at("incarnations").size() == 2;
  }));
  auto history = HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).Json().at("incarnations");
  EXPECT_EQ(history.at(0).at("incarnation_uuid").as_string(), second);  // newest first
  EXPECT_TRUE(history.at(0).at("resumed_from_checkpoint").as_bool());
  EXPECT_TRUE(history.at(0).at("end").is_null());
  EXPECT_EQ(history.at(1).at("incarnation_uuid").as_string(), first);
  EXPECT_FALSE(history.at(1).at("resumed_from_checkpoint").as_bool());
  EXPECT_EQ(history.at(1).at("end").at("reason").as_string(), "Restarted");
}

TEST(StatusBehaviour, PipelineKilledMidRequestIs503ThenRecovers) {
  HarnessOptions options;
  options.upstream_timeout_ms = 10000;
  ServiceHarness h(options);
  h.Sim("/sim/pause");
  const std::string old_token = h.Ingest();
  h.Sim("/sim/requests/reset");
  h.Sim("/sim/stall?ms=10000");
  auto pending = std::async(std::launch::async, [&] { return h.Status(old_token); });
  ASSERT_TRUE(WaitUntil([&] { return h.SimRequests("completion_status") >= 1; }));
  h.KillSim();
  HttpResult r = pending.get();
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_FALSE(r.Header("retry-after").empty());

  h.StartSim();  // a new process: a new incarnation
  std::string fresh;
  ASSERT_TRUE(WaitUntil([&] {
    fresh = h.Ingest();
    return !fresh.empty() && h.Status(fresh).status != 503;
  }));
  EXPECT_TRUE(WaitUntil([&] { return h.Status(fresh).status == 200; }));
  EXPECT_EQ(h.Status(old_token).status, 410);
}

TEST(StatusBehaviour, IngressAndCompletionTokenProxiesPassAnswersThrough) {
  ServiceHarness h;
  HttpResult token = HttpGet(
      h.ServiceUrl("/v0/pipelines/demo/tables/numbers/connectors/api-ingress/completion_token"));
  ASSERT_EQ(token.status, 200) << token.body;
  EXPECT_TRUE(token.Json().has_string_field("token"));
  HttpResult bad =
      HttpPost(h.ServiceUrl("/v0/pipelines/demo/ingress/nosuchtable?format=json"), "{\"n\":1}");
  EXPECT_EQ(bad.status, 404) << bad.body;
  EXPECT_TRUE(bad.Json().has_string_field("error_code")) << bad.body;
  HttpResult unknown = HttpPost(h.ServiceUrl("/v0/pipelines/nope/ingress/numbers"), "{}");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json().at("error_code").as_string(), "UnknownPipelineName");
}

}  // namespace
}  // namespace sidecar::testing

namespace sidecar::testing {
namespace {

TEST(StatusBehaviour, HistoryFileKeepsAnswersAcrossServiceRestarts) {
  HarnessOptions options;
  const std::string path =
      ::testing::TempDir() + "/history-" + std::to_string(FreePort()) + ".json";
  options.extra_yaml = "history:\n  path: " + path + "\n";
  ServiceHarness h(options);
  const std::string token = h.Ingest();
  h.Sim("/sim/restart?checkpoint=true");
  // The pipeline may say 410 before the probe records the new incarnation: wait for both the
  // old one's end and the new one's start to be recorded.
  std::string before;
  ASSERT_TRUE(WaitUntil([&] {
    HttpResult history = HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations"));
    before = history.body;
    return h.Status(token).status == 410 && before.find("Restarted") != std::string::npos &&
           history.Json().at("incarnations").size() == 2;
  }));

  h.RestartService();
  HttpResult r = h.Status(token);
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_EQ(r.Json().at("details").at("reason").as_string(), "Restarted");
  EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).body, before);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sidecar::testing
