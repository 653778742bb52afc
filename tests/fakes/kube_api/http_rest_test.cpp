// The fake's REST semantics over real sockets: lists, selectors, pagination, resourceVersion,
// writes with their checks, errors as Status objects, the request log.
#include <gtest/gtest.h>

#include "fakes/kube_api/list_snapshots.h"
#include "fakes/kube_api/test_helpers.h"
#include "fakes/kube_api/watch_reader.h"

namespace sidecar::testing {
namespace {

using web::json::value;

class RestApi : public FakeKubeApiTest {};

TEST_F(RestApi, ListsPodsAcrossAndWithinNamespaces) {
  server_.CreatePod(TestPod("a", "p-0"));
  server_.CreatePod(TestPod("b", "q-0"));
  server_.CreatePod(TestPod("a", "p-1"));

  const HttpResult all = HttpGet(Url("/api/v1/pods"));
  ASSERT_EQ(all.status, 200) << all.body;
  const value list = all.Json();
  EXPECT_EQ(list.at("kind").as_string(), "PodList");
  EXPECT_EQ(list.at("apiVersion").as_string(), "v1");
  EXPECT_EQ(ResourceVersionOf(list), std::to_string(server_.CurrentResourceVersion()));
  EXPECT_EQ(ItemNames(list), (std::vector<std::string>{"p-0", "p-1", "q-0"}));

  const value in_a = HttpGet(Url("/api/v1/namespaces/a/pods")).Json();
  EXPECT_EQ(ItemNames(in_a), (std::vector<std::string>{"p-0", "p-1"}));
  EXPECT_TRUE(HttpGet(Url("/api/v1/namespaces/none/pods")).Json().at("items").as_array().size() ==
              0);
}

TEST_F(RestApi, GetsOnePodOrAnswersNotFound) {
  const value created = server_.CreatePod(TestPod("a", "p-0"));
  const HttpResult found = HttpGet(Url("/api/v1/namespaces/a/pods/p-0"));
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.Json(), created);
  EXPECT_EQ(found.Json().at("kind").as_string(), "Pod");
  EXPECT_EQ(found.Header("content-type"), "application/json");

