#include "feldera/pipeline_paths.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

TEST(PipelineBaseOf, FelderasApiServerForAPipelineIsTheManager) {
  EXPECT_EQ(PipelineBaseOf("http://feldera:8080/v0/pipelines/orders"), PipelineBase::kManager);
  EXPECT_EQ(PipelineBaseOf("https://feldera.example.com/v0/pipelines/orders/"),
            PipelineBase::kManager);
  EXPECT_EQ(PipelineBaseOf("http://gateway/feldera/v0/pipelines/orders"), PipelineBase::kManager);
}

TEST(PipelineBaseOf, AnythingElseIsThePipelineProcess) {
  EXPECT_EQ(PipelineBaseOf("http://127.0.0.1:8080"), PipelineBase::kProcess);
  EXPECT_EQ(PipelineBaseOf("http://[fd00::5]:8080/"), PipelineBase::kProcess);
  EXPECT_EQ(PipelineBaseOf("http://feldera:8080/v0/pipelines"), PipelineBase::kProcess);
  EXPECT_EQ(PipelineBaseOf("http://feldera:8080/v0/pipelines/"), PipelineBase::kProcess);
  EXPECT_EQ(PipelineBaseOf("http://proxy/pipelines/orders"), PipelineBase::kProcess);
  EXPECT_EQ(PipelineBaseOf("not a url"), PipelineBase::kProcess);
}

TEST(CompletionTokenTarget, TheProcessGetsTheCanonicalEndpointName) {
  EXPECT_EQ(CompletionTokenTarget(PipelineBase::kProcess, "PRICE", "kafka"),
            "/input_endpoints/price.kafka/completion_token");
  EXPECT_EQ(CompletionTokenTarget(PipelineBase::kProcess, "\"Price\"", "api-ingress"),
            "/input_endpoints/Price.api-ingress/completion_token");
  // Encoded as one segment: a slash in a connector name cannot change the path.
  EXPECT_EQ(CompletionTokenTarget(PipelineBase::kProcess, "t", "a/b c"),
            "/input_endpoints/t.a%2Fb%20c/completion_token");
}

TEST(CompletionTokenTarget, TheManagerNormalisesForItself) {
  EXPECT_EQ(CompletionTokenTarget(PipelineBase::kManager, "PRICE", "kafka"),
            "/tables/PRICE/connectors/kafka/completion_token");
  EXPECT_EQ(CompletionTokenTarget(PipelineBase::kManager, "\"Price\"", "c"),
            "/tables/%22Price%22/connectors/c/completion_token");
}

TEST(PodPipelineUrl, AnIpv6AddressIsBracketed) {
  EXPECT_EQ(PodPipelineUrl("http", "10.244.0.9", 8080), "http://10.244.0.9:8080");
  EXPECT_EQ(PodPipelineUrl("https", "fd00:10:244::9", 8443), "https://[fd00:10:244::9]:8443");
  EXPECT_EQ(PodPipelineUrl("http", "::1", 80), "http://[::1]:80");
}

TEST(IngressTarget, TheTableIsPassedAsNamed) {
  EXPECT_EQ(IngressTarget("PRICE"), "/ingress/PRICE");
  EXPECT_EQ(IngressTarget("a b"), "/ingress/a%20b");
}

}  // namespace
}  // namespace sidecar
