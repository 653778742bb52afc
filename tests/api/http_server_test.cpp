// HttpServer's routing and answers, in process: each request is built in the test, handed to
// HttpServer::Handle (the listener's entry point), and its reply read back through
// request.get_response(). A request built in process has no connection behind it, so cpprestsdk's
// reply() only completes that response. The server is never opened (nothing is bound), and the
// one pipeline is answered by a FakeUpstream. No sockets.
#include "api/http_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "pipeline/fake_upstream.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;
using web::http::http_request;
using web::http::http_response;
using web::json::value;

// A reply as the client would read it.
struct Answer {
  int status = 0;
  std::string content_type;
  std::map<std::string, std::string> headers;
  std::string body;
  value json;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// The reply to `request` once given; nullopt if none is given within `timeout`.
std::optional<Answer> ReplyTo(const http_request& request, std::chrono::milliseconds timeout = 5s) {
  pplx::task<http_response> replied = request.get_response();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!replied.is_done()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(1ms);
  }
  http_response response = replied.get();
  Answer answer;
  answer.status = response.status_code();
  answer.content_type = response.headers().content_type();
  for (const auto& [name, content] : response.headers()) answer.headers[name] = content;
  answer.body = response.extract_string(/*ignore_content_type=*/true).get();
  try {
    answer.json = value::parse(answer.body);
  } catch (const std::exception&) {
    answer.json = value::null();
  }
  return answer;
}

// Checks that `answer` is Feldera's ErrorResponse: a JSON object of exactly `message` (a string),
// `error_code` (`code`) and `details` (an object), with status `status`.
void ExpectErrorResponse(const Answer& answer, int status, const std::string& code) {
  EXPECT_EQ(answer.status, status) << answer.body;
  EXPECT_EQ(answer.content_type, "application/json");
  ASSERT_TRUE(answer.json.is_object()) << answer.body;
  const auto& body = answer.json.as_object();
  EXPECT_EQ(body.size(), 3u) << answer.body;
  ASSERT_TRUE(answer.json.has_string_field("message")) << answer.body;
  EXPECT_FALSE(answer.json.at("message").as_string().empty());
  ASSERT_TRUE(answer.json.has_string_field("error_code")) << answer.body;
  EXPECT_EQ(answer.json.at("error_code").as_string(), code);
  ASSERT_TRUE(answer.json.has_object_field("details")) << answer.body;
}

class HttpServerRouting : public ::testing::Test {
 protected:
  HttpServerRouting() {
    PipelineOptions options;
    options.make_client = [upstream = upstream_](const std::string&, const std::string&) {
      return upstream;
    };
    pipelines_.Add(
        std::make_shared<Pipeline>("demo", upstream_->base_url(), options, IncarnationHistory()));
  }

  void TearDown() override {
    upstream_->DropHeld();
    if (!keys_path_.empty()) std::remove(keys_path_.c_str());
  }

  // The server under test; never opened. `keys`: the API keys it requires (none if empty).
  HttpServer& Server(Surface surface = Surface::kApi, const std::string& keys = "") {
    std::shared_ptr<ApiKeys> api_keys;
    if (!keys.empty()) {
      keys_path_ = ::testing::TempDir() + "/http-server-test-keys-" + std::to_string(getpid());
      std::ofstream(keys_path_) << keys;
      auto loaded = ApiKeys::Load(keys_path_);
      EXPECT_TRUE(loaded.ok());
      if (loaded.ok()) api_keys = loaded.value();
    }
    ServiceState state;
    state.ready = [this] { return ready_.load(); };
    server_ = std::make_unique<HttpServer>(config_, surface, pipelines_, metrics_, state, api_keys);
    return *server_;
  }

  static http_request Request(const std::string& method, const std::string& target,
                              const std::map<std::string, std::string>& headers = {}) {
    http_request request(method);
    request.set_request_uri(target);
    for (const auto& [name, content] : headers) request.headers().add(name, content);
    return request;
  }

  // Hands a request to `server` and returns its reply, which must come at once.
  static Answer Call(HttpServer& server, const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers = {}) {
    http_request request = Request(method, target, headers);
    server.Handle(request);
    auto answer = ReplyTo(request);
    EXPECT_TRUE(answer) << method << " " << target << ": no reply";
    return answer.value_or(Answer{});
  }

  std::string StatusTarget(uint64_t count) const {
    return "/v0/pipelines/demo/completion_status?token=" +
           EncodeCompletionToken({incarnation_, 1, count});
  }

