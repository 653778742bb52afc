// The history stores in process: FileHistoryStore on a scratch directory, ConfigMapHistoryStore
// against the fake Kubernetes API server (two stores on one server play two replicas), and the
// HistoryWriter over a scripted store.
#include "history/history_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "fakes/kube_api/fake_kube_api.h"
#include "support/process.h"

namespace sidecar {
namespace {

using sidecar::testing::FakeKubeApiServer;
using sidecar::testing::FreePort;

// 2025-05-08T18:20:11.651Z: whole milliseconds, as the stored form keeps them.
constexpr int64_t kBaseMillis = 1746728411651;

WallClock::time_point At(int64_t seconds_after_base) {
  return WallClock::time_point(std::chrono::milliseconds(kBaseMillis + seconds_after_base * 1000));
}

// A version-7 UUID for the time `seconds` after the base, the same on every call.
Uuid UuidAt(int64_t seconds) {
  const uint64_t millis = static_cast<uint64_t>(kBaseMillis + seconds * 1000);
  char text[64];
  std::snprintf(text, sizeof text, "%08llx-%04llx-7000-8000-%012llx",
                static_cast<unsigned long long>(millis >> 16),
                static_cast<unsigned long long>(millis & 0xffff),
                static_cast<unsigned long long>(seconds));
  return Uuid::Parse(text).value();
}

// An incarnation first seen `seconds` after the base time, bound to its UUID.
Incarnation Seen(int64_t seconds) {
  Incarnation incarnation;
  incarnation.uuid = UuidAt(seconds);
  incarnation.start_time = FormatTime(At(seconds));
  incarnation.first_seen = At(seconds);
  return incarnation;
}

IncarnationEnd EndedAt(int64_t seconds, std::string reason, std::optional<int> exit_code) {
  return IncarnationEnd{At(seconds), std::move(reason), exit_code, FormatTime(At(seconds)),
                        "ended at " + std::to_string(seconds)};
}

// `incarnations` oldest first, each ended (all but possibly the newest) before the next began.
IncarnationHistory HistoryOf(std::vector<Incarnation> incarnations, size_t capacity = 32) {
  IncarnationHistory history(capacity);
  for (Incarnation& incarnation : incarnations) {
    history.Begin(std::move(incarnation), EndedAt(0, "unused", std::nullopt));
  }
  return history;
}

// A history of `count` incarnations, `step` seconds apart from `first`; all ended but the newest,
// the odd ones resumed from a checkpoint, with pod identities and exit codes.
IncarnationHistory Sample(int64_t first, int count, size_t capacity = 32) {
  std::vector<Incarnation> incarnations;
  for (int i = 0; i < count; ++i) {
    Incarnation incarnation = Seen(first + 10 * i);
    incarnation.resumed_from_checkpoint = i % 2 == 1;
    if (incarnation.resumed_from_checkpoint) {
      incarnation.initial_start_time = FormatTime(At(first));
    }
    incarnation.pod_uid = "pod-uid-" + std::to_string(first + i);
    incarnation.container_id = "containerd://" + std::to_string(first + i);
    incarnation.restart_count = i;
    if (i + 1 < count) {
      incarnation.end = EndedAt(first + 10 * i + 5, i % 2 ? "OOMKilled" : "Error", 137 - i);
    }
    incarnations.push_back(std::move(incarnation));
  }
  return HistoryOf(std::move(incarnations), capacity);
}

std::string Json(const IncarnationHistory& history) {
  return history.ToJson().serialize();
}

std::set<std::string> UuidsOf(const IncarnationHistory& history) {
  std::set<std::string> uuids;
  for (const Incarnation& entry : history.entries()) {
    if (entry.uuid) uuids.insert(entry.uuid->ToString());
  }
  return uuids;
}

std::set<std::string> UuidsOf(const std::vector<const IncarnationHistory*>& histories) {
  std::set<std::string> uuids;
  for (const IncarnationHistory* history : histories) uuids.merge(UuidsOf(*history));
  return uuids;
}

// A scratch directory, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = ::testing::TempDir() + "history-store-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ---------------------------------------------------------------------------------------------
// FileHistoryStore

class FileHistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }
  std::string File() const { return dir_.path() + "/histories.json"; }

  ScratchDir dir_;
};

