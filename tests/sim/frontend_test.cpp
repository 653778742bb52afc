#include "sim/frontend.h"

#include <gtest/gtest.h>

#include "sim/error_response.h"

namespace sidecar::sim {
namespace {

ApiRequest Request(const std::string& method, const std::string& target) {
  return ParseRequestTarget(method, target);
}

TEST(FrontendTest, ProcessModeHandsEveryRequestToTheRunningPipeline) {
  const Frontend process = Frontend::Process();
  EXPECT_FALSE(process.manager());
  const FrontDecision decision = process.Route(Request("GET", "/anything?x=1"), true);
  ASSERT_TRUE(decision.to_pipeline.has_value());
  EXPECT_EQ(decision.to_pipeline->path, std::vector<std::string>{"anything"});
}

TEST(FrontendTest, AStoppedProcessIsGone) {
  const FrontDecision decision = Frontend::Process().Route(Request("GET", "/stats"), false);
  EXPECT_FALSE(decision.to_pipeline.has_value());
  EXPECT_TRUE(decision.answer.reset_connection);
}

TEST(FrontendTest, ProcessModeLeavesAnswersAlone) {
  ApiResponse unavailable = InjectedFaultError(503);
  EXPECT_TRUE(Frontend::Process().Finish(unavailable).headers.empty());
}

TEST(FrontendTest, ManagerForwardsItsPipelinesRoutes) {
  const Frontend manager = Frontend::Manager("demo");
  EXPECT_TRUE(manager.manager());
  const FrontDecision decision =
      manager.Route(Request("GET", "/v0/pipelines/demo/completion_status?token=t"), true);
  ASSERT_TRUE(decision.to_pipeline.has_value());
  EXPECT_EQ(decision.to_pipeline->path, std::vector<std::string>{"completion_status"});
  EXPECT_EQ(decision.to_pipeline->Param("token"), "t");
}

TEST(FrontendTest, ManagerAnswersAnotherPipelineNameWithUnknownPipelineName) {
  const FrontDecision decision =
      Frontend::Manager("demo").Route(Request("GET", "/v0/pipelines/x/stats"), true);
  ASSERT_FALSE(decision.to_pipeline.has_value());
  EXPECT_EQ(decision.answer.status, 404);
  EXPECT_EQ(decision.answer.body.serialize(),
            R"({"details":{"pipeline_name":"x"},"error_code":"UnknownPipelineName",)"
            R"("message":"Unknown pipeline name 'x'"})");
}

TEST(FrontendTest, ManagerAnswersPathsWithoutARouteWithABare404) {
  for (const char* target : {"/stats", "/input_endpoints/numbers.api-ingress/completion_token",
                             "/v0/pipelines/demo/nope", "/"}) {
    const FrontDecision decision = Frontend::Manager("demo").Route(Request("GET", target), true);
    EXPECT_FALSE(decision.to_pipeline.has_value()) << target;
    EXPECT_EQ(decision.answer.status, 404) << target;
    EXPECT_EQ(decision.answer.raw_body, "") << target;
  }
}

// runner/error.rs PipelineInteractionNotDeployed, error.rs json_error_response (Retry-After).
TEST(FrontendTest, ManagerAnswersForAStoppedPipelineWithNotDeployed) {
  const Frontend manager = Frontend::Manager("demo");
  for (const char* target :
       {"/v0/pipelines/demo/stats", "/v0/pipelines/demo/completion_status?token=t",
        "/v0/pipelines/demo/tables/numbers/connectors/api-ingress/completion_token"}) {
    const FrontDecision decision = manager.Route(Request("GET", target), false);
    ASSERT_FALSE(decision.to_pipeline.has_value()) << target;
    const ApiResponse& answer = decision.answer;
    EXPECT_EQ(answer.status, 503);
    EXPECT_EQ(answer.headers.at("Retry-After"), "5");
    EXPECT_EQ(answer.body.at("error_code").as_string(), "PipelineInteractionNotDeployed");
    EXPECT_EQ(answer.body.at("message").as_string(),
              "Unable to interact with pipeline because the deployment status (stopped) "
              "indicates it is not (yet) fully provisioned pipeline-id=N/A "
              "pipeline-name=\"demo\"");
    EXPECT_EQ(answer.body.at("details").serialize(),
              R"({"desired_status":"Stopped","pipeline_name":"demo","status":"Stopped"})");
  }
  const FrontDecision ingress =
      manager.Route(Request("POST", "/v0/pipelines/demo/ingress/numbers"), false);
  EXPECT_EQ(ingress.answer.status, 503);
  // Another name is still unknown, stopped or not.
  EXPECT_EQ(manager.Route(Request("GET", "/v0/pipelines/x/stats"), false).answer.status, 404);
}

TEST(FrontendTest, ManagerAddsRetryAfterToEvery503Only) {
  const Frontend manager = Frontend::Manager("demo");
  EXPECT_EQ(manager.Finish(InjectedFaultError(503)).headers.at("Retry-After"), "5");
  EXPECT_TRUE(manager.Finish(InjectedFaultError(500)).headers.empty());
  EXPECT_TRUE(manager.Finish(ApiResponse{200, web::json::value::object()}).headers.empty());
}

}  // namespace
}  // namespace sidecar::sim
