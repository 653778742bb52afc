#include "metrics/label_values.h"

#include <gtest/gtest.h>

#include <string>

namespace sidecar {
namespace {

TEST(BoundedLabelTest, KeepsEveryValueOfItsSet) {
  for (std::string_view source : kTokenSources)
    EXPECT_EQ(BoundedLabel(source, kTokenSources), source);
  for (std::string_view reason : kIncarnationReasons)
    EXPECT_EQ(BoundedLabel(reason, kIncarnationReasons), reason);
}

TEST(BoundedLabelTest, AnythingElseIsOther) {
  EXPECT_EQ(BoundedLabel("", kTokenSources), "other");
  EXPECT_EQ(BoundedLabel("Ingress", kTokenSources), "other");  // exact spelling only
  EXPECT_EQ(BoundedLabel("ingress ", kTokenSources), "other");
  EXPECT_EQ(BoundedLabel("SomeNewKubernetesReason", kIncarnationReasons), "other");
  EXPECT_EQ(BoundedLabel(std::string(1 << 20, 'x'), kWatchEventTypes), "other");
  EXPECT_EQ(BoundedLabel(std::string("ok\0x", 4), kUpstreamOutcomes), "other");
}

TEST(BoundedLabelTest, SetsHaveNoDuplicatesAndNoOther) {
  const auto check = [](std::span<const std::string_view> set) {
    for (size_t i = 0; i < set.size(); ++i) {
      EXPECT_NE(set[i], kOtherLabelValue);
      for (size_t j = i + 1; j < set.size(); ++j) EXPECT_NE(set[i], set[j]);
    }
  };
  check(kTokenSources);
  check(kAbandonReasons);
  check(kIncarnationReasons);
  check(kUpstreamRequests);
  check(kUpstreamOutcomes);
  check(kKubeVerbs);
  check(kKubeOutcomes);
  check(kWatchRestartReasons);
  check(kWatchEventTypes);
}

TEST(CodeLabelTest, HttpCodesAreKeptOthersAreNot) {
  EXPECT_EQ(CodeLabel(100), "100");
  EXPECT_EQ(CodeLabel(200), "200");
  EXPECT_EQ(CodeLabel(410), "410");
  EXPECT_EQ(CodeLabel(599), "599");
  EXPECT_EQ(CodeLabel(99), "other");
  EXPECT_EQ(CodeLabel(600), "other");
  EXPECT_EQ(CodeLabel(0), "other");
  EXPECT_EQ(CodeLabel(-200), "other");
}

TEST(PipelineLabelTest, PlausibleNamesAreKept) {
  EXPECT_EQ(PipelineLabel("orders"), "orders");
  EXPECT_EQ(PipelineLabel("my-pipeline_2.v1"), "my-pipeline_2.v1");
  EXPECT_EQ(PipelineLabel("_unknown"), "_unknown");
  EXPECT_EQ(PipelineLabel(std::string(253, 'a')), std::string(253, 'a'));
}

TEST(PipelineLabelTest, ImplausibleNamesAreInvalid) {
  EXPECT_EQ(PipelineLabel(""), "_invalid");
  EXPECT_EQ(PipelineLabel(std::string(254, 'a')), "_invalid");
  EXPECT_EQ(PipelineLabel("a b"), "_invalid");
  EXPECT_EQ(PipelineLabel("a\"b"), "_invalid");
  EXPECT_EQ(PipelineLabel("a\nb"), "_invalid");
  EXPECT_EQ(PipelineLabel("../etc"), "_invalid");
  EXPECT_EQ(PipelineLabel("\xff\xfe"), "_invalid");
  EXPECT_EQ(PipelineLabel(std::string("a\0b", 3)), "_invalid");
}

TEST(FelderaPipelineLabelTest, AUuidBecomesFelderasSystemName) {
  EXPECT_EQ(FelderaPipelineLabel("0196b120-6203-7b90-b6bd-16890df15e28"),
            "pipeline-0196b120-6203-7b90-b6bd-16890df15e28");
  EXPECT_EQ(FelderaPipelineLabel("0196B120-6203-7B90-B6BD-16890DF15E28"),
            "pipeline-0196b120-6203-7b90-b6bd-16890df15e28");
}

TEST(FelderaPipelineLabelTest, AnythingElseIsUnknown) {
  EXPECT_EQ(FelderaPipelineLabel(""), "");
  EXPECT_EQ(FelderaPipelineLabel("orders"), "");
  EXPECT_EQ(FelderaPipelineLabel("pipeline-0196b120-6203-7b90-b6bd-16890df15e28"), "");
  EXPECT_EQ(FelderaPipelineLabel("0196b120-6203-7b90-b6bd-16890df15e2"), "");
  EXPECT_EQ(FelderaPipelineLabel("0196b120-6203-7b90-b6bd-16890df15e28\n"), "");
  EXPECT_EQ(FelderaPipelineLabel(std::string(1 << 16, 'a')), "");
}

}  // namespace
}  // namespace sidecar
