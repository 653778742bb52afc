// The service in front of a misbehaving pipeline: for each fault the simulator can produce —
// a slow answer past the upstream timeout, a reset connection, garbage, JSON of the wrong shape,
// a 500 with and without an ErrorResponse — what a client gets, and that the service recovers
// once the fault clears. And that clients held by a stalled pipeline hold no thread.
#include <cpprest/http_client.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "integration/service_harness.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// A Feldera ErrorResponse: exactly `message`, `error_code` and `details`, as JSON.
::testing::AssertionResult IsErrorResponse(const HttpResult& r) {
  const web::json::value doc = r.Json();
  if (r.Header("content-type") != "application/json")
    return ::testing::AssertionFailure() << "content-type " << r.Header("content-type");
  if (!doc.is_object() || doc.size() != 3 || !doc.has_string_field("message") ||
      !doc.has_string_field("error_code") || !doc.has_object_field("details")) {
    return ::testing::AssertionFailure() << "not an ErrorResponse: " << r.body;
  }
  return ::testing::AssertionSuccess();
}

// 503 PipelineInteractionUnreachable with a Retry-After of whole seconds.
void ExpectUnreachable(const HttpResult& r) {
  EXPECT_EQ(r.status, 503) << r.body << r.error;
  EXPECT_TRUE(IsErrorResponse(r));
  EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionUnreachable") << r.body;
  const std::string retry_after = r.Header("retry-after");
  EXPECT_FALSE(retry_after.empty());
  EXPECT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
}

// Sends a control request that arms or clears a fault. While resets are armed, any connection to
// the simulator may be reset, this one included (the very request that arms them among them): it
// is retried until answered. Each is idempotent.
void SendControl(ServiceHarness& h, const std::string& request) {
  EXPECT_TRUE(WaitUntil([&] { return HttpPost(h.SimUrl(request)).status == 200; })) << request;
}

// One pipeline fault, armed until cleared, and what a client must get while it lasts.
struct FaultCase {
  std::string name;
  std::string arm;          // the simulator's control request
  int status;               // what a client gets for an in-progress token
  std::string error_code;   // ... with this ErrorResponse
  int upstream_timeout_ms;  // the service's
};

std::ostream& operator<<(std::ostream& out, const FaultCase& c) {
  return out << c.name;
}

class PipelineFault : public ::testing::TestWithParam<FaultCase> {
 protected:
  static HarnessOptions Options() {
    HarnessOptions options;
    options.upstream_timeout_ms = GetParam().upstream_timeout_ms;
    return options;
  }

  ServiceHarness h_{Options()};
};

// Faults that leave the pipeline's answer unusable are the pipeline being unreachable; an
// ErrorResponse the pipeline itself sent is passed through.
TEST_P(PipelineFault, ClientGetsTheDocumentedAnswerAndTheServiceRecovers) {
  const FaultCase& fault = GetParam();
  // Paused: the token stays in progress, so every answer about it must come from the pipeline.
  h_.Sim("/sim/pause");
  const std::string token = h_.Ingest();
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(h_.Status(token).status, 202);

  SendControl(h_, fault.arm);
  // Answers the service had before the fault (the tracker asks in the background) may still be
  // shared for a moment: 202 until the fault shows, and nothing else.
  HttpResult during;
  ASSERT_TRUE(WaitUntil([&] {
    during = h_.Status(token);
    EXPECT_TRUE(during.status == 202 || during.status == fault.status)
        << during.status << " " << during.body << during.error;
    return during.status != 202;
  })) << "the fault never reached the client";
  EXPECT_EQ(during.status, fault.status) << during.body << during.error;
  ASSERT_TRUE(IsErrorResponse(during));
  EXPECT_EQ(during.Json().at("error_code").as_string(), fault.error_code) << during.body;
  if (fault.status == 503) ExpectUnreachable(during);
  EXPECT_TRUE(h_.service().Running());

  SendControl(h_, "/sim/fault?status=0");
  SendControl(h_, "/sim/stall?ms=0");
  HttpResult after;
  EXPECT_TRUE(WaitUntil([&] { return (after = h_.Status(token)).status == 202; }))
      << after.status << " " << after.body;
  h_.Sim("/sim/resume");
  EXPECT_TRUE(WaitUntil([&] { return (after = h_.Status(token)).status == 200; }))
      << after.status << " " << after.body;
  EXPECT_EQ(after.Json().at("status").as_string(), "complete");
}

INSTANTIATE_TEST_SUITE_P(
    EachFault, PipelineFault,
    ::testing::Values(
        // Slower than the service's upstream timeout: /stats and completion_status alike.
        FaultCase{"Stall2s", "/sim/stall?ms=2000", 503, "PipelineInteractionUnreachable", 300},
        FaultCase{"Reset", "/sim/fault?kind=reset", 503, "PipelineInteractionUnreachable", 2000},
        FaultCase{"NonJson", "/sim/fault?kind=non_json", 503, "PipelineInteractionUnreachable",
                  2000},
        // {"status":"Complete","step":"7"} must not be read as complete.
        FaultCase{"WrongShape", "/sim/fault?kind=wrong_shape", 503,
                  "PipelineInteractionUnreachable", 2000},
        FaultCase{"Error500WithoutErrorResponse", "/sim/fault?kind=non_json&status=500", 503,
                  "PipelineInteractionUnreachable", 2000},
        FaultCase{"Error500WithWrongShape", "/sim/fault?kind=wrong_shape&status=500", 503,
                  "PipelineInteractionUnreachable", 2000},
        // The pipeline's own ErrorResponse is passed through.
        FaultCase{"Error500WithErrorResponse", "/sim/fault?status=500", 500,
                  "PipelineInternalError", 2000}),
    [](const ::testing::TestParamInfo<FaultCase>& info) { return info.param.name; });