  const HttpResult missing = HttpGet(Url("/api/v1/namespaces/a/pods/nope"));
  ExpectStatus(missing, 404, "NotFound");
  EXPECT_EQ(missing.Json().at("message").as_string(), "pods \"nope\" not found");
}

TEST_F(RestApi, SetsServerFieldsOnCreate) {
  const value pod = server_.CreatePod(TestPod("a", "p-0"));
  const value& metadata = pod.at("metadata");
  EXPECT_EQ(metadata.at("uid").as_string().size(), 36u);
  EXPECT_EQ(metadata.at("creationTimestamp").as_string().size(), 20u);
  EXPECT_EQ(metadata.at("namespace").as_string(), "a");
  EXPECT_EQ(ResourceVersionOf(pod), std::to_string(server_.CurrentResourceVersion()));

  // Deleted and recreated under the same name: a new uid, as after a StatefulSet recreates it.
  server_.DeletePod("a", "p-0");
  const value again = server_.CreatePod(TestPod("a", "p-0"));
  EXPECT_NE(again.at("metadata").at("uid").as_string(), metadata.at("uid").as_string());

  value generated = TestPod("", "");
  generated["metadata"].erase("name");
  generated["metadata"]["generateName"] = value::string("pipeline-");
  const value named = server_.CreatePod(generated);
  EXPECT_EQ(named.at("metadata").at("namespace").as_string(), "default");
  const std::string name = named.at("metadata").at("name").as_string();
  EXPECT_EQ(name.rfind("pipeline-", 0), 0u);
  EXPECT_EQ(name.size(), std::string("pipeline-").size() + 5);
}

TEST_F(RestApi, FiltersByLabelSelector) {
  server_.CreatePod(TestPod("ns", "web-0", {{"app", "web"}, {"env", "prod"}}));
  server_.CreatePod(TestPod("ns", "web-1", {{"app", "web"}, {"env", "dev"}}));
  server_.CreatePod(TestPod("ns", "db-0", {{"app", "db"}}));
  const std::map<std::string, std::vector<std::string>> cases = {
      {"app=web", {"web-0", "web-1"}},
      {"app==web,env=prod", {"web-0"}},
      {"app!=web", {"db-0"}},
      {"env in (dev,qa)", {"web-1"}},
      {"env notin (prod)", {"db-0", "web-1"}},
      {"env", {"web-0", "web-1"}},
      {"!env", {"db-0"}},
  };
  for (const auto& [selector, names] : cases) {
    const HttpResult result =
        HttpGet(Url("/api/v1/namespaces/ns/pods?labelSelector=" + Encoded(selector)));
    ASSERT_EQ(result.status, 200) << selector << ": " << result.body;
    EXPECT_EQ(ItemNames(result.Json()), names) << selector;
  }
  ExpectStatus(HttpGet(Url("/api/v1/pods?labelSelector=" + Encoded("app in web"))), 400,
               "BadRequest");
}

TEST_F(RestApi, FiltersByFieldSelector) {
  server_.CreatePod(TestPod("a", "p-0", {}, "Running", "node-1"));
  server_.CreatePod(TestPod("b", "p-1", {}, "Failed", "node-2"));
  server_.CreatePod(TestPod("b", "p-2", {}, "Running", "node-2"));
  const std::map<std::string, std::vector<std::string>> cases = {
      {"metadata.name=p-1", {"p-1"}},
      {"metadata.namespace=b", {"p-1", "p-2"}},
      {"status.phase=Running", {"p-0", "p-2"}},
      {"status.phase!=Running", {"p-1"}},
      {"spec.nodeName==node-2,status.phase=Running", {"p-2"}},
  };
  for (const auto& [selector, names] : cases) {
    const HttpResult result = HttpGet(Url("/api/v1/pods?fieldSelector=" + Encoded(selector)));
    ASSERT_EQ(result.status, 200) << selector << ": " << result.body;
    EXPECT_EQ(ItemNames(result.Json()), names) << selector;
  }
  const HttpResult unsupported = HttpGet(Url("/api/v1/pods?fieldSelector=" + Encoded("spec.x=y")));
  ExpectStatus(unsupported, 400, "BadRequest");
  EXPECT_EQ(unsupported.Json().at("message").as_string(), "field label not supported: spec.x");
}

TEST_F(RestApi, PagesAreAConsistentSnapshot) {
  for (int i = 0; i < 5; ++i) server_.CreatePod(TestPod("ns", "p-" + std::to_string(i)));
  const value first = HttpGet(Url("/api/v1/pods?limit=2")).Json();
  EXPECT_EQ(ItemNames(first), (std::vector<std::string>{"p-0", "p-1"}));
  EXPECT_EQ(first.at("metadata").at("remainingItemCount").as_integer(), 3);
  const std::string snapshot = ResourceVersionOf(first);

  // Writes between pages do not show in later pages.
  server_.DeletePod("ns", "p-3");
  server_.CreatePod(TestPod("ns", "p-9"));
  std::vector<std::string> names = ItemNames(first);
  std::string token = first.at("metadata").at("continue").as_string();
  while (!token.empty()) {
    const HttpResult page = HttpGet(Url("/api/v1/pods?limit=2&continue=" + Encoded(token)));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(ResourceVersionOf(page.Json()), snapshot);
    for (const auto& name : ItemNames(page.Json())) names.push_back(name);
    const value metadata = page.Json().at("metadata");
    token = metadata.has_field("continue") ? metadata.at("continue").as_string() : "";
  }
  EXPECT_EQ(names, (std::vector<std::string>{"p-0", "p-1", "p-2", "p-3", "p-4"}));
}

TEST_F(RestApi, WritesBetweenPagesDoNotShowInLaterPages) {
  for (int i = 0; i < 7; ++i) server_.CreatePod(TestPod("ns", "p-" + std::to_string(i)));
  HttpResult page = HttpGet(Url("/api/v1/pods?limit=2"));
  // What the pages must add up to: the whole list at the first page's revision.
  const value whole = HttpGet(Url("/api/v1/pods")).Json();
  const std::string snapshot = ResourceVersionOf(whole);
  const size_t total = whole.at("items").size();

  std::vector<value> items;
  for (int round = 0;; ++round) {
    ASSERT_EQ(page.status, 200) << page.body;
    const value list = page.Json();
    EXPECT_EQ(ResourceVersionOf(list), snapshot);
    for (const value& item : list.at("items").as_array()) items.push_back(item);
    const value& metadata = list.at("metadata");
    if (!metadata.has_field("continue")) break;
    EXPECT_EQ(metadata.at("remainingItemCount").as_number().to_int64(),
              static_cast<int64_t>(total - items.size()));

    // Between pages: a pod not listed yet changes, one is deleted, one appears among them.
    const std::string n = std::to_string(round);
    server_.MutatePod("ns", "p-6", [](value& pod) { RestartContainer(pod, "pipeline"); });
    if (round == 0) server_.DeletePod("ns", "p-5");
    server_.CreatePod(TestPod("ns", "p-4" + n));
    page = HttpGet(
        Url("/api/v1/pods?limit=2&continue=" + Encoded(metadata.at("continue").as_string())));
  }
  EXPECT_EQ(value::array(items), whole.at("items"));
}

TEST_F(RestApi, AContinueWhoseSnapshotWasEvictedExpires) {
  for (int i = 0; i < 3; ++i) server_.CreatePod(TestPod("ns", "p-" + std::to_string(i)));
  const value first = HttpGet(Url("/api/v1/pods?limit=1")).Json();
  const std::string token = first.at("metadata").at("continue").as_string();

  // As many paged lists at later revisions as snapshots are kept push the first one out.
  for (size_t i = 0; i < kubefake::ListSnapshots::kDefaultCapacity; ++i) {
    server_.CreatePod(TestPod("other", "q-" + std::to_string(i)));
    ASSERT_EQ(HttpGet(Url("/api/v1/pods?limit=1")).status, 200);
  }
  const HttpResult expired = HttpGet(Url("/api/v1/pods?limit=1&continue=" + Encoded(token)));
  ExpectStatus(expired, 410, "Expired");
  EXPECT_TRUE(expired.Json().at("message").as_string().starts_with(
      "The provided continue parameter is too old to display a consistent list result."));

  // The token in the answer lists the rest at the latest revision, writes since included.
  const std::string rest = expired.Json().at("metadata").at("continue").as_string();
  const value latest = HttpGet(Url("/api/v1/pods?limit=500&continue=" + Encoded(rest))).Json();
  EXPECT_EQ(ResourceVersionOf(latest), std::to_string(server_.CurrentResourceVersion()));
  const std::vector<std::string> names = ItemNames(latest);
  ASSERT_EQ(names.size(), 2 + kubefake::ListSnapshots::kDefaultCapacity);
  EXPECT_EQ(names[0], "p-1");
  EXPECT_EQ(names[2], "q-0");
}

TEST_F(RestApi, ContinueTokensExpireWithCompaction) {
  for (int i = 0; i < 3; ++i) server_.CreatePod(TestPod("ns", "p-" + std::to_string(i)));
  const value first = HttpGet(Url("/api/v1/pods?limit=1")).Json();
  const std::string token = first.at("metadata").at("continue").as_string();
  server_.CreatePod(TestPod("ns", "p-new"));
  server_.Compact();
  ExpectStatus(HttpGet(Url("/api/v1/pods?limit=1&continue=" + Encoded(token))), 410, "Expired");
  ExpectStatus(HttpGet(Url("/api/v1/pods?continue=garbage")), 400, "BadRequest");
}

TEST_F(RestApi, ListResourceVersionSemantics) {
  server_.CreatePod(TestPod("ns", "p-0"));
  const std::string before = std::to_string(server_.CurrentResourceVersion());
  server_.CreatePod(TestPod("ns", "p-1"));
  server_.CreatePod(TestPod("ns", "p-2"));

  // Exact: the state at that revision.
  const value exact =
      HttpGet(Url("/api/v1/pods?resourceVersion=" + before + "&resourceVersionMatch=Exact")).Json();
  EXPECT_EQ(ItemNames(exact), (std::vector<std::string>{"p-0"}));
  EXPECT_EQ(ResourceVersionOf(exact), before);
  // NotOlderThan (or no match): the current state.
  const value newer = HttpGet(Url("/api/v1/pods?resourceVersion=" + before)).Json();
  EXPECT_EQ(ItemNames(newer).size(), 3u);
  // "0" is served from the watch cache, which ignores the limit.
  const value any = HttpGet(Url("/api/v1/pods?resourceVersion=0&limit=1")).Json();
  EXPECT_EQ(ItemNames(any).size(), 3u);
  EXPECT_FALSE(any.at("metadata").has_field("continue"));
  // A revision the server has not reached yet.
  const std::string future = std::to_string(server_.CurrentResourceVersion() + 10);
  ExpectStatus(HttpGet(Url("/api/v1/pods?resourceVersion=" + future)), 504, "Timeout");
  // Compacted away.
  server_.Compact();
  ExpectStatus(
      HttpGet(Url("/api/v1/pods?resourceVersion=" + before + "&resourceVersionMatch=Exact")), 410,
      "Expired");
}

TEST_F(RestApi, ConfigMapWritesCheckExistenceAndPreconditions) {
  const std::string collection = Url("/api/v1/namespaces/feldera/configmaps");
  const std::string body = R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"state"},"data":{"incarnation":"a"}})";
  const HttpResult created = HttpCall("POST", collection, body, kJsonBody);
  ASSERT_EQ(created.status, 201) << created.body;
  const value stored = created.Json();
  EXPECT_EQ(stored.at("metadata").at("namespace").as_string(), "feldera");
  ExpectStatus(HttpCall("POST", collection, body, kJsonBody), 409, "AlreadyExists");

  const std::string item = collection + "/state";
  EXPECT_EQ(HttpGet(item).Json(), stored);

  value update = stored;
  update["data"]["incarnation"] = value::string("b");
  const HttpResult updated = HttpCall("PUT", item, update.serialize(), kJsonBody);
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_GT(std::stoll(ResourceVersionOf(updated.Json())), std::stoll(ResourceVersionOf(stored)));
  EXPECT_EQ(updated.Json().at("metadata").at("uid"), stored.at("metadata").at("uid"));

  // The same update again carries a stale resourceVersion now.
  const HttpResult stale = HttpCall("PUT", item, update.serialize(), kJsonBody);
  ExpectStatus(stale, 409, "Conflict");
  EXPECT_EQ(stale.Json().at("details").at("name").as_string(), "state");

  // Without a resourceVersion the update is unconditional.
  update["metadata"].erase("resourceVersion");
  update["data"]["incarnation"] = value::string("c");
  EXPECT_EQ(HttpCall("PUT", item, update.serialize(), kJsonBody).status, 200);

  ExpectStatus(HttpGet(collection + "/other"), 404, "NotFound");
  value other = update;
  other["metadata"]["name"] = value::string("other");
  ExpectStatus(HttpCall("PUT", collection + "/other", other.serialize(), kJsonBody), 404,
               "NotFound");
  ExpectStatus(HttpCall("PUT", item, other.serialize(), kJsonBody), 400, "BadRequest");
}

