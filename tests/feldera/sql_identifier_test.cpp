#include "feldera/sql_identifier.h"

#include <gtest/gtest.h>

namespace sidecar::feldera {
namespace {

// The examples of SqlIdentifier::name in Feldera's program_schema.rs.
TEST(CanonicalSqlIdentifier, UnquotedNamesAreCaseInsensitive) {
  EXPECT_EQ(CanonicalSqlIdentifier("t1"), "t1");
  EXPECT_EQ(CanonicalSqlIdentifier("T1"), "t1");
  EXPECT_EQ(CanonicalSqlIdentifier("PRICE"), "price");
  EXPECT_EQ(CanonicalSqlIdentifier("Mixed_Case_9"), "mixed_case_9");
}

TEST(CanonicalSqlIdentifier, QuotedNamesKeepTheirCase) {
  EXPECT_EQ(CanonicalSqlIdentifier("\"t1\""), "t1");
  EXPECT_EQ(CanonicalSqlIdentifier("\"T1\""), "T1");
  EXPECT_EQ(CanonicalSqlIdentifier("\"\""), "");
}

TEST(CanonicalSqlIdentifier, AQuoteOnOneSideOnlyIsPartOfTheName) {
  EXPECT_EQ(CanonicalSqlIdentifier("\""), "\"");
  EXPECT_EQ(CanonicalSqlIdentifier("\"T1"), "\"t1");
  EXPECT_EQ(CanonicalSqlIdentifier("T1\""), "t1\"");
}

TEST(CanonicalSqlIdentifier, NonAsciiLettersAreLowered) {
  EXPECT_EQ(CanonicalSqlIdentifier("PREISÄNDERUNG"), "preisänderung");
  EXPECT_EQ(CanonicalSqlIdentifier("ΤΙΜΉ"), "τιμή");
  EXPECT_EQ(CanonicalSqlIdentifier("\u0130"), "i\u0307");
}

TEST(CanonicalSqlIdentifier, BytesThatAreNotUtf8AreKept) {
  EXPECT_EQ(CanonicalSqlIdentifier("A\xff"
                                   "B"),
            "a\xff"
            "b");
  EXPECT_EQ(CanonicalSqlIdentifier("\xc3"), "\xc3");          // cut short
  EXPECT_EQ(CanonicalSqlIdentifier("\xc0\x80"), "\xc0\x80");  // overlong
}

}  // namespace
}  // namespace sidecar::feldera
