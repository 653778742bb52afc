#include "kube/configmap_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "fakes/kube_api/fake_kube_api.h"
#include "support/process.h"

namespace sidecar::kube {
namespace {

using sidecar::testing::FakeKubeApiServer;

ConfigMap NewConfigMap(const std::string& name, std::map<std::string, std::string> data) {
  ConfigMap config_map;
  config_map.name = name;
  config_map.labels = {{"app.kubernetes.io/name", "completion-sidecar"}};
  config_map.data = std::move(data);
  return config_map;
}

class ConfigMapStoreTest : public ::testing::Test {
 protected:
  ConfigMapStoreTest()
      : server_(sidecar::testing::FreePort()),
        store_((server_.Start(), KubeConnection::ForUrl(server_.Url()).value()), "feldera") {}

  FakeKubeApiServer server_;
  ConfigMapStore store_;
};

TEST_F(ConfigMapStoreTest, CreateGetUpdate) {
  EXPECT_EQ(store_.Get("incarnations").status, ConfigMapStatus::kNotFound);

  auto created = store_.Create(NewConfigMap("incarnations", {{"pipeline-a", "[\"u1\"]"}}));
  ASSERT_EQ(created.status, ConfigMapStatus::kOk) << created.error;
  EXPECT_FALSE(created.config_map.resource_version.empty());

  auto read = store_.Get("incarnations");
  ASSERT_EQ(read.status, ConfigMapStatus::kOk) << read.error;
  EXPECT_EQ(read.config_map.data, (std::map<std::string, std::string>{{"pipeline-a", "[\"u1\"]"}}));
  EXPECT_EQ(read.config_map.labels.at("app.kubernetes.io/name"), "completion-sidecar");
  EXPECT_EQ(read.config_map.resource_version, created.config_map.resource_version);

  ConfigMap changed = read.config_map;
  changed.data["pipeline-b"] = "[\"u2\"]";
  auto updated = store_.Update(changed);
  ASSERT_EQ(updated.status, ConfigMapStatus::kOk) << updated.error;
  EXPECT_NE(updated.config_map.resource_version, read.config_map.resource_version);
  EXPECT_EQ(server_.GetConfigMap("feldera", "incarnations")->at("data").size(), 2u);
}

TEST_F(ConfigMapStoreTest, StaleUpdateAndDuplicateCreateAreConflicts) {
  auto created = store_.Create(NewConfigMap("state", {{"k", "1"}}));
  ASSERT_EQ(created.status, ConfigMapStatus::kOk) << created.error;
  auto duplicate = store_.Create(NewConfigMap("state", {{"k", "2"}}));
  EXPECT_EQ(duplicate.status, ConfigMapStatus::kConflict);
  EXPECT_NE(duplicate.error.find("409"), std::string::npos) << duplicate.error;

  ConfigMap first = created.config_map;
  first.data["k"] = "from-first";
  ASSERT_EQ(store_.Update(first).status, ConfigMapStatus::kOk);
  ConfigMap stale = created.config_map;  // still at the old resourceVersion
  stale.data["k"] = "from-stale";
  auto conflict = store_.Update(stale);
  EXPECT_EQ(conflict.status, ConfigMapStatus::kConflict);
  EXPECT_EQ(store_.Get("state").config_map.data.at("k"), "from-first");

  ConfigMap unread = NewConfigMap("state", {});
  EXPECT_EQ(store_.Update(unread).status, ConfigMapStatus::kError);
  unread.resource_version = "1";
  unread.name = "absent";
  EXPECT_EQ(store_.Update(unread).status, ConfigMapStatus::kNotFound);
}

TEST_F(ConfigMapStoreTest, ConcurrentReadModifyWriteLosesNoIncrement) {
  ASSERT_EQ(store_.Create(NewConfigMap("counter", {{"n", "0"}})).status, ConfigMapStatus::kOk);
  constexpr int kThreads = 4;
  constexpr int kIncrements = 10;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        while (true) {
          auto read = store_.Get("counter");
          ASSERT_EQ(read.status, ConfigMapStatus::kOk) << read.error;
          ConfigMap next = read.config_map;
          next.data["n"] = std::to_string(std::stoi(next.data["n"]) + 1);
          auto written = store_.Update(next);
          if (written.status == ConfigMapStatus::kOk) {
            break;
          }
          ASSERT_EQ(written.status, ConfigMapStatus::kConflict) << written.error;
          ++conflicts;
        }
      }
    });
  }
  for (auto& writer : writers) {
    writer.join();
  }
  EXPECT_EQ(store_.Get("counter").config_map.data.at("n"), std::to_string(kThreads * kIncrements));
}