TEST_F(FileHistoryStoreTest, SavedHistoriesOfSeveralPipelinesLoadBackWhole) {
  const std::map<std::string, IncarnationHistory> written = {
      {"orders", Sample(0, 3)},
      {"fraud-detection", Sample(100, 1)},
      {"Ünïcode \"quoted\"", Sample(200, 4)}};
  {
    FileHistoryStore store(File(), 32);
    for (const auto& [pipeline, history] : written) {
      std::optional<IncarnationHistory> saved = store.Save(pipeline, history);
      ASSERT_TRUE(saved.has_value()) << pipeline;
      EXPECT_EQ(Json(*saved), Json(history)) << pipeline;
    }
  }
  // Another store on the same file: what a restarted service reads.
  FileHistoryStore reopened(File(), 32);
  Result<StoredHistories> loaded = reopened.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ASSERT_EQ(loaded->size(), written.size());
  for (const auto& [pipeline, history] : written) {
    ASSERT_EQ(loaded->count(pipeline), 1u) << pipeline;
    EXPECT_EQ(Json(loaded->at(pipeline)), Json(history)) << pipeline;
  }
  // The fields that matter, checked one by one as well.
  const IncarnationHistory& orders = loaded->at("orders");
  ASSERT_EQ(orders.entries().size(), 3u);
  EXPECT_EQ(orders.Current(), orders.Newest());  // the newest still runs
  const Incarnation& resumed = orders.entries()[1];
  EXPECT_TRUE(resumed.resumed_from_checkpoint);
  EXPECT_EQ(resumed.initial_start_time, FormatTime(At(0)));
  ASSERT_TRUE(resumed.end.has_value());
  EXPECT_EQ(resumed.end->reason, "OOMKilled");
  EXPECT_EQ(resumed.end->exit_code, 136);
  EXPECT_EQ(resumed.end->observed_at, At(15));
  EXPECT_EQ(resumed.first_seen, At(10));
  EXPECT_EQ(resumed.pod_uid, "pod-uid-1");
  EXPECT_EQ(resumed.restart_count, 1);
  const Incarnation& oldest = orders.entries()[2];
  EXPECT_FALSE(oldest.resumed_from_checkpoint);
  ASSERT_TRUE(oldest.end.has_value());
  EXPECT_EQ(oldest.end->exit_code, 137);
  EXPECT_EQ(oldest.end->reason, "Error");
}

TEST_F(FileHistoryStoreTest, SaveMergesWithWhatIsStoredAndDropsUnboundEntries) {
  FileHistoryStore store(File(), 32);
  const IncarnationHistory first = Sample(0, 2);
  ASSERT_TRUE(store.Save("p", first).has_value());

  // A history that knows only a later incarnation, plus a newest one not bound to a UUID yet.
  IncarnationHistory later = HistoryOf({Seen(100)});
  Incarnation unbound;
  unbound.first_seen = At(200);
  later.Begin(unbound, EndedAt(150, "Restarted", 0));
  std::optional<IncarnationHistory> saved = store.Save("p", later);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->entries().size(), 3u);  // the two stored ones and the bound new one
  EXPECT_EQ(UuidsOf(*saved), UuidsOf({&first, &later}));

  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("p")), Json(*saved));
  EXPECT_EQ(loaded->at("p").Newest()->first_seen, At(100));
}

TEST_F(FileHistoryStoreTest, MissingFileLoadsAsEmpty) {
  FileHistoryStore store(dir_.path() + "/never-written.json", 32);
  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_TRUE(loaded->empty());
}

// The header: the file's content is "empty when missing, and when not a JSON object", with a
// warning; LoadAll skips what cannot be parsed rather than failing. A corrupt file therefore
// loads as empty, and the next Save writes a whole, readable file again.
TEST_F(FileHistoryStoreTest, CorruptFileLoadsAsEmptyAndIsRewrittenByTheNextSave) {
  for (const char* corrupt : {"{\"orders\": [", "[1, 2, 3]", "\"a string\"", ""}) {
    SCOPED_TRACE(corrupt);
    {
      std::ofstream out(File(), std::ios::trunc);
      out << corrupt;
    }
    FileHistoryStore store(File(), 32);
    Result<StoredHistories> loaded = store.LoadAll();
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    EXPECT_TRUE(loaded->empty());

    const IncarnationHistory history = Sample(0, 2);
    ASSERT_TRUE(store.Save("orders", history).has_value());
    Result<StoredHistories> reloaded = store.LoadAll();
    ASSERT_TRUE(reloaded.ok()) << reloaded.error();
    ASSERT_EQ(reloaded->size(), 1u);
    EXPECT_EQ(Json(reloaded->at("orders")), Json(history));
  }
}