TEST_F(RestApi, UpdateThatChangesNothingWritesNothing) {
  const value stored = server_.CreateConfigMap(
      value::parse(R"({"metadata":{"name":"c","namespace":"ns"},"data":{"k":"v"}})"));
  const int64_t version = server_.CurrentResourceVersion();
  const HttpResult same =
      HttpCall("PUT", Url("/api/v1/namespaces/ns/configmaps/c"), stored.serialize(), kJsonBody);
  ASSERT_EQ(same.status, 200);
  EXPECT_EQ(same.Json(), stored);
  EXPECT_EQ(server_.CurrentResourceVersion(), version);
}

TEST_F(RestApi, MergePatchAndDelete) {
  server_.CreateConfigMap(
      value::parse(R"({"metadata":{"name":"c","namespace":"ns"},"data":{"k":"v","x":"y"}})"));
  const std::string item = Url("/api/v1/namespaces/ns/configmaps/c");
  const HttpResult patched = HttpCall("PATCH", item, R"({"data":{"k":"w","x":null}})",
                                      {{"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json().at("data"), value::parse(R"({"k":"w"})"));
  ExpectStatus(HttpCall("PATCH", item, R"({"data":{}})",
                        {{"Content-Type", "application/strategic-merge-patch+json"}}),
               415, "UnsupportedMediaType");

  const HttpResult deleted = HttpCall("DELETE", item);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.Json().at("status").as_string(), "Success");
  EXPECT_FALSE(server_.GetConfigMap("ns", "c"));
  ExpectStatus(HttpCall("DELETE", item), 404, "NotFound");
}

TEST_F(RestApi, ClientsCannotWriteAPodsStatus) {
  value pod = TestPod("ns", "p-0");
  const HttpResult created =
      HttpCall("POST", Url("/api/v1/namespaces/ns/pods"), pod.serialize(), kJsonBody);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("status"), value::parse(R"({"phase":"Pending"})"));

  value update = created.Json();
  update["status"]["phase"] = value::string("Running");
  update["metadata"]["labels"]["extra"] = value::string("1");
  const HttpResult updated =
      HttpCall("PUT", Url("/api/v1/namespaces/ns/pods/p-0"), update.serialize(), kJsonBody);
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.Json().at("status").at("phase").as_string(), "Pending");
  EXPECT_EQ(updated.Json().at("metadata").at("labels").at("extra").as_string(), "1");
}

