#include "sim/record_count.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

uint64_t Records(const CountedRecords& counted) {
  EXPECT_FALSE(counted.failure.has_value()) << counted.failure->description;
  return counted.records;
}

TEST(RecordCountTest, ArrayCountsItsElements) {
  EXPECT_EQ(Records(CountJsonRecords(R"([{"a":1},{"a":2},3])", true)), 3u);
  EXPECT_EQ(Records(CountJsonRecords("[]", true)), 0u);
}

TEST(RecordCountTest, BodyStartingWithBracketIsAnArrayWithoutTheFlag) {
  EXPECT_EQ(Records(CountJsonRecords("  \n[1, 2]\n", false)), 2u);
}

TEST(RecordCountTest, NewlineDelimitedCountsNonBlankLines) {
  EXPECT_EQ(Records(CountJsonRecords("{\"a\":1}\n\n{\"a\":2}\r\n  \n{\"a\":3}", false)), 3u);
  EXPECT_EQ(Records(CountJsonRecords("", false)), 0u);
  EXPECT_EQ(Records(CountJsonRecords("\n \n", false)), 0u);
}

TEST(RecordCountTest, RejectsInvalidJsonAsFelderaDescribesIt) {
  EXPECT_TRUE(CountJsonRecords("[1, 2", false).failure.has_value());
  EXPECT_TRUE(CountJsonRecords("{\"a\":1}", true).failure.has_value());  // not an array
  EXPECT_TRUE(CountJsonRecords("", true).failure.has_value());
  EXPECT_TRUE(CountJsonRecords(std::string("{\"a\":\0}", 7), false).failure.has_value());

  const CountedRecords bad_line = CountJsonRecords("{\"a\":1}\n  {oops}  \n{}", false);
  ASSERT_TRUE(bad_line.failure.has_value());
  EXPECT_EQ(bad_line.records, 0u);  // refused whole
  EXPECT_EQ(bad_line.failure->description.rfind("failed to parse string as a JSON document: ", 0),
            0u)
      << bad_line.failure->description;
  EXPECT_EQ(bad_line.failure->invalid_text, "{oops}");
}

TEST(RecordCountTest, CitesAtMostFelderasLimitOfTheInvalidText) {
  const CountedRecords huge = CountJsonRecords("[" + std::string(10000, '1') + ",", true);
  ASSERT_TRUE(huge.failure.has_value());
  EXPECT_EQ(huge.failure->invalid_text.size(), kMaxInvalidTextBytes);
}

TEST(RecordCountTest, DeepNestingIsAnErrorNotACrash) {
  EXPECT_TRUE(CountJsonRecords(std::string(100000, '['), false).failure.has_value());
  EXPECT_TRUE(CountJsonRecords(std::string(100000, '{'), false).failure.has_value());
}

TEST(RecordCountTest, CsvCountsNonBlankLines) {
  EXPECT_EQ(Records(CountCsvRecords("1,a\n2,b\r\n\n  \n3,c")), 3u);
  EXPECT_EQ(Records(CountCsvRecords("")), 0u);
}

}  // namespace
}  // namespace sidecar::sim
