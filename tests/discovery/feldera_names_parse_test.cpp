// The pure parts of pipeline name resolution: the pipeline list parser and the fetch rule.
#include <gtest/gtest.h>

#include <string>

#include "discovery/feldera_names.h"

namespace sidecar {
namespace {

using namespace std::chrono_literals;

// Shaped like Feldera's own example answer to `GET /v0/pipelines` (openapi.json, list_pipelines),
// trimmed to the fields `selector=status` keeps, with its nulls and nested objects.
constexpr const char* kFelderaListExample = R"([
  {"id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "name": "example1",
   "description": "Description of the pipeline example1", "created_at": "1970-01-01T00:00:00Z",
   "version": 4, "platform_version": "v0", "program_version": 2, "program_status": "Pending",
   "program_status_since": "1970-01-01T00:00:00Z",
   "program_error": {"sql_compilation": null, "rust_compilation": null, "system_error": null},
   "deployment_error": null, "refresh_version": 4, "storage_status": "Cleared",
   "deployment_id": null, "deployment_status": "Stopped",
   "deployment_desired_status": "Stopped", "deployment_runtime_status": null},
  {"id": "67e55044-10b1-426f-9247-bb680e5fe0c9", "name": "example2",
   "description": "Description of the pipeline example2", "version": 1,
   "deployment_status": "Running", "deployment_runtime_status": "Running"}
])";

TEST(ParsePipelineListTest, ReadsIdsAndNamesFromFelderasExample) {
  Result<PipelineNamesById> names = ParsePipelineList(kFelderaListExample);
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_EQ(names.value(),
            (PipelineNamesById{{"67e55044-10b1-426f-9247-bb680e5fe0c8", "example1"},
                               {"67e55044-10b1-426f-9247-bb680e5fe0c9", "example2"}}));
}

TEST(ParsePipelineListTest, EmptyListIsNoPipelines) {
  Result<PipelineNamesById> names = ParsePipelineList("[]");
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names.value().empty());
}

TEST(ParsePipelineListTest, SkipsDescriptorsWithoutStringIdAndName) {
  Result<PipelineNamesById> names = ParsePipelineList(R"([
    {"id": "a", "name": "kept"},
    {"id": "b"},
    {"name": "no-id"},
    {"id": 7, "name": "numeric-id"},
    {"id": "c", "name": null},
    {"id": "", "name": "empty-id"},
    {"id": "d", "name": ""},
    "a string", 42, null, [], {}
  ])");
  ASSERT_TRUE(names.ok()) << names.error();
  EXPECT_EQ(names.value(), (PipelineNamesById{{"a", "kept"}}));
}

TEST(ParsePipelineListTest, RejectsWhatIsNotAJsonArray) {
  const std::string hostile[] = {
      "",
      "<html>502 Bad Gateway</html>",
      R"({"message":"Unauthorized","error_code":"Unauthorized","details":{}})",
      "null",
      "\"pipelines\"",
      R"([{"id": "a", "name": "cut off)",
      std::string(100000, '['),
      std::string("[\0]", 3),
  };
  for (const std::string& body : hostile) {
    EXPECT_FALSE(ParsePipelineList(body).ok()) << body.substr(0, 80);
  }
}

class ShouldFetchTest : public ::testing::Test {
 protected:
  ShouldFetchTest() {
    options.refresh_interval = 30s;
    options.min_refetch = 1s;
  }
  FelderaNamesOptions options;
  const NameCacheTimes::Clock::time_point t0{std::chrono::hours(1)};
};

TEST_F(ShouldFetchTest, FirstQuestionFetches) {
  EXPECT_TRUE(ShouldFetch({}, false, t0, options));
}

TEST_F(ShouldFetchTest, FreshCacheHitDoesNotFetch) {
  NameCacheTimes times{.last_success = t0, .last_attempt = t0};
  EXPECT_FALSE(ShouldFetch(times, true, t0 + 29s, options));
}

TEST_F(ShouldFetchTest, StaleCacheHitFetches) {
  NameCacheTimes times{.last_success = t0, .last_attempt = t0};
  EXPECT_TRUE(ShouldFetch(times, true, t0 + 30s, options));
}

TEST_F(ShouldFetchTest, MissFetchesOnlyAfterMinRefetch) {
  NameCacheTimes times{.last_success = t0, .last_attempt = t0};
  EXPECT_FALSE(ShouldFetch(times, false, t0 + 999ms, options));
  EXPECT_TRUE(ShouldFetch(times, false, t0 + 1s, options));
}

TEST_F(ShouldFetchTest, FailedAttemptsAreRateLimitedToo) {
  NameCacheTimes times{.last_success = std::nullopt, .last_attempt = t0};
  EXPECT_FALSE(ShouldFetch(times, false, t0 + 500ms, options));
  EXPECT_FALSE(ShouldFetch(times, true, t0 + 500ms, options));
  EXPECT_TRUE(ShouldFetch(times, true, t0 + 1s, options));
}

}  // namespace
}  // namespace sidecar