TEST_F(RestApi, BadInputGetsAStatusAndNeverStopsTheServer) {
  const std::string pods = Url("/api/v1/namespaces/ns/pods");
  ExpectStatus(HttpCall("POST", pods, "{not json", kJsonBody), 400, "BadRequest");
  ExpectStatus(HttpCall("POST", pods, "[1,2]", kJsonBody), 400, "BadRequest");
  ExpectStatus(HttpCall("POST", pods, R"({"metadata":7})", kJsonBody), 400, "BadRequest");
  ExpectStatus(HttpCall("POST", pods, R"({"kind":"Service","metadata":{"name":"x"}})", kJsonBody),
               400, "BadRequest");
  ExpectStatus(
      HttpCall("POST", pods, R"({"metadata":{"name":"x","namespace":"other"}})", kJsonBody), 400,
      "BadRequest");
  ExpectStatus(HttpCall("POST", pods, R"({"metadata":{}})", kJsonBody), 422, "Invalid");
  ExpectStatus(HttpCall("POST", pods, R"({"metadata":{"name":"x"}})",
                        {{"Content-Type", "application/vnd.kubernetes.protobuf"}}),
               415, "UnsupportedMediaType");
  ExpectStatus(HttpCall("POST", Url("/api/v1/pods"), R"({"metadata":{"name":"x"}})", kJsonBody),
               405, "MethodNotAllowed");
  ExpectStatus(HttpGet(Url("/api/v1/services")), 404, "NotFound");
  ExpectStatus(HttpGet(Url("/api/v2/pods")), 404, "NotFound");
  ExpectStatus(HttpGet(Url("/apis/apps/v1/statefulsets")), 404, "NotFound");
  ExpectStatus(HttpGet(Url("/api/v1/namespaces/ns/pods/p/log")), 404, "NotFound");
  ExpectStatus(HttpGet(Url("/no/such/path")), 404, "NotFound");
  ExpectStatus(HttpGet(Url("/api/v1/pods?limit=" + std::string(10000, '9'))), 400, "BadRequest");
  ExpectStatus(HttpGet(Url("/api/v1/pods?watch=true&resourceVersion=x")), 400, "BadRequest");
  EXPECT_EQ(HttpGet(Url("/api/v1/pods?labelSelector=" + std::string(100000, 'a'))).status, 400);
  EXPECT_EQ(HttpGet(Url("/api/v1/namespaces/%00/pods/%ff")).status, 404);

  EXPECT_EQ(HttpGet(Url("/api/v1/pods")).status, 200);  // still serving
}