  Config config_;
  Metrics metrics_;
  PipelineRegistry pipelines_;
  std::shared_ptr<FakeUpstream> upstream_ = std::make_shared<FakeUpstream>("http://pipeline:8080");
  std::atomic<bool> ready_{false};
  const Uuid incarnation_ = Uuid::NewV7();
  std::string keys_path_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerRouting, CompletionStatusIsAnsweredWhenUpstreamAnswers) {
  HttpServer& server = Server();

  http_request complete = Request("GET", StatusTarget(10));
  server.Handle(complete);
  // The pipeline is not probed yet: the reply waits on the upstream.
  EXPECT_FALSE(ReplyTo(complete, 50ms));
  ASSERT_EQ(upstream_->AnswerStats(RunningStats(incarnation_)), 1);
  EXPECT_FALSE(ReplyTo(complete, 50ms));
  ASSERT_EQ(
      upstream_->AnswerQueries([](const std::string&) { return UpstreamOutcome::Complete(7); }), 1);
  const auto done = ReplyTo(complete);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  EXPECT_EQ(done->content_type, "application/json");
  EXPECT_EQ(done->json, value::parse(R"({"status":"complete","step":7})")) << done->body;

  // A count beyond what is known complete: asked upstream again, which says in progress.
  http_request in_progress = Request("GET", StatusTarget(1000));
  server.Handle(in_progress);
  ASSERT_EQ(
      upstream_->AnswerQueries([](const std::string&) { return UpstreamOutcome::InProgress(8); }),
      1);
  const auto pending = ReplyTo(in_progress);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, 202);
  EXPECT_EQ(pending->json, value::parse(R"({"status":"inprogress","step":8})")) << pending->body;
}

TEST_F(HttpServerRouting, UnknownPipelineIsNotFound) {
  const Answer answer =
      Call(Server(), "GET", "/v0/pipelines/nope/completion_status?token=whatever");
  ExpectErrorResponse(answer, 404, "UnknownPipelineName");
  EXPECT_EQ(answer.json.at("details").at("pipeline_name").as_string(), "nope");
  EXPECT_EQ(upstream_->probes_sent(), 0);
}

TEST_F(HttpServerRouting, MissingTokenIsABadRequest) {
  const Answer answer = Call(Server(), "GET", "/v0/pipelines/demo/completion_status");
  ExpectErrorResponse(answer, 400, "MissingUrlEncodedParam");
  EXPECT_EQ(answer.json.at("details").at("param").as_string(), "token");
}

TEST_F(HttpServerRouting, MalformedTokenIsAnInvalidParam) {
  const Answer answer =
      Call(Server(), "GET", "/v0/pipelines/demo/completion_status?token=not-a-token");
  ExpectErrorResponse(answer, 400, "InvalidParam");
  EXPECT_TRUE(answer.json.at("details").has_string_field("error")) << answer.body;
  EXPECT_EQ(upstream_->queries_sent(), 0);
}

TEST_F(HttpServerRouting, WrongMethodIsNotAllowed) {
  const Answer answer = Call(Server(), "POST", StatusTarget(10));
  ExpectErrorResponse(answer, 405, "MethodNotAllowed");
  EXPECT_EQ(answer.json.at("details").at("method").as_string(), "POST");
  EXPECT_EQ(answer.json.at("details").at("path").as_string(),
            "/v0/pipelines/demo/completion_status");
}

TEST_F(HttpServerRouting, UnknownPathIsNotFound) {
  HttpServer& server = Server();
  for (const std::string path : {"/v0/nothing", "/", "/v1/pipelines", "/v0/pipelines/demo/x/y"}) {
    SCOPED_TRACE(path);
    const Answer answer = Call(server, "GET", path);
    ExpectErrorResponse(answer, 404, "NotFound");
    EXPECT_EQ(answer.json.at("details").at("path").as_string(), path);
  }
}

TEST_F(HttpServerRouting, TheOperationsSurfaceServesNoApi) {
  HttpServer& server = Server(Surface::kOperations);
  ExpectErrorResponse(Call(server, "GET", StatusTarget(10)), 404, "NotFound");
  EXPECT_EQ(Call(server, "GET", "/healthz").status, 200);
}

TEST_F(HttpServerRouting, HealthzIsOk) {
  const Answer answer = Call(Server(), "GET", "/healthz");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "application/json");
  EXPECT_EQ(answer.json, value::parse(R"({"status":"ok"})")) << answer.body;
}

TEST_F(HttpServerRouting, ReadyzFollowsTheServiceState) {
  HttpServer& server = Server();
  const Answer not_ready = Call(server, "GET", "/readyz");
  ExpectErrorResponse(not_ready, 503, "NotReady");
  EXPECT_EQ(not_ready.Header("Retry-After"), "1");

  ready_ = true;
  const Answer ready = Call(server, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json, value::parse(R"({"status":"ready"})")) << ready.body;
  EXPECT_EQ(ready.Header("Retry-After"), "");
}

TEST_F(HttpServerRouting, ApiKeysGuardTheApiOnly) {
  HttpServer& server = Server(Surface::kApi, "apikey:right\n");
  const std::string target = "/v0/pipelines/nope/completion_status?token=t";

  const Answer missing = Call(server, "GET", target);
  ExpectErrorResponse(missing, 401, "AuthenticationFailed");
  EXPECT_EQ(missing.Header("WWW-Authenticate"), "Bearer realm=\"completion-sidecar\"");
  EXPECT_NE(missing.json.at("message").as_string().find("Missing API key"), std::string::npos);

  const Answer wrong = Call(server, "GET", target, {{"Authorization", "Bearer apikey:wrong"}});
  ExpectErrorResponse(wrong, 401, "AuthenticationFailed");
  EXPECT_EQ(wrong.json.at("message").as_string(), "Unauthorized API key");

  // With the key, the request is routed (to a pipeline the server does not know).
  ExpectErrorResponse(Call(server, "GET", target, {{"Authorization", "Bearer apikey:right"}}), 404,
                      "UnknownPipelineName");
  // Outside /v0/, no key is asked for.
  EXPECT_EQ(Call(server, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace sidecar::testing
