#include "sim/record_count.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

TEST(RecordCountTest, ArrayCountsItsElements) {
  EXPECT_EQ(CountJsonRecords(R"([{"a":1},{"a":2},3])", true).value(), 3u);
  EXPECT_EQ(CountJsonRecords("[]", true).value(), 0u);
}

TEST(RecordCountTest, BodyStartingWithBracketIsAnArrayWithoutTheFlag) {
  EXPECT_EQ(CountJsonRecords("  \n[1, 2]\n", false).value(), 2u);
}

TEST(RecordCountTest, NewlineDelimitedCountsNonBlankLines) {
  EXPECT_EQ(CountJsonRecords("{\"a\":1}\n\n{\"a\":2}\r\n  \n{\"a\":3}", false).value(), 3u);
  EXPECT_EQ(CountJsonRecords("", false).value(), 0u);
  EXPECT_EQ(CountJsonRecords("\n \n", false).value(), 0u);
}

TEST(RecordCountTest, RejectsInvalidJson) {
  EXPECT_FALSE(CountJsonRecords("[1, 2", false).ok());
  EXPECT_FALSE(CountJsonRecords("{\"a\":1}", true).ok());  // not an array
  EXPECT_FALSE(CountJsonRecords("", true).ok());
  const Result<uint64_t> bad_line = CountJsonRecords("{\"a\":1}\n{oops}\n", false);
  ASSERT_FALSE(bad_line.ok());
  EXPECT_NE(bad_line.error().find("line 2"), std::string::npos);
  EXPECT_FALSE(CountJsonRecords(std::string("{\"a\":\0}", 7), false).ok());
}

TEST(RecordCountTest, DeepNestingIsAnErrorNotACrash) {
  EXPECT_FALSE(CountJsonRecords(std::string(100000, '['), false).ok());
  EXPECT_FALSE(CountJsonRecords(std::string(100000, '{'), false).ok());
}

}  // namespace
}  // namespace sidecar::sim