TEST_F(RestApi, ServesTheDiscoveryKubectlReads) {
  const value api = HttpGet(Url("/api")).Json();
  EXPECT_EQ(api.at("kind").as_string(), "APIVersions");
  EXPECT_EQ(api.at("versions").at(0).as_string(), "v1");
  EXPECT_EQ(HttpGet(Url("/apis")).Json().at("kind").as_string(), "APIGroupList");
  const value core = HttpGet(Url("/api/v1")).Json();
  EXPECT_EQ(core.at("kind").as_string(), "APIResourceList");
  std::vector<std::string> resources;
  for (const auto& resource : core.at("resources").as_array()) {
    resources.push_back(resource.at("name").as_string());
  }
  EXPECT_EQ(resources, (std::vector<std::string>{"pods", "configmaps", "namespaces"}));
  EXPECT_EQ(HttpGet(Url("/version")).Json().at("major").as_string(), "1");
  EXPECT_EQ(HttpGet(Url("/api/v1/namespaces/anything")).Json().at("status").at("phase").as_string(),
            "Active");
}

TEST_F(RestApi, RequestLogRecordsVerbsAsTheServerDerivesThem) {
  server_.CreateConfigMap(value::parse(R"({"metadata":{"name":"c","namespace":"ns"}})"));
  server_.ClearRequestLog();
  const std::string cms = Url("/api/v1/namespaces/ns/configmaps");
  HttpGet(cms + "?limit=10&labelSelector=" + Encoded("a=b"));
  HttpGet(cms + "/c");
  HttpCall("POST", cms, R"({"metadata":{"name":"d"}})", kJsonBody);
  HttpCall("PUT", cms + "/d", R"({"metadata":{"name":"d"},"data":{"k":"v"}})", kJsonBody);
  HttpCall("PATCH", cms + "/d", R"({"data":{"k":"w"}})",
           {{"Content-Type", "application/merge-patch+json"}});
  HttpCall("DELETE", cms + "/d");
  {
    WatchReader watch(Url("/api/v1/pods?watch=1"));
    EXPECT_EQ(watch.WaitForStatus(), 200);
  }
  HttpGet(Url("/version"));

  const auto log = server_.RequestLog();
  std::vector<std::string> verbs;
  for (const auto& record : log) verbs.push_back(record.verb);
  EXPECT_EQ(verbs, (std::vector<std::string>{"list", "get", "create", "update", "patch", "delete",
                                             "watch", "get"}));
  ASSERT_EQ(log.size(), 8u);
  EXPECT_EQ(log[0].method, "GET");
  EXPECT_EQ(log[0].path, "/api/v1/namespaces/ns/configmaps");
  EXPECT_EQ(log[0].query, "limit=10&labelSelector=a%3Db");
  EXPECT_EQ(log[0].resource, "configmaps");
  EXPECT_EQ(log[0].namespace_name, "ns");
  EXPECT_EQ(log[1].name, "c");
  EXPECT_EQ(log[6].resource, "pods");
  EXPECT_EQ(log[6].namespace_name, "");
  EXPECT_FALSE(log[0].user_agent.empty());
  EXPECT_EQ(log[7].resource, "");

  const FakeKubeApiCounters counters = server_.Counters();
  EXPECT_EQ(counters.requests, 8);
  EXPECT_EQ(counters.requests_by_verb.at("get"), 2);
  EXPECT_EQ(counters.requests_by_verb.at("watch"), 1);
}