TEST_F(FileHistoryStoreTest, MalformedEntriesAreSkippedNotFatal) {
  const IncarnationHistory good = Sample(0, 2);
  web::json::value all = web::json::value::object();
  all["good"] = good.ToJson();
  web::json::value mixed = good.ToJson();
  mixed[2] = web::json::value::parse(R"({"incarnation_uuid":"not-a-uuid","first_seen":"x"})");
  all["mixed"] = mixed;
  all["not-a-list"] = web::json::value::string("garbage");
  {
    std::ofstream out(File(), std::ios::trunc);
    out << all.serialize();
  }
  FileHistoryStore store(File(), 32);
  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("good")), Json(good));
  EXPECT_EQ(Json(loaded->at("mixed")), Json(good));  // the malformed third entry is dropped
  // Not a list: skipped, or at most an empty history.
  if (loaded->count("not-a-list") != 0) {
    EXPECT_TRUE(loaded->at("not-a-list").entries().empty());
  }
}

TEST_F(FileHistoryStoreTest, CapacityKeepsTheNewest) {
  FileHistoryStore store(File(), 3);
  const IncarnationHistory five = Sample(0, 5, 32);
  std::optional<IncarnationHistory> saved = store.Save("p", five);
  ASSERT_TRUE(saved.has_value());
  ASSERT_EQ(saved->entries().size(), 3u);
  EXPECT_EQ(saved->capacity(), 3u);
  EXPECT_EQ(saved->Newest()->first_seen, At(40));
  EXPECT_EQ(saved->entries().back().first_seen, At(20));

  // Merging more in keeps the bound too.
  saved = store.Save("p", HistoryOf({Seen(100)}));
  ASSERT_TRUE(saved.has_value());
  ASSERT_EQ(saved->entries().size(), 3u);
  EXPECT_EQ(saved->Newest()->first_seen, At(100));
  EXPECT_EQ(saved->entries().back().first_seen, At(30));

  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("p")), Json(*saved));

  // A store with a smaller capacity reads the newest of what a larger one wrote.
  FileHistoryStore big(dir_.path() + "/big.json", 32);
  ASSERT_TRUE(big.Save("p", five).has_value());
  Result<StoredHistories> small = FileHistoryStore(dir_.path() + "/big.json", 2).LoadAll();
  ASSERT_TRUE(small.ok()) << small.error();
  ASSERT_EQ(small->at("p").entries().size(), 2u);
  EXPECT_EQ(small->at("p").Newest()->first_seen, At(40));
}

// Every Save reads the file, changes one pipeline and writes it all back: without the store's
// mutex, concurrent saves would overwrite each other's pipelines.
TEST_F(FileHistoryStoreTest, ConcurrentSavesLoseNoPipelineAndNoIncarnation) {
  FileHistoryStore store(File(), 64);
  constexpr int kThreads = 6;
  constexpr int kPipelinesPerThread = 8;
  std::vector<IncarnationHistory> shared_parts;
  for (int t = 0; t < kThreads; ++t) shared_parts.push_back(HistoryOf({Seen(1000 + t)}));
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPipelinesPerThread; ++i) {
        const std::string pipeline = "t" + std::to_string(t) + "-p" + std::to_string(i);
        if (!store.Save(pipeline, Sample(t * 100 + i, 2))) ++failed;
        // And one pipeline every thread writes to, each with incarnations of its own.
        if (i % 2 == 0 && !store.Save("shared", shared_parts[t])) ++failed;
      }
    });
  }
  // Reads meanwhile see one whole version of the file each time.
  int reads = 0;
  while (reads < 50) {
    Result<StoredHistories> loaded = store.LoadAll();
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    ++reads;
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);

  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->size(), static_cast<size_t>(kThreads * kPipelinesPerThread + 1));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPipelinesPerThread; ++i) {
      const std::string pipeline = "t" + std::to_string(t) + "-p" + std::to_string(i);
      ASSERT_EQ(loaded->count(pipeline), 1u) << pipeline;
      EXPECT_EQ(Json(loaded->at(pipeline)), Json(Sample(t * 100 + i, 2))) << pipeline;
    }
  }
  std::vector<const IncarnationHistory*> parts;
  for (const IncarnationHistory& part : shared_parts) parts.push_back(&part);
  EXPECT_EQ(UuidsOf(loaded->at("shared")), UuidsOf(parts));
  EXPECT_FALSE(std::filesystem::exists(File() + ".tmp"));
}

