#include "kube/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace sidecar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// A random source that always returns `value`.
UniformRandom Fixed(double value) {
  return [value] { return value; };
}

TEST(Backoff, CeilingDoublesFrom800MillisecondsToA30SecondCap) {
  // Just below 1, the delay is the ceiling (less rounding); that exposes the ceiling sequence.
  Backoff backoff({}, Fixed(0.999999));
  Backoff::Clock::time_point now{};
  std::vector<milliseconds> delays;
  for (int i = 0; i < 8; ++i) {
    delays.push_back(backoff.NextDelay(now));
    now += seconds(1);
  }
  EXPECT_EQ(delays,
            (std::vector<milliseconds>{milliseconds(799), milliseconds(1599), milliseconds(3199),
                                       milliseconds(6399), milliseconds(12799), milliseconds(25599),
                                       milliseconds(29999), milliseconds(29999)}));
}

TEST(Backoff, FullJitterScalesTheCeiling) {
  Backoff zero({}, Fixed(0.0));
  EXPECT_EQ(zero.NextDelay({}), milliseconds(0));
  Backoff half({}, Fixed(0.5));
  Backoff::Clock::time_point now{};
  EXPECT_EQ(half.NextDelay(now), milliseconds(400));
  EXPECT_EQ(half.NextDelay(now), milliseconds(800));
  EXPECT_EQ(half.NextDelay(now), milliseconds(1600));
}

TEST(Backoff, ResetsAfterTwoMinutesWithoutFailure) {
  Backoff backoff({}, Fixed(0.5));
  Backoff::Clock::time_point now{};
  for (int i = 0; i < 6; ++i) {
    backoff.NextDelay(now);
  }
  EXPECT_EQ(backoff.NextDelay(now + minutes(1)), milliseconds(15000));  // still backing off
  EXPECT_EQ(backoff.NextDelay(now + minutes(3) + seconds(1)), milliseconds(400));
  EXPECT_EQ(backoff.NextDelay(now + minutes(3) + seconds(2)), milliseconds(800));
}

TEST(Backoff, HonoursRetryAfterAsAMinimumClampedByThePolicy) {
  Backoff backoff({}, Fixed(0.5));
  Backoff::Clock::time_point now{};
  EXPECT_EQ(backoff.NextDelay(now, seconds(5)), milliseconds(5000));
  EXPECT_EQ(backoff.NextDelay(now, seconds(0)), milliseconds(800));  // jitter is larger
  EXPECT_EQ(backoff.NextDelay(now, seconds(4'000'000'000)), minutes(5));
}

TEST(Backoff, OutOfRangeRandomValuesAreTreatedAsZero) {
  for (double bad : {-1.0, 1.0, 7.5}) {
    Backoff backoff({}, Fixed(bad));
    EXPECT_EQ(backoff.NextDelay({}), milliseconds(0)) << bad;
  }
}

TEST(Backoff, SeededRandomStaysBelowTheCeiling) {
  Backoff backoff({}, SeededUniformRandom());
  Backoff::Clock::time_point now{};
  milliseconds ceiling(800);
  for (int i = 0; i < 100; ++i) {
    auto delay = backoff.NextDelay(now);
    EXPECT_GE(delay, milliseconds(0));
    EXPECT_LT(delay, ceiling);
    ceiling = std::min(ceiling * 2, milliseconds(30'000));
  }
}

TEST(ParseRetryAfter, ReadsDelaySecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("120"), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 3 "), seconds(3));
  EXPECT_EQ(ParseRetryAfter("0"), seconds(0));
  EXPECT_EQ(ParseRetryAfter("99999999999999999999"), seconds(UINT32_MAX));
  for (const char* bad : {"", " ", "-1", "+5", "1.5", "5s", "Wed, 21 Oct 2015 07:28:00 GMT",
                          "99999999999999999999x"}) {
    EXPECT_EQ(ParseRetryAfter(bad), std::nullopt) << bad;
  }
}

TEST(RandomWatchTimeout, SpansFiveToTenMinutes) {
  EXPECT_EQ(RandomWatchTimeout(Fixed(0.0)), minutes(5));
  EXPECT_EQ(RandomWatchTimeout(Fixed(0.5)), seconds(450));
  EXPECT_EQ(RandomWatchTimeout(Fixed(0.999999)), seconds(599));
  auto random = SeededUniformRandom();
  for (int i = 0; i < 1000; ++i) {
    auto timeout = RandomWatchTimeout(random);
    EXPECT_GE(timeout, minutes(5));
    EXPECT_LT(timeout, minutes(10));
  }
}

}  // namespace
}  // namespace sidecar::kube