TEST_F(ConfigMapStoreTest, UpdateKeepsFieldsItDoesNotModel) {
  web::json::value object;
  object["metadata"]["name"] = web::json::value::string("annotated");
  object["metadata"]["namespace"] = web::json::value::string("feldera");
  object["metadata"]["annotations"]["owner"] = web::json::value::string("ops");
  object["data"]["k"] = web::json::value::string("v");
  server_.CreateConfigMap(object);

  auto read = store_.Get("annotated");
  ASSERT_EQ(read.status, ConfigMapStatus::kOk) << read.error;
  read.config_map.data["k"] = "w";
  ASSERT_EQ(store_.Update(read.config_map).status, ConfigMapStatus::kOk);
  auto stored = server_.GetConfigMap("feldera", "annotated").value();
  EXPECT_EQ(stored.at("metadata").at("annotations").at("owner").as_string(), "ops");
  EXPECT_EQ(stored.at("data").at("k").as_string(), "w");
}

TEST_F(ConfigMapStoreTest, ServerFailuresAreErrorsWithAReason) {
  server_.FailRequests(500, 1);
  auto failed = store_.Get("anything");
  EXPECT_EQ(failed.status, ConfigMapStatus::kError);
  EXPECT_NE(failed.error.find("HTTP 500"), std::string::npos) << failed.error;

  ConfigMapStore unreachable(
      KubeConnection::ForUrl("http://127.0.0.1:" + std::to_string(sidecar::testing::FreePort()))
          .value(),
      "feldera");
  auto refused = unreachable.Get("anything");
  EXPECT_EQ(refused.status, ConfigMapStatus::kError);
  EXPECT_FALSE(refused.error.empty());
}

TEST(ConfigMapWireForm, ParsesAndRejectsHostileObjects) {
  auto parse = [](const std::string& text) {
    return ParseConfigMap(web::json::value::parse(text));
  };
  auto ok =
      parse(R"({"metadata":{"name":"a","resourceVersion":"5","labels":null},"data":{"x":"1"}})");
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->resource_version, "5");
  EXPECT_EQ(ok->data.at("x"), "1");
  EXPECT_TRUE(parse(R"({"metadata":{"name":"a"}})").ok());  // no data at all
  for (const char* bad :
       {R"({})", R"([])", R"({"metadata":{"name":""}})",
        R"({"metadata":{"name":"a"},"data":{"x":1}})", R"({"metadata":{"name":"a"},"data":[]})",
        R"({"metadata":{"name":"a","labels":{"l":true}}})"}) {
    EXPECT_FALSE(parse(bad).ok()) << bad;
  }
}

TEST(ConfigMapWireForm, BuildsOnTheOriginalObject) {
  ConfigMap config_map;
  config_map.name = "a";
  config_map.resource_version = "7";
  config_map.data = {{"k", "v"}};
  config_map.original = web::json::value::parse(
      R"({"metadata":{"name":"old","annotations":{"x":"y"},"labels":{"gone":"1"}},"binaryData":{"b":"AA=="}})");
  auto json = ConfigMapToJson(config_map, "ns");
  EXPECT_EQ(json.at("kind").as_string(), "ConfigMap");
  EXPECT_EQ(json.at("metadata").at("name").as_string(), "a");
  EXPECT_EQ(json.at("metadata").at("namespace").as_string(), "ns");
  EXPECT_EQ(json.at("metadata").at("resourceVersion").as_string(), "7");
  EXPECT_EQ(json.at("metadata").at("annotations").at("x").as_string(), "y");
  EXPECT_FALSE(json.at("metadata").has_field("labels"));
  EXPECT_EQ(json.at("binaryData").at("b").as_string(), "AA==");
  EXPECT_EQ(json.at("data").at("k").as_string(), "v");
}

}  // namespace
}  // namespace sidecar::kube