TEST_F(FileHistoryStoreTest, UnwritableLocationIsANulloptNotACrash) {
  FileHistoryStore store(dir_.path() + "/no-such-dir/histories.json", 32);
  EXPECT_FALSE(store.Save("p", Sample(0, 1)).has_value());
  Result<StoredHistories> loaded = store.LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_TRUE(loaded->empty());
}

// A file whose existence cannot even be checked is not taken for a missing one: loading is an
// error (not an empty history that the next save would write over every other pipeline's).
TEST_F(FileHistoryStoreTest, APathThatCannotBeCheckedIsAnErrorNotAnEmptyHistory) {
  // A name longer than any file system allows (ENAMETOOLONG): one way to fail that root, which
  // reads every file whatever its mode, meets too.
  FileHistoryStore store(dir_.path() + "/" + std::string(300, 'h'), 32);
  EXPECT_FALSE(store.LoadAll().ok());
  EXPECT_FALSE(store.Save("p", Sample(0, 1)).has_value());
}

// ---------------------------------------------------------------------------------------------
// ConfigMapHistoryStore

constexpr char kNamespace[] = "feldera";

class ConfigMapHistoryStoreTest : public ::testing::Test {
 protected:
  ConfigMapHistoryStoreTest() : server_(FreePort()) { server_.Start(); }

  // A store as one replica of the service holds it.
  std::unique_ptr<ConfigMapHistoryStore> Replica(size_t capacity = 32) {
    return std::make_unique<ConfigMapHistoryStore>(
        kube::KubeConnection::ForUrl(server_.Url()).value(), kNamespace, capacity);
  }
  std::optional<web::json::value> Stored(const std::string& pipeline) const {
    return server_.GetConfigMap(kNamespace, ConfigMapHistoryStore::ConfigMapName(pipeline));
  }
  int64_t Requests(const std::string& verb) const {
    const auto counters = server_.Counters();
    const auto found = counters.requests_by_verb.find(verb);
    return found == counters.requests_by_verb.end() ? 0 : found->second;
  }
  IncarnationHistory StoredHistory(const std::string& pipeline) const {
    const auto stored = Stored(pipeline);
    if (!stored) return IncarnationHistory();
    return IncarnationHistory::FromJson(
        web::json::value::parse(stored->at("data").at("history.json").as_string()), 32);
  }

  FakeKubeApiServer server_;
};

TEST_F(ConfigMapHistoryStoreTest, ConfigMapNamesAreValidAndDistinct) {
  const std::vector<std::string> pipelines = {
      "orders", "Orders", "orders_", "orders-", std::string(100, 'x'), std::string(100, 'x') + "y"};
  std::set<std::string> names;
  for (const std::string& pipeline : pipelines) {
    const std::string name = ConfigMapHistoryStore::ConfigMapName(pipeline);
    EXPECT_LE(name.size(), 253u) << name;
    for (char c : name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') << name;
    }
    EXPECT_EQ(name, ConfigMapHistoryStore::ConfigMapName(pipeline));  // stable
    names.insert(name);
  }
  EXPECT_EQ(names.size(), pipelines.size());
}

TEST_F(ConfigMapHistoryStoreTest, FirstSaveCreatesTheLabelledConfigMapAndTheNextUpdatesIt) {
  auto store = Replica();
  const IncarnationHistory first = Sample(0, 2);
  std::optional<IncarnationHistory> saved = store->Save("orders", first);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(Json(*saved), Json(first));
  EXPECT_EQ(Requests("create"), 1);
  EXPECT_EQ(Requests("update"), 0);

  std::optional<web::json::value> created = Stored("orders");
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->at("metadata").at("labels").at("app.kubernetes.io/managed-by").as_string(),
            "completion-sidecar");
  EXPECT_EQ(created->at("data").at("pipeline").as_string(), "orders");
  EXPECT_EQ(Json(StoredHistory("orders")), Json(first));
  const std::string created_version = created->at("metadata").at("resourceVersion").as_string();

  // The next incarnation: the current one ended, a new one began.
  IncarnationHistory second = first;
  second.Begin(Seen(100), EndedAt(90, "OOMKilled", 137));
  saved = store->Save("orders", second);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(Json(*saved), Json(second));
  EXPECT_EQ(Requests("create"), 1);
  EXPECT_EQ(Requests("update"), 1);

  std::optional<web::json::value> updated = Stored("orders");
  ASSERT_TRUE(updated.has_value());
  EXPECT_NE(updated->at("metadata").at("resourceVersion").as_string(), created_version);
  EXPECT_EQ(updated->at("metadata").at("uid").as_string(),
            created->at("metadata").at("uid").as_string());  // the same object, updated
  const IncarnationHistory stored = StoredHistory("orders");
  EXPECT_EQ(Json(stored), Json(second));
  ASSERT_EQ(stored.entries().size(), 3u);
  EXPECT_EQ(stored.entries()[1].end->exit_code, 137);
}

