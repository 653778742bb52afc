#include "fakes/kube_api/selectors.h"

#include <gtest/gtest.h>

#include "support/param_names.h"

namespace sidecar::testing::kubefake {
namespace {

using Labels = std::map<std::string, std::string>;

struct LabelCase {
  std::string selector;
  Labels labels;
  bool matches;
};

class LabelSelectorMatching : public ::testing::TestWithParam<LabelCase> {};

TEST_P(LabelSelectorMatching, AgreesWithApimachinery) {
  const LabelCase& c = GetParam();
  const auto selector = ParseLabelSelector(c.selector);
  ASSERT_TRUE(selector.ok()) << c.selector << ": " << selector.error();
  EXPECT_EQ(selector->Matches(c.labels), c.matches) << c.selector;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LabelSelectorMatching,
    ::testing::Values(
        LabelCase{"", {}, true}, LabelCase{"", {{"a", "b"}}, true},
        LabelCase{"app=web", {{"app", "web"}}, true}, LabelCase{"app=web", {{"app", "db"}}, false},
        LabelCase{"app=web", {}, false}, LabelCase{"app==web", {{"app", "web"}}, true},
        // != and notin also hold when the label is absent.
        LabelCase{"app!=web", {}, true}, LabelCase{"app!=web", {{"app", "web"}}, false},
        LabelCase{"app!=web", {{"app", "db"}}, true},
        LabelCase{"env in (prod, staging)", {{"env", "staging"}}, true},
        LabelCase{"env in (prod,staging)", {{"env", "dev"}}, false},
        LabelCase{"env in (prod)", {}, false}, LabelCase{"env notin (prod)", {}, true},
        LabelCase{"env notin (prod,dev)", {{"env", "dev"}}, false},
        LabelCase{"release", {{"release", ""}}, true}, LabelCase{"release", {}, false},
        LabelCase{"!release", {}, true}, LabelCase{"!release", {{"release", "x"}}, false},
        LabelCase{"app=web,tier!=db,!legacy", {{"app", "web"}, {"tier", "fe"}}, true},
        LabelCase{"app=web,tier!=db,!legacy", {{"app", "web"}, {"legacy", "1"}}, false},
        LabelCase{"feldera.com/pipeline=abc", {{"feldera.com/pipeline", "abc"}}, true},
        LabelCase{"app=", {{"app", ""}}, true}, LabelCase{"app=", {{"app", "x"}}, false},
        LabelCase{"  app  =  web  ", {{"app", "web"}}, true},
        LabelCase{"replicas>2", {{"replicas", "3"}}, true},
        LabelCase{"replicas>2", {{"replicas", "x"}}, false},
        LabelCase{"replicas<2", {{"replicas", "1"}}, true}),
    [](const ::testing::TestParamInfo<LabelCase>& info) {
      return test_names::ParamName(info.index, info.param.selector);
    });

TEST(LabelSelector, RejectsMalformedSelectors) {
  for (const char* text :
       {"app=web,", "=web", "app in prod", "app in ()", "app in (a", "a b", "!app=web", "app=a b",
        "app=web)", "bad key!", "x>y", "app===web", "-app=web", "app=-web"}) {
    EXPECT_FALSE(ParseLabelSelector(text).ok()) << text;
  }
}

TEST(FieldSelector, ParsesOperatorsAndEscapes) {
  const auto selector =
      ParseFieldSelector("status.phase=Running,spec.nodeName!=n1,metadata.name==a\\,b", "pods");
  ASSERT_TRUE(selector.ok()) << selector.error();
  ASSERT_EQ(selector->requirements.size(), 3u);
  EXPECT_EQ(selector->requirements[0].field, "status.phase");
  EXPECT_FALSE(selector->requirements[0].negated);
  EXPECT_EQ(selector->requirements[0].value, "Running");
  EXPECT_TRUE(selector->requirements[1].negated);
  EXPECT_EQ(selector->requirements[2].value, "a,b");
}

TEST(FieldSelector, RejectsWhatTheServerRejects) {
  EXPECT_EQ(ParseFieldSelector("spec.containers=x", "pods").error(),
            "field label not supported: spec.containers");
  EXPECT_FALSE(ParseFieldSelector("status.phase=Running", "configmaps").ok());
  EXPECT_FALSE(ParseFieldSelector("status.phase", "pods").ok());
  EXPECT_FALSE(ParseFieldSelector("metadata.name=a\\b", "pods").ok());
  EXPECT_TRUE(ParseFieldSelector("", "pods").ok());
}

web::json::value Pod(const std::string& ns, const std::string& name, const std::string& phase,
                     const std::string& node) {
  web::json::value pod = web::json::value::object();
  pod["metadata"]["namespace"] = web::json::value::string(ns);
  pod["metadata"]["name"] = web::json::value::string(name);
  pod["metadata"]["labels"]["app"] = web::json::value::string("web");
  pod["spec"]["nodeName"] = web::json::value::string(node);
  pod["status"]["phase"] = web::json::value::string(phase);
  return pod;
}

TEST(ObjectFilter, CombinesNamespaceLabelsAndFields) {
  ObjectFilter filter;
  filter.namespace_name = "prod";
  filter.labels = ParseLabelSelector("app=web").value();
  filter.fields = ParseFieldSelector("status.phase!=Failed,spec.nodeName=n1", "pods").value();
  EXPECT_TRUE(filter.Matches("pods", Pod("prod", "a", "Running", "n1")));
  EXPECT_FALSE(filter.Matches("pods", Pod("dev", "a", "Running", "n1")));
  EXPECT_FALSE(filter.Matches("pods", Pod("prod", "a", "Failed", "n1")));
  EXPECT_FALSE(filter.Matches("pods", Pod("prod", "a", "Running", "n2")));
}

TEST(ObjectFilter, MissingFieldsReadAsEmpty) {
  ObjectFilter filter;
  filter.fields = ParseFieldSelector("spec.nodeName=", "pods").value();
  EXPECT_TRUE(filter.Matches("pods", web::json::value::object()));
  EXPECT_TRUE(filter.Matches("pods", web::json::value::number(3)));  // not even an object
  EXPECT_EQ(SelectableFieldValue("pods", web::json::value::object(), "spec.hostNetwork"), "false");
}

}  // namespace
}  // namespace sidecar::testing::kubefake
