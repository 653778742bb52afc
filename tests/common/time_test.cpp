#include "common/time.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

int64_t Millis(const std::optional<WallClock::time_point>& t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

TEST(Time, ParsesRfc3339Forms) {
  EXPECT_EQ(Millis(ParseTime("2025-05-08T18:20:11.651Z")), 1746728411651);
  EXPECT_EQ(Millis(ParseTime("2025-05-08T18:20:11.651234567Z")), 1746728411651);
  EXPECT_EQ(Millis(ParseTime("2025-05-08T20:20:11.651+02:00")), 1746728411651);
  EXPECT_EQ(Millis(ParseTime("2025-05-08T18:20:11Z")), 1746728411000);
}

TEST(Time, RejectsOtherText) {
  for (const char* bad :
       {"", "2025-05-08", "2025-05-08 18:20:11Z", "2025-13-08T18:20:11Z", "2025-05-08T18:20:11",
        "2025-05-08T18:20:11.Z", "2025-05-08T18:20:11Zjunk"}) {
    EXPECT_FALSE(ParseTime(bad)) << bad;
  }
}

TEST(Time, FormatsWhatItParses) {
  auto t = ParseTime("2025-05-08T18:20:11.651Z");
  EXPECT_EQ(FormatTime(*t), "2025-05-08T18:20:11.651Z");
}

}  // namespace
}  // namespace sidecar