TEST_F(ConfigMapHistoryStoreTest, LoadAllReadsEveryHistoryWithOneListByLabel) {
  auto store = Replica();
  const std::map<std::string, IncarnationHistory> written = {
      {"orders", Sample(0, 3)}, {"fraud", Sample(100, 1)}, {"clicks", Sample(200, 2)}};
  for (const auto& [pipeline, history] : written) {
    ASSERT_TRUE(store->Save(pipeline, history).has_value()) << pipeline;
  }
  // Neighbours LoadAll must not take: another application's ConfigMap, a labelled copy (of another
  // history) under a name that is not its pipeline's, and a labelled one whose history is not JSON.
  server_.CreateConfigMap(web::json::value::parse(
      R"({"metadata":{"name":"unrelated","namespace":"feldera"},"data":{"pipeline":"orders","history.json":"[]"}})"));
  web::json::value copy = Stored("orders").value();
  copy["metadata"] = web::json::value::parse(
      R"({"name":"copied","namespace":"feldera","labels":{"app.kubernetes.io/managed-by":"completion-sidecar"}})");
  copy["data"]["history.json"] = web::json::value::string(Json(Sample(500, 1)));
  server_.CreateConfigMap(copy);
  web::json::value garbled = web::json::value::object();
  garbled["metadata"]["name"] =
      web::json::value::string(ConfigMapHistoryStore::ConfigMapName("garbled"));
  garbled["metadata"]["namespace"] = web::json::value::string(kNamespace);
  garbled["metadata"]["labels"]["app.kubernetes.io/managed-by"] =
      web::json::value::string("completion-sidecar");
  garbled["data"]["pipeline"] = web::json::value::string("garbled");
  garbled["data"]["history.json"] = web::json::value::string("[{not json");
  server_.CreateConfigMap(garbled);

  server_.ClearRequestLog();
  // A fresh replica, as after a restart.
  Result<StoredHistories> loaded = Replica()->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ASSERT_EQ(loaded->size(), written.size());
  for (const auto& [pipeline, history] : written) {
    ASSERT_EQ(loaded->count(pipeline), 1u) << pipeline;
    EXPECT_EQ(Json(loaded->at(pipeline)), Json(history)) << pipeline;
  }

  const auto counters = server_.Counters();
  EXPECT_EQ(counters.requests, 1);
  EXPECT_EQ(Requests("list"), 1);
  EXPECT_EQ(Requests("get"), 0);
  const auto log = server_.RequestLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].namespace_name, kNamespace);
  EXPECT_EQ(log[0].resource, "configmaps");
  EXPECT_NE(log[0].query.find("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dcompletion-sidecar"),
            std::string::npos)
      << log[0].query;
}

TEST_F(ConfigMapHistoryStoreTest, LoadAllOfAnEmptyNamespaceIsEmpty) {
  Result<StoredHistories> loaded = Replica()->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_TRUE(loaded->empty());
}

// Replica B saves after replica A: B's save reads A's history and writes the union.
TEST_F(ConfigMapHistoryStoreTest, TwoReplicasSavingOnePipelineEndWithTheMergedHistory) {
  auto a = Replica();
  auto b = Replica();
  const IncarnationHistory seen_by_a = Sample(0, 2);
  IncarnationHistory seen_by_b = HistoryOf({Seen(100)});
  seen_by_b.MutableNewest()->end = EndedAt(150, "Evicted", std::nullopt);
  ASSERT_TRUE(a->Save("orders", seen_by_a).has_value());
  std::optional<IncarnationHistory> saved = b->Save("orders", seen_by_b);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->entries().size(), 3u);
  EXPECT_EQ(UuidsOf(*saved), UuidsOf({&seen_by_a, &seen_by_b}));
  EXPECT_EQ(Json(StoredHistory("orders")), Json(*saved));
  // A's running incarnation ended when B's began, in the merged history.
  EXPECT_EQ(saved->Newest()->end->reason, "Evicted");
  EXPECT_TRUE(saved->entries()[1].ended());
}

