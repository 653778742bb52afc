#include "metrics/promql_names.h"

#include <gtest/gtest.h>

namespace sidecar::testing {
namespace {

using Names = std::set<std::string>;

TEST(MetricNamesInTest, PlainSelectorsAndFunctions) {
  EXPECT_EQ(MetricNamesIn("up"), Names{"up"});
  EXPECT_EQ(MetricNamesIn("up{job=\"x\"} == 0"), Names{"up"});
  EXPECT_EQ(MetricNamesIn("rate(process_cpu_seconds_total[5m])"),
            Names{"process_cpu_seconds_total"});
  EXPECT_EQ(MetricNamesIn("time() - process_start_time_seconds"),
            Names{"process_start_time_seconds"});
}

TEST(MetricNamesInTest, AggregationsWithLabelListsBeforeOrAfter) {
  EXPECT_EQ(MetricNamesIn("histogram_quantile(0.99, sum by (pipeline, le) "
                          "(rate(feldera_completion_token_latency_seconds_bucket{pipeline=~\"a|b\"}"
                          "[5m])))"),
            Names{"feldera_completion_token_latency_seconds_bucket"});
  EXPECT_EQ(MetricNamesIn("sum(rate(a_total[1m])) without (instance, job)"), Names{"a_total"});
  EXPECT_EQ(MetricNamesIn("SUM BY (le) (b_bucket)"), Names{"b_bucket"});
  EXPECT_EQ(MetricNamesIn("count_values(\"v\", c) or topk(3, d) unless bottomk(1, e)"),
            (Names{"c", "d", "e"}));
}

TEST(MetricNamesInTest, VectorMatchingKeywordsAndModifiers) {
  EXPECT_EQ(MetricNamesIn("a / on (pipeline) group_left (reason) b > bool 3"), (Names{"a", "b"}));
  EXPECT_EQ(MetricNamesIn("a and ignoring(code) b"), (Names{"a", "b"}));
  EXPECT_EQ(MetricNamesIn("a offset 5m @ start() + b[10m:1m] offset -1h"), (Names{"a", "b"}));
  EXPECT_EQ(MetricNamesIn("a > Inf or b < -inf or c != NaN"), (Names{"a", "b", "c"}));
  EXPECT_EQ(MetricNamesIn("0x1f + 1e3 + .5 + x"), Names{"x"});
}

TEST(MetricNamesInTest, StringsCommentsAndRecordingRuleNames) {
  EXPECT_EQ(MetricNamesIn("label_replace(a, \"dst\", \"$1 ) fake_name\", \"src\", \"(.*)\")"),
            Names{"a"});
  EXPECT_EQ(MetricNamesIn("a # a comment naming b\n+ c"), (Names{"a", "c"}));
  EXPECT_EQ(MetricNamesIn("job:x:rate5m{l='}'} * `raw`"), Names{"job:x:rate5m"});
  EXPECT_TRUE(MetricNamesIn("").empty());
  EXPECT_TRUE(MetricNamesIn("1 + 2").empty());
}

TEST(MetricNamesInTest, UnbalancedTextEndsWithoutOverrun) {
  EXPECT_EQ(MetricNamesIn("a{unterminated=\"x"), Names{"a"});
  EXPECT_EQ(MetricNamesIn("b[5m"), Names{"b"});
  EXPECT_EQ(MetricNamesIn("sum by (le"), Names{});
}

TEST(SubstituteGrafanaVariablesTest, IntervalsBecomeDurationsOthersAPlaceholder) {
  EXPECT_EQ(SubstituteGrafanaVariables("rate(a[$__rate_interval])"), "rate(a[5m])");
  EXPECT_EQ(SubstituteGrafanaVariables("rate(a[${__interval}]) + b[$__range]"),
            "rate(a[5m]) + b[5m]");
  EXPECT_EQ(SubstituteGrafanaVariables("a{pipeline=~\"$pipeline\", job=\"${job}\"}"),
            "a{pipeline=~\"x\", job=\"x\"}");
  EXPECT_EQ(SubstituteGrafanaVariables("no variables"), "no variables");
  EXPECT_EQ(SubstituteGrafanaVariables("${unterminated"), "x");
}

TEST(SubstituteGrafanaVariablesTest, GivenValuesReplaceTheirVariables) {
  EXPECT_EQ(SubstituteGrafanaVariables("a{pipeline_name=~\"$pipeline_name\", job=~\"${job}\"}"
                                       "[$__rate_interval] + $other",
                                       {{"pipeline_name", ".*"}, {"job", "j"}}),
            "a{pipeline_name=~\".*\", job=~\"j\"}[5m] + x");
}

TEST(LabelValuesSelectorTest, TheSelectorOfALabelValuesQuery) {
  EXPECT_EQ(LabelValuesSelector("label_values(feldera_pipeline_up, job)"), "feldera_pipeline_up");
  EXPECT_EQ(LabelValuesSelector("label_values(up{a=\"1\",b=\"2\"}, pipeline)"),
            "up{a=\"1\",b=\"2\"}");
  EXPECT_EQ(LabelValuesSelector("label_values(job)"), "");
  EXPECT_EQ(LabelValuesSelector("query_result(up)"), "");
  EXPECT_EQ(LabelValuesSelector(""), "");
}

}  // namespace
}  // namespace sidecar::testing
