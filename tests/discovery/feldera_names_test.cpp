// FelderaPipelineNames against a fake Feldera API server over loopback.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "discovery/feldera_names.h"
#include "fakes/feldera_api/fake_feldera_api.h"
#include "support/process.h"

namespace sidecar {
namespace {

using namespace std::chrono_literals;
using testing::FakeFelderaApi;
using testing::FakePipeline;
using testing::WaitUntil;

constexpr const char* kIdA = "0196b120-6203-7b90-b6bd-16890df15e28";
constexpr const char* kIdB = "0196b120-6203-7b90-b6bd-16890df15e29";
constexpr const char* kUnknownId = "0196b120-6203-7b90-b6bd-000000000000";

class FelderaNamesTest : public ::testing::Test {
 protected:
  FelderaNamesTest() {
    api.SetPipelines({{kIdA, "orders"}});
    options.api_url = api.Url();
    // Each test names the intervals it relies on; these keep the others out of the way.
    options.refresh_interval = 1h;
    options.min_refetch = 0ms;
    options.request_timeout = 10s;
  }

  ~FelderaNamesTest() override {
    if (!key_path.empty()) std::filesystem::remove(key_path);
  }

  // Writes the key file and moves its modification time to `stamp` seconds after a fixed epoch,
  // so that a rewrite is seen as a change whatever the file system's timestamp granularity.
  void WriteKeyFile(const std::string& content, int stamp) {
    if (key_path.empty()) {
      key_path = std::filesystem::temp_directory_path() /
                 ("feldera-api-key-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    }
    std::ofstream(key_path, std::ios::trunc) << content;
    std::filesystem::last_write_time(key_path, std::filesystem::file_time_type() +
                                                   std::chrono::hours(24 * 365 * 50) +
                                                   std::chrono::seconds(stamp));
    options.api_key_file = key_path.string();
  }

  FakeFelderaApi api;
  FelderaNamesOptions options;
  std::filesystem::path key_path;
};

TEST_F(FelderaNamesTest, AsksForTheSmallStatusDescriptors) {
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), "orders");
  EXPECT_EQ(api.LastQuery(), "selector=status");
  EXPECT_EQ(api.LastAuthorization(), "");
}

TEST_F(FelderaNamesTest, CacheHitDoesNotFetchAgain) {
  FelderaPipelineNames names(options);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(names.NameForId(kIdA), "orders");
  EXPECT_EQ(api.PipelineListRequests(), 1);
}

TEST_F(FelderaNamesTest, RefreshesAfterTheInterval) {
  options.refresh_interval = 20ms;
  FelderaPipelineNames names(options);
  ASSERT_EQ(names.NameForId(kIdA), "orders");
  api.SetPipelines({{kIdA, "orders-renamed"}});
  EXPECT_TRUE(WaitUntil([&] { return names.NameForId(kIdA) == "orders-renamed"; }));
  EXPECT_GE(api.PipelineListRequests(), 2);
}

TEST_F(FelderaNamesTest, UnknownIdsFetchOnceThenAreRateLimited) {
  options.min_refetch = 1h;
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kUnknownId), std::nullopt);
  api.SetPipelines({{kIdA, "orders"}, {kIdB, "payments"}});
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(names.NameForId(kUnknownId + std::to_string(i)), std::nullopt);
    EXPECT_EQ(names.NameForId(kIdB), std::nullopt);  // created after the only fetch
  }
  EXPECT_EQ(names.NameForId(kIdA), "orders");
  EXPECT_EQ(api.PipelineListRequests(), 1);
}

TEST_F(FelderaNamesTest, MissFetchesAgainOnceTheRateLimitAllows) {
  options.min_refetch = 20ms;
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdB), std::nullopt);
  api.SetPipelines({{kIdA, "orders"}, {kIdB, "payments"}});
  EXPECT_TRUE(WaitUntil([&] { return names.NameForId(kIdB) == "payments"; }));
}

TEST_F(FelderaNamesTest, SendsTheTrimmedKeyAndRereadsItWhenTheFileChanges) {
  WriteKeyFile("  key-one\n", 1);
  api.RequireApiKey("key-one");
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), "orders");
  EXPECT_EQ(api.LastAuthorization(), "Bearer key-one");

  WriteKeyFile("key-two\n", 2);
  api.RequireApiKey("key-two");
  api.SetPipelines({{kIdA, "orders"}, {kIdB, "payments"}});
  EXPECT_EQ(names.NameForId(kIdB), "payments");  // a miss: fetched with the new key
  EXPECT_EQ(api.LastAuthorization(), "Bearer key-two");
}