// Both replicas found no ConfigMap; A created it first, so B's create gets 409 AlreadyExists. B
// must read A's ConfigMap, merge and update it, not give up or overwrite. (The fake answers B's
// first read 404 while A's ConfigMap exists: B read before A created.)
TEST_F(ConfigMapHistoryStoreTest, CreateConflictWithAnotherReplicaIsMergedNotLost) {
  auto a = Replica();
  auto b = Replica();
  const IncarnationHistory seen_by_a = Sample(0, 2);
  const IncarnationHistory seen_by_b = HistoryOf({Seen(100)});
  ASSERT_TRUE(a->Save("orders", seen_by_a).has_value());

  server_.ClearRequestLog();
  server_.FailRequests(404, 1, std::chrono::milliseconds(0), 0, "get");
  std::optional<IncarnationHistory> saved = b->Save("orders", seen_by_b);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(UuidsOf(*saved), UuidsOf({&seen_by_a, &seen_by_b}));
  EXPECT_EQ(Json(StoredHistory("orders")), Json(*saved));
  EXPECT_EQ(server_.Counters().injected_failures, 1);
  EXPECT_EQ(Requests("create"), 1);  // refused: it existed
  EXPECT_EQ(Requests("get"), 2);     // the injected 404, then A's ConfigMap
  EXPECT_EQ(Requests("update"), 1);
}

// A 409 on the update (the ConfigMap changed since it was read) is retried with a fresh read.
TEST_F(ConfigMapHistoryStoreTest, UpdateConflictIsRetried) {
  auto store = Replica();
  ASSERT_TRUE(store->Save("orders", Sample(0, 1)).has_value());
  server_.ClearRequestLog();
  server_.FailRequests(409, 2, std::chrono::milliseconds(0), 0, "update");
  const IncarnationHistory next = Sample(0, 2);
  std::optional<IncarnationHistory> saved = store->Save("orders", next);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(Json(*saved), Json(next));
  EXPECT_EQ(Json(StoredHistory("orders")), Json(next));
  EXPECT_EQ(Requests("update"), 3);
  EXPECT_EQ(Requests("get"), 3);
}

