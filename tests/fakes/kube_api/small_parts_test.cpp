// Unit tests of the fake's small pure parts: merge patch, fault rules, Status objects.
#include <gtest/gtest.h>

#include "fakes/kube_api/api_error.h"
#include "fakes/kube_api/fault_injector.h"
#include "fakes/kube_api/merge_patch.h"

namespace sidecar::testing::kubefake {
namespace {

using std::chrono::milliseconds;

TEST(MergePatch, FollowsRfc7386) {
  const auto target = web::json::value::parse(R"({"a":"b","c":{"d":"e","f":"g"},"l":[1,2]})");
  const auto patch = web::json::value::parse(R"({"a":"z","c":{"f":null,"h":1},"l":[3]})");
  EXPECT_EQ(ApplyMergePatch(target, patch),
            web::json::value::parse(R"({"a":"z","c":{"d":"e","h":1},"l":[3]})"));
  EXPECT_EQ(ApplyMergePatch(target, web::json::value::number(1)), web::json::value::number(1));
  EXPECT_EQ(ApplyMergePatch(web::json::value::null(), patch).at("c"),
            web::json::value::parse(R"({"h":1})"));
}

TEST(FaultInjector, CountsDownThenStops) {
  FaultInjector faults;
  const auto now = FaultInjector::Clock::now();
  faults.FailRequests(503, 2, milliseconds(0), 3, "", now);
  const auto first = faults.Take("list", now);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 503);
  EXPECT_EQ(first->retry_after_seconds, 3);
  EXPECT_TRUE(faults.Take("watch", now));
  EXPECT_FALSE(faults.Take("list", now));
}

TEST(FaultInjector, UnlimitedUntilTheDurationEnds) {
  FaultInjector faults;
  const auto now = FaultInjector::Clock::now();
  faults.FailRequests(500, -1, milliseconds(100), 0, "", now);
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(faults.Take("get", now + milliseconds(99)));
  EXPECT_FALSE(faults.Take("get", now + milliseconds(100)));
}

TEST(FaultInjector, OnlyTheChosenVerbFails) {
  FaultInjector faults;
  faults.FailRequests(429, 1, milliseconds(0), 1, "watch");
  EXPECT_FALSE(faults.Take("list"));
  EXPECT_TRUE(faults.Take("watch"));
  EXPECT_FALSE(faults.Take("watch"));
  faults.FailRequests(500, -1, milliseconds(0), 0, "");
  faults.Clear();
  EXPECT_FALSE(faults.Take("list"));
}

TEST(ApiError, StatusObjectsHaveTheServerShape) {
  const auto status = ApiError::ForCode(429, 2).ToStatus();
  EXPECT_EQ(status, web::json::value::parse(
                        R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                            "message":"Too many requests, please try again later.",
                            "reason":"TooManyRequests","details":{"retryAfterSeconds":2},
                            "code":429})"));
  const auto not_found = ApiError::NotFound("pods", "web-0").ToStatus();
  EXPECT_EQ(not_found.at("message").as_string(), "pods \"web-0\" not found");
  EXPECT_EQ(not_found.at("details").at("kind").as_string(), "pods");
  EXPECT_EQ(ApiError::Conflict("configmaps", "c").code(), 409);
}

}  // namespace
}  // namespace sidecar::testing::kubefake