TEST_F(FelderaNamesTest, WrongKeyAnswersNullopt) {
  WriteKeyFile("stale-key", 1);
  api.RequireApiKey("current-key");
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
  EXPECT_EQ(api.PipelineListRequests(), 1);
}

TEST_F(FelderaNamesTest, MissingKeyFileAnswersNulloptWithoutAsking) {
  options.api_key_file = "/nonexistent/feldera-api-key";
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
  EXPECT_EQ(api.PipelineListRequests(), 0);
}

class FelderaNamesFaultTest : public FelderaNamesTest,
                              public ::testing::WithParamInterface<FakeFelderaApi::Fault> {};

TEST_P(FelderaNamesFaultTest, ServerFaultAnswersNulloptThenRecovers) {
  api.SetFault(GetParam());
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
  EXPECT_EQ(api.PipelineListRequests(), 1);
  api.SetFault(FakeFelderaApi::Fault::kNone);
  EXPECT_EQ(names.NameForId(kIdA), "orders");
}

INSTANTIATE_TEST_SUITE_P(Faults, FelderaNamesFaultTest,
                         ::testing::Values(FakeFelderaApi::Fault::kServerError,
                                           FakeFelderaApi::Fault::kGarbage),
                         [](const ::testing::TestParamInfo<FakeFelderaApi::Fault>& info) {
                           return info.param == FakeFelderaApi::Fault::kServerError ? "ServerError"
                                                                                    : "Garbage";
                         });

TEST_F(FelderaNamesTest, KnownNamesSurviveAFailedRefresh) {
  options.refresh_interval = 0ms;
  FelderaPipelineNames names(options);
  ASSERT_EQ(names.NameForId(kIdA), "orders");
  api.SetFault(FakeFelderaApi::Fault::kServerError);
  EXPECT_EQ(names.NameForId(kIdA), "orders");
  EXPECT_EQ(api.PipelineListRequests(), 2);
}

TEST_F(FelderaNamesTest, RefusedConnectionAnswersNullopt) {
  options.api_url = "http://127.0.0.1:" + std::to_string(testing::FreePort());
  FelderaPipelineNames names(options);
  EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
}

TEST_F(FelderaNamesTest, UnusableUrlAnswersNullopt) {
  for (const char* url : {"", "not a url", "http://[::1", "ftp://127.0.0.1:1/"}) {
    options.api_url = url;
    FelderaPipelineNames names(options);
    EXPECT_EQ(names.NameForId(kIdA), std::nullopt) << url;
  }
}

TEST_F(FelderaNamesTest, ConcurrentCallersShareOneFetch) {
  FelderaPipelineNames names(options);
  api.HoldResponses();
  constexpr int kCallers = 16;
  std::atomic<int> started{0};
  std::atomic<int> answered_orders{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      ++started;
      if (names.NameForId(kIdA) == "orders") ++answered_orders;
    });
  }
  // EXPECT, not ASSERT: the callers must be released and joined even when this fails.
  EXPECT_TRUE(WaitUntil([&] { return api.PipelineListRequests() == 1 && started == kCallers; }));
  api.ReleaseResponses();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(answered_orders, kCallers);
  EXPECT_EQ(api.PipelineListRequests(), 1);
}

// Captures what the default logger writes while the test runs.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string Text() const { return text_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST_F(FelderaNamesTest, LogsEachFailureKindOnceAndNeverTheKey) {
  WriteKeyFile("secret-key-value", 1);
  api.RequireApiKey("another-key");
  CapturedLog log;
  {
    FelderaPipelineNames names(options);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
    api.RequireApiKey("");
    api.SetFault(FakeFelderaApi::Fault::kServerError);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(names.NameForId(kIdA), std::nullopt);
    api.SetFault(FakeFelderaApi::Fault::kNone);
    EXPECT_EQ(names.NameForId(kIdA), "orders");
  }
  EXPECT_EQ(api.PipelineListRequests(), 11);
  const std::string text = log.Text();
  EXPECT_EQ(Occurrences(text, "HTTP 401"), 1u) << text;
  EXPECT_EQ(Occurrences(text, "HTTP 500"), 1u) << text;
  EXPECT_EQ(Occurrences(text, "again"), 1u) << text;
  EXPECT_EQ(text.find("secret-key-value"), std::string::npos) << text;
}

}  // namespace
}  // namespace sidecar
