#include "api/request_target.h"

#include <gtest/gtest.h>

#include "support/param_names.h"

namespace sidecar {
namespace {

TEST(ParseQuery, DecodesPairsLikeAFormDecoder) {
  auto q = ParseQuery("token=ab%3D%3D&wait_ms=100&x=a+b&flag&=empty&token=second");
  EXPECT_EQ(q["token"], "ab==");
  EXPECT_EQ(q["wait_ms"], "100");
  EXPECT_EQ(q["x"], "a b");
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(q[""], "empty");
}

TEST(ParseQuery, KeepsMalformedEscapesLiterally) {
  auto q = ParseQuery("token=%ZZ%4&a=%");
  EXPECT_EQ(q["token"], "%ZZ%4");
  EXPECT_EQ(q["a"], "%");
  EXPECT_TRUE(ParseQuery("").empty());
  EXPECT_TRUE(ParseQuery("&&&").empty());
}

TEST(PercentDecode, DecodesPathSegmentsWithoutPlus) {
  EXPECT_EQ(PercentDecode("a%2Fb+c", false), "a/b+c");
  EXPECT_EQ(PercentDecode("%e2%82%ac", false), "\xe2\x82\xac");
}

struct RouteCase {
  const char* method;
  const char* path;
  RouteKind kind;
  const char* pipeline;
  const char* table;
  const char* connector;
};

class Routes : public ::testing::TestWithParam<RouteCase> {};

TEST_P(Routes, Match) {
  const RouteCase& c = GetParam();
  Route r = MatchRoute(c.method, c.path);
  EXPECT_EQ(r.kind, c.kind) << c.method << " " << c.path;
  EXPECT_EQ(r.pipeline, c.pipeline);
  EXPECT_EQ(r.table, c.table);
  EXPECT_EQ(r.connector, c.connector);
}

INSTANTIATE_TEST_SUITE_P(
    Api, Routes,
    ::testing::Values(
        RouteCase{"GET", "/healthz", RouteKind::kHealthz, "", "", ""},
        RouteCase{"GET", "/readyz", RouteKind::kReadyz, "", "", ""},
        RouteCase{"GET", "/metrics", RouteKind::kMetrics, "", "", ""},
        RouteCase{"GET", "/v0/config", RouteKind::kConfig, "", "", ""},
        RouteCase{"GET", "/v0/pipelines", RouteKind::kListPipelines, "", "", ""},
        RouteCase{"GET", "/v0/pipelines/p1/completion_status", RouteKind::kCompletionStatus, "p1",
                  "", ""},
        RouteCase{"GET", "/v0/pipelines/my%20pipe/completion_status/", RouteKind::kCompletionStatus,
                  "my pipe", "", ""},
        RouteCase{"GET", "/v0/pipelines/p1/incarnations", RouteKind::kIncarnations, "p1", "", ""},
        RouteCase{"POST", "/v0/pipelines/p1/ingress/t1", RouteKind::kIngress, "p1", "t1", ""},
        RouteCase{"GET", "/v0/pipelines/p1/tables/t1/connectors/c1/completion_token",
                  RouteKind::kCompletionToken, "p1", "t1", "c1"},
        RouteCase{"POST", "/v0/pipelines/p1/completion_status", RouteKind::kMethodNotAllowed, "p1",
                  "", ""},
        RouteCase{"GET", "/v0/pipelines/p1/ingress/t1", RouteKind::kMethodNotAllowed, "p1", "t1",
                  ""},
        RouteCase{"DELETE", "/healthz", RouteKind::kMethodNotAllowed, "", "", ""},
        RouteCase{"GET", "/", RouteKind::kNotFound, "", "", ""},
        RouteCase{"GET", "/v1/pipelines", RouteKind::kNotFound, "", "", ""},
        RouteCase{"GET", "/v0/pipelines/p1/unknown", RouteKind::kNotFound, "", "", ""},
        RouteCase{"GET", "/v0/pipelines/p1/tables/t1/connectors/c1/other", RouteKind::kNotFound, "",
                  "", ""}),
    [](const ::testing::TestParamInfo<RouteCase>& info) {
      return test_names::ParamName(info.index, std::string(info.param.method) + info.param.path);
    });

}  // namespace
}  // namespace sidecar
