#include "fakes/kube_api/request_info.h"

#include <gtest/gtest.h>

#include "fakes/kube_api/list_options.h"
#include "support/param_names.h"

namespace sidecar::testing::kubefake {
namespace {

struct VerbCase {
  std::string method;
  std::string path;
  std::string query;
  std::string verb;
  std::string resource;
  std::string namespace_name;
  std::string name;
};

class RequestVerbs : public ::testing::TestWithParam<VerbCase> {};

TEST_P(RequestVerbs, AreDerivedAsTheApiServerDoes) {
  const VerbCase& c = GetParam();
  const RequestInfo info = ResolveRequest(c.method, c.path, ParseQuery(c.query));
  EXPECT_EQ(info.verb, c.verb) << c.method << " " << c.path << "?" << c.query;
  EXPECT_EQ(info.resource, c.resource);
  EXPECT_EQ(info.namespace_name, c.namespace_name);
  EXPECT_EQ(info.name, c.name);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RequestVerbs,
    ::testing::Values(
        VerbCase{"GET", "/api/v1/pods", "", "list", "pods", "", ""},
        VerbCase{"GET", "/api/v1/pods", "watch=true", "watch", "pods", "", ""},
        VerbCase{"GET", "/api/v1/pods", "watch=1", "watch", "pods", "", ""},
        VerbCase{"GET", "/api/v1/pods", "watch=false", "list", "pods", "", ""},
        VerbCase{"GET", "/api/v1/namespaces/ns/pods", "limit=5", "list", "pods", "ns", ""},
        VerbCase{"GET", "/api/v1/namespaces/ns/pods/p", "", "get", "pods", "ns", "p"},
        VerbCase{"GET", "/api/v1/namespaces/ns/pods", "fieldSelector=metadata.name%3Dp&watch=true",
                 "watch", "pods", "ns", "p"},
        VerbCase{"GET", "/api/v1/watch/namespaces/ns/pods/p", "", "watch", "pods", "ns", "p"},
        VerbCase{"POST", "/api/v1/namespaces/ns/configmaps", "", "create", "configmaps", "ns", ""},
        VerbCase{"PUT", "/api/v1/namespaces/ns/configmaps/c", "", "update", "configmaps", "ns",
                 "c"},
        VerbCase{"PATCH", "/api/v1/namespaces/ns/configmaps/c", "", "patch", "configmaps", "ns",
                 "c"},
        VerbCase{"DELETE", "/api/v1/namespaces/ns/pods/p", "", "delete", "pods", "ns", "p"},
        VerbCase{"DELETE", "/api/v1/namespaces/ns/pods", "", "deletecollection", "pods", "ns", ""},
        VerbCase{"GET", "/api/v1/namespaces/ns", "", "get", "namespaces", "ns", "ns"},
        VerbCase{"GET", "/api", "", "get", "", "", ""},
        VerbCase{"GET", "/version", "", "get", "", "", ""},
        VerbCase{"POST", "/healthz", "", "post", "", "", ""}),
    [](const ::testing::TestParamInfo<VerbCase>& info) {
      return test_names::ParamName(info.index,
                                   info.param.method + info.param.path + info.param.query);
    });

TEST(ParseQuery, DecodesLikeGo) {
  const QueryParams query =
      ParseQuery("labelSelector=app%3Dweb%2Ctier+in+(a)&limit=5&limit=6&x&%zz=1");
  EXPECT_EQ(query.at("labelSelector"), "app=web,tier in (a)");
  EXPECT_EQ(query.at("limit"), "5");  // the first of a repeated key
  EXPECT_EQ(query.at("x"), "");
  EXPECT_EQ(query.at("%zz"), "1");  // a malformed escape is kept as it is
}

TEST(ListOptions, ParsesAndChecksParameters) {
  const RequestInfo info = ResolveRequest("GET", "/api/v1/namespaces/ns/pods", {});
  const auto options = ParseListOptions(
      info, ParseQuery("labelSelector=app%3Dweb&resourceVersion=7&resourceVersionMatch=Exact&"
                       "limit=2&allowWatchBookmarks=true&timeoutSeconds=30"));
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->filter.namespace_name, "ns");
  EXPECT_EQ(options->filter.labels.requirements.size(), 1u);
  EXPECT_EQ(options->resource_version, 7);
  EXPECT_EQ(options->limit, 2);
  EXPECT_TRUE(options->allow_watch_bookmarks);
  EXPECT_EQ(options->timeout_seconds, 30);

  for (const char* bad :
       {"resourceVersion=abc", "resourceVersion=-1", "limit=x", "resourceVersionMatch=Exact",
        "resourceVersion=0&resourceVersionMatch=Exact",
        "resourceVersionMatch=Newest&resourceVersion=1", "labelSelector=a%20b",
        "fieldSelector=spec.foo%3Dx", "continue=abc&resourceVersion=5", "timeoutSeconds=soon"}) {
    EXPECT_FALSE(ParseListOptions(info, ParseQuery(bad)).ok()) << bad;
  }
}

}  // namespace
}  // namespace sidecar::testing::kubefake