// Two replicas saving one pipeline at once, each its own growing history: whatever interleaving
// the server sees, the stored history ends as the union of both.
TEST_F(ConfigMapHistoryStoreTest, ConcurrentReplicasLoseNoIncarnation) {
  constexpr int kSaves = 10;
  std::vector<std::unique_ptr<ConfigMapHistoryStore>> replicas;
  replicas.push_back(Replica());
  replicas.push_back(Replica());
  std::vector<IncarnationHistory> histories(replicas.size());
  std::vector<bool> last_saved(replicas.size(), false);
  std::vector<std::thread> threads;
  for (size_t r = 0; r < replicas.size(); ++r) {
    threads.emplace_back([&, r] {
      for (int i = 0; i < kSaves; ++i) {
        // Incarnations of the two replicas interleave in time.
        histories[r].Begin(Seen(10 * i + static_cast<int64_t>(r)), EndedAt(0, "x", std::nullopt));
        last_saved[r] = replicas[r]->Save("shared", histories[r]).has_value();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // A save can give up after repeated conflicts; the replica's next save carries its whole
  // history, as the service's next change would.
  for (size_t r = 0; r < replicas.size(); ++r) {
    if (!last_saved[r]) {
      ASSERT_TRUE(replicas[r]->Save("shared", histories[r]).has_value());
    }
  }
  const IncarnationHistory stored = StoredHistory("shared");
  EXPECT_EQ(stored.entries().size(), static_cast<size_t>(2 * kSaves));
  EXPECT_EQ(UuidsOf(stored), UuidsOf({&histories[0], &histories[1]}));
  EXPECT_EQ(stored.Newest()->first_seen, At(10 * (kSaves - 1) + 1));
  Result<StoredHistories> loaded = replicas[0]->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("shared")), Json(stored));
}

TEST_F(ConfigMapHistoryStoreTest, ApiErrorsAreErrorResultsNotCrashes) {
  auto store = Replica();
  ASSERT_TRUE(store->Save("orders", Sample(0, 1)).has_value());

  server_.FailRequests(500, -1);
  Result<StoredHistories> loaded = store->LoadAll();
  EXPECT_FALSE(loaded.ok());
  EXPECT_FALSE(loaded.error().empty());
  EXPECT_FALSE(store->Save("orders", Sample(0, 2)).has_value());  // the read fails
  server_.FailRequests(500, -1, std::chrono::milliseconds(0), 0, "update");
  EXPECT_FALSE(store->Save("orders", Sample(0, 2)).has_value());  // the write fails
  server_.FailRequests(403, -1, std::chrono::milliseconds(0), 0, "create");
  EXPECT_FALSE(store->Save("fraud", Sample(0, 2)).has_value());
  // A conflict that never settles ends too.
  server_.FailRequests(409, -1, std::chrono::milliseconds(0), 0, "update");
  server_.ClearRequestLog();
  EXPECT_FALSE(store->Save("orders", Sample(0, 2)).has_value());
  EXPECT_GT(Requests("update"), 1);
  EXPECT_LE(Requests("update"), 16);

  server_.ClearFaults();
  EXPECT_EQ(Json(StoredHistory("orders")), Json(Sample(0, 1)));  // untouched by the failures
  EXPECT_FALSE(Stored("fraud").has_value());
  ASSERT_TRUE(store->Save("orders", Sample(0, 2)).has_value());  // and it recovers
  EXPECT_EQ(Json(StoredHistory("orders")), Json(Sample(0, 2)));

  // No server at all.
  ConfigMapHistoryStore unreachable(
      kube::KubeConnection::ForUrl("http://127.0.0.1:" + std::to_string(FreePort())).value(),
      kNamespace, 32);
  EXPECT_FALSE(unreachable.LoadAll().ok());
  EXPECT_FALSE(unreachable.Save("orders", Sample(0, 1)).has_value());
}

// ---------------------------------------------------------------------------------------------
// HistoryWriter

// Records every Save; can hold saves until released, and fail them.
class ScriptedStore : public HistoryStore {
 public:
  Result<StoredHistories> LoadAll() override {
    std::lock_guard lock(mu_);
    return Result<StoredHistories>::Ok(stored_);
  }
  std::optional<IncarnationHistory> Save(const std::string& pipeline,
                                         const IncarnationHistory& history) override {
    std::unique_lock lock(mu_);
    saves_.emplace_back(pipeline, history);
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
    if (failing_) return std::nullopt;
    stored_.insert_or_assign(pipeline, history);
    return history;
  }

  void Hold(bool held) {
    std::lock_guard lock(mu_);
    held_ = held;
    cv_.notify_all();
  }
  void Fail(bool failing) {
    std::lock_guard lock(mu_);
    failing_ = failing;
  }
  // Waits until `count` saves have begun.
  bool WaitForSaves(size_t count) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return saves_.size() >= count; });
  }
  std::vector<std::pair<std::string, IncarnationHistory>> saves() {
    std::lock_guard lock(mu_);
    return saves_;
  }
  StoredHistories stored() {
    std::lock_guard lock(mu_);
    return stored_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  bool failing_ = false;
  std::vector<std::pair<std::string, IncarnationHistory>> saves_;
  StoredHistories stored_;
};

TEST(HistoryWriterTest, EnqueueThenFlushWrites) {
  auto store = std::make_shared<ScriptedStore>();
  HistoryWriter writer(store);
  const IncarnationHistory orders = Sample(0, 2);
  const IncarnationHistory fraud = Sample(100, 1);
  writer.Enqueue("orders", orders);
  writer.Enqueue("fraud", fraud);
  writer.Flush();
  const StoredHistories stored = store->stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(Json(stored.at("orders")), Json(orders));
  EXPECT_EQ(Json(stored.at("fraud")), Json(fraud));
  EXPECT_EQ(store->saves().size(), 2u);
  writer.Flush();  // nothing pending: returns at once
}

