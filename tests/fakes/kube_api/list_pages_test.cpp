#include "fakes/kube_api/list_pages.h"

#include <gtest/gtest.h>

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

ObjectMap Pods(const std::vector<std::pair<std::string, std::string>>& ns_and_names) {
  ObjectMap objects;
  for (const auto& [ns, name] : ns_and_names) {
    web::json::value pod = web::json::value::object();
    pod["kind"] = web::json::value::string("Pod");
    pod["apiVersion"] = web::json::value::string("v1");
    pod["metadata"]["namespace"] = web::json::value::string(ns);
    pod["metadata"]["name"] = web::json::value::string(name);
    objects[ObjectKey(ns, name)] = std::make_shared<const web::json::value>(pod);
  }
  return objects;
}

std::vector<std::string> Names(const ListPage& page) {
  std::vector<std::string> names;
  for (const auto& item : page.items) names.push_back(ObjectName(item));
  return names;
}

TEST(ContinueToken, RoundTripsAndRejectsForeignTokens) {
  const ContinueToken token{42, std::string("ns/pod-1") + '\0'};
  const auto decoded = DecodeContinueToken(EncodeContinueToken(token));
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded->resource_version, 42);
  EXPECT_EQ(decoded->start_key, token.start_key);
  // The token of an expiry answer: the rest of the list at the latest revision.
  EXPECT_EQ(DecodeContinueToken(EncodeContinueToken({-1, "ns/b"}))->resource_version, -1);

  for (const char* bad : {"", "!!!", "bm90IGpzb24", "eyJ2IjoieCIsInJ2Ijo0Miwic3RhcnQiOiJhIn0",
                          "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJhIn0"}) {
    EXPECT_FALSE(DecodeContinueToken(bad).ok()) << bad;
  }
}

TEST(CutPage, WalksTheSnapshotInKeyOrder) {
  const ObjectMap pods = Pods({{"a", "p1"}, {"a", "p2"}, {"b", "p3"}, {"b", "p4"}, {"c", "p5"}});
  const ObjectFilter all;
  ListPage page = CutPage(pods, "pods", all, "", 2, 9);
  EXPECT_EQ(Names(page), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(page.remaining_item_count, 3);
  EXPECT_FALSE(page.items[0].has_field("kind"));  // list items carry no kind
  ASSERT_FALSE(page.continue_token.empty());

  std::vector<std::string> seen = Names(page);
  while (!page.continue_token.empty()) {
    const auto token = DecodeContinueToken(page.continue_token).value();
    EXPECT_EQ(token.resource_version, 9);
    page = CutPage(pods, "pods", all, token.start_key, 2, 9);
    for (const auto& name : Names(page)) seen.push_back(name);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"p1", "p2", "p3", "p4", "p5"}));
}

TEST(CutPage, FiltersAndOmitsTheRemainingCountWithSelectors) {
  const ObjectMap pods = Pods({{"a", "p1"}, {"b", "p2"}, {"b", "p3"}, {"b", "p4"}, {"c", "p5"}});
  ObjectFilter in_b;
  in_b.namespace_name = "b";
  ListPage page = CutPage(pods, "pods", in_b, "", 2, 3);
  EXPECT_EQ(Names(page), (std::vector<std::string>{"p2", "p3"}));
  EXPECT_EQ(page.remaining_item_count, 1);

  ObjectFilter named;
  named.fields = ParseFieldSelector("metadata.name!=p3", "pods").value();
  page = CutPage(pods, "pods", named, "", 4, 3);
  EXPECT_EQ(Names(page), (std::vector<std::string>{"p1", "p2", "p4", "p5"}));
  EXPECT_TRUE(page.continue_token.empty());  // nothing matching is left

  page = CutPage(pods, "pods", named, "", 1, 3);
  EXPECT_FALSE(page.continue_token.empty());
  EXPECT_FALSE(page.remaining_item_count);
}

}  // namespace
}  // namespace sidecar::testing::kubefake