TEST(PipelineFaults, PipelinesErrorResponseIsPassedThroughAsItWas) {
  ServiceHarness h;
  h.Sim("/sim/pause");
  const std::string token = h.Ingest();
  h.Sim("/sim/fault?status=500");
  const HttpResult direct = HttpGet(h.SimUrl("/completion_status?token=" + token));
  const HttpResult through = h.Status(token);
  EXPECT_EQ(through.status, 500);
  EXPECT_EQ(through.Json(), direct.Json()) << through.body << "\n" << direct.body;
}

// Garbage from /stats: the probe fails, the pipeline is not up; what the service already knows
// (a completed token) is still answered; it recovers once /stats answers again.
TEST(PipelineFaults, GarbageFromStatsMarksThePipelineDownButKnownAnswersStay) {
  const std::string up = "feldera_pipeline_up{pipeline=\"\",pipeline_name=\"demo\"}";
  for (const std::string kind : {"non_json", "wrong_shape", "reset"}) {
    SCOPED_TRACE(kind);
    ServiceHarness h;
    const std::string done = h.Ingest();
    ASSERT_TRUE(WaitUntil([&] { return h.Status(done).status == 200; }));
    ASSERT_TRUE(WaitUntil([&] { return h.ServiceMetric(up) == 1.0; }));

    SendControl(h, "/sim/fault?path=stats&kind=" + kind);
    EXPECT_TRUE(WaitUntil([&] { return h.ServiceMetric(up) == 0.0; }))
        << h.ServiceMetric(up).value_or(-1);
    const HttpResult known = h.Status(done);
    EXPECT_EQ(known.status, 200) << known.body;

    SendControl(h, "/sim/fault?path=stats&status=0");
    EXPECT_TRUE(WaitUntil([&] { return h.ServiceMetric(up) == 1.0; }));
    const std::string fresh = h.Ingest();
    EXPECT_TRUE(WaitUntil([&] { return h.Status(fresh).status == 200; }));
  }
}

// Sockets the process `pid` holds open.
int OpenSockets(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = ::opendir(dir.c_str());
  if (fds == nullptr) return -1;
  int sockets = 0;
  while (const dirent* entry = ::readdir(fds)) {
    char target[64] = {};
    const std::string path = dir + "/" + entry->d_name;
    if (::readlink(path.c_str(), target, sizeof target - 1) > 0 &&
        std::string(target).rfind("socket:", 0) == 0) {
      ++sockets;
    }
  }
  ::closedir(fds);
  return sockets;
}

// 300 long-polls wait on a stalled, paused pipeline while other clients come and go: if the
// service held a thread per waiting client (it has 2), nobody else would be answered.
TEST(PipelineFaults, LongPollsHeldOnAStalledPipelinePinNoThread) {
  constexpr int kLongPolls = 300;
  HarnessOptions options;
  options.upstream_timeout_ms = 10000;  // longer than the stall: the service waits, not fails
  ServiceHarness h(options);
  const std::string done = h.Ingest();
  ASSERT_TRUE(WaitUntil([&] { return h.Status(done).status == 200; }));
  h.Sim("/sim/pause");
  const std::string waiting = h.Ingest();
  h.Sim("/sim/stall?ms=2000");
  const int sockets_before = OpenSockets(h.service().pid());

  web::http::client::http_client_config config;
  config.set_timeout(60s);
  web::http::client::http_client client(h.ServiceUrl(""), config);
  std::vector<pplx::task<web::http::status_code>> polls;
  for (int i = 0; i < kLongPolls; ++i) {
    polls.push_back(
        client.request("GET", "/v0/pipelines/demo/completion_status?wait_ms=30000&token=" + waiting)
            .then([](pplx::task<web::http::http_response> r) {
              try {
                return r.get().status_code();
              } catch (const std::exception&) {
                return web::http::status_code(0);
              }
            }));
  }
  // Every long-poll has its connection at the service, besides the listening socket. (Not
  // "sockets_before + kLongPolls": an idle keep-alive counted before may close meanwhile.)
  ASSERT_TRUE(WaitUntil([&] { return OpenSockets(h.service().pid()) >= 1 + kLongPolls; }, 30s))
      << OpenSockets(h.service().pid()) << " sockets, " << sockets_before << " before";

  // Other clients, with answers the service has without the pipeline, are answered.
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(HttpGet(h.ServiceUrl("/healthz"), 10s).status, 200);
    EXPECT_EQ(h.Status(done, "", 10s).status, 200);
    EXPECT_EQ(h.Status("not-a-token", "", 10s).status, 400);
    EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines/other/completion_status?token=x"), 10s).status,
              404);
    EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines"), 10s).status, 200);
  }
  // ... and one that needs the stalled pipeline is answered too, once it answers.
  EXPECT_EQ(h.Status(waiting, "", 20s).status, 202);
  int answered_early = 0;
  for (auto& poll : polls) answered_early += poll.is_done();
  EXPECT_EQ(answered_early, 0) << "long-polls answered before their token completed";

  h.Sim("/sim/stall?ms=0");
  h.Sim("/sim/resume");
  int complete = 0;
  for (auto& poll : polls) complete += poll.get() == 200;
  EXPECT_EQ(complete, kLongPolls);
}

}  // namespace
}  // namespace sidecar::testing