TEST_F(RestApi, InjectedFailuresAreStatusObjectsWithRetryAfter) {
  server_.FailRequests(429, 2, std::chrono::milliseconds(0), 3);
  for (int i = 0; i < 2; ++i) {
    const HttpResult failed = HttpGet(Url("/api/v1/pods"));
    ExpectStatus(failed, 429, "TooManyRequests");
    EXPECT_EQ(failed.Header("retry-after"), "3");
    EXPECT_EQ(failed.Json().at("details").at("retryAfterSeconds").as_integer(), 3);
  }
  EXPECT_EQ(HttpGet(Url("/api/v1/pods")).status, 200);

  server_.FailRequests(503, -1, std::chrono::milliseconds(0), 0, "create");
  EXPECT_EQ(HttpGet(Url("/api/v1/pods")).status, 200);
  ExpectStatus(HttpCall("POST", Url("/api/v1/namespaces/ns/configmaps"),
                        R"({"metadata":{"name":"c"}})", kJsonBody),
               503, "ServiceUnavailable");
  server_.ClearFaults();
  EXPECT_EQ(HttpCall("POST", Url("/api/v1/namespaces/ns/configmaps"),
                     R"({"metadata":{"name":"c"}})", kJsonBody)
                .status,
            201);

  // A time-limited rule: every request fails until it lapses.
  server_.FailRequests(500, -1, std::chrono::milliseconds(300));
  ExpectStatus(HttpGet(Url("/api/v1/pods")), 500, "InternalError");
  EXPECT_TRUE(WaitUntil([&] { return HttpGet(Url("/api/v1/pods")).status == 200; }));

  const auto log = server_.RequestLog();
  EXPECT_EQ(log.front().injected_status, 429);
  EXPECT_GE(server_.Counters().injected_failures, 4);
}

}  // namespace
}  // namespace sidecar::testing