TEST(HistoryWriterTest, WritesToARealStoreOnItsThread) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto store = std::make_shared<FileHistoryStore>(dir.path() + "/h.json", 32);
  const IncarnationHistory history = Sample(0, 3);
  {
    HistoryWriter writer(store);
    writer.Enqueue("orders", history);
  }  // the destructor flushes
  Result<StoredHistories> loaded = store->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("orders")), Json(history));
}

// While a save is under way, every Enqueue of one pipeline replaces the pending one: the store
// then gets the latest only, once.
TEST(HistoryWriterTest, EnqueuesOfOnePipelineCoalesceToTheLatest) {
  auto store = std::make_shared<ScriptedStore>();
  HistoryWriter writer(store);
  store->Hold(true);
  writer.Enqueue("orders", Sample(0, 1));
  ASSERT_TRUE(store->WaitForSaves(1));  // the writer is inside Save, held
  for (int n = 2; n <= 20; ++n) writer.Enqueue("orders", Sample(0, n));
  writer.Enqueue("fraud", Sample(500, 1));
  writer.Enqueue("fraud", Sample(500, 2));
  store->Hold(false);
  writer.Flush();

  const auto saves = store->saves();
  ASSERT_EQ(saves.size(), 3u);
  EXPECT_EQ(saves[0].first, "orders");
  EXPECT_EQ(Json(saves[0].second), Json(Sample(0, 1)));
  std::map<std::string, std::string> rest;
  for (size_t i = 1; i < saves.size(); ++i) rest[saves[i].first] = Json(saves[i].second);
  EXPECT_EQ(rest, (std::map<std::string, std::string>{{"orders", Json(Sample(0, 20))},
                                                      {"fraud", Json(Sample(500, 2))}}));
  EXPECT_EQ(Json(store->stored().at("orders")), Json(Sample(0, 20)));
}

// Flush waits for the save under way too, not only for the queue.
TEST(HistoryWriterTest, FlushWaitsForTheSaveUnderWay) {
  auto store = std::make_shared<ScriptedStore>();
  HistoryWriter writer(store);
  store->Hold(true);
  writer.Enqueue("orders", Sample(0, 1));
  ASSERT_TRUE(store->WaitForSaves(1));
  std::atomic<bool> flushed{false};
  std::thread flusher([&] {
    writer.Flush();
    flushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(flushed.load());
  store->Hold(false);
  flusher.join();
  EXPECT_TRUE(flushed.load());
  EXPECT_EQ(store->stored().count("orders"), 1u);
}

// The header promises no retry: a failed save is dropped, and Flush returns rather than wait for
// a store that cannot write. What it must not do is stop writing: the writer thread goes on, and
// the pipeline's next history (which holds everything the failed one did) is written once the
// store works again.
TEST(HistoryWriterTest, AFailingStoreNeitherHangsNorStopsTheWriter) {
  auto store = std::make_shared<ScriptedStore>();
  HistoryWriter writer(store);
  store->Fail(true);
  writer.Enqueue("orders", Sample(0, 1));
  writer.Enqueue("fraud", Sample(100, 1));
  writer.Flush();
  EXPECT_EQ(store->saves().size(), 2u);
  EXPECT_TRUE(store->stored().empty());

  store->Fail(false);
  writer.Enqueue("orders", Sample(0, 2));
  writer.Flush();
  ASSERT_EQ(store->saves().size(), 3u);
  EXPECT_EQ(Json(store->stored().at("orders")), Json(Sample(0, 2)));
}

// With the ConfigMap store under it, a server that refuses a while loses nothing that is
// enqueued again after it recovers.
TEST(HistoryWriterTest, OverConfigMapsAnApiOutageIsCaughtUpByTheNextEnqueue) {
  FakeKubeApiServer server(FreePort());
  server.Start();
  auto store = std::make_shared<ConfigMapHistoryStore>(
      kube::KubeConnection::ForUrl(server.Url()).value(), kNamespace, 32);
  HistoryWriter writer(store);
  server.FailRequests(503, -1);
  writer.Enqueue("orders", Sample(0, 2));
  writer.Flush();
  EXPECT_FALSE(
      server.GetConfigMap(kNamespace, ConfigMapHistoryStore::ConfigMapName("orders")).has_value());
  server.ClearFaults();
  writer.Enqueue("orders", Sample(0, 3));
  writer.Flush();
  Result<StoredHistories> loaded = store->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(Json(loaded->at("orders")), Json(Sample(0, 3)));
}

}  // namespace
}  // namespace sidecar
