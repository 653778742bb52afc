#include <gtest/gtest.h>

#include "token/base64url.h"
#include "token/completion_token.h"

namespace sidecar {
namespace {

// Examples from Feldera's documentation (padded, as the docs show them).
constexpr char kDocTokenE3[] =
    "eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30=";
constexpr char kDocTokenE1[] =
    "eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MSwiYyI6M30=";
constexpr char kDocUuid[] = "0196b120-6203-7b90-b6bd-16890df15e28";

TEST(CompletionToken, DecodesFelderaDocumentationExamples) {
  auto e3 = DecodeCompletionToken(kDocTokenE3);
  ASSERT_TRUE(e3.ok()) << e3.error();
  EXPECT_EQ(e3->incarnation.ToString(), kDocUuid);
  EXPECT_EQ(e3->endpoint, 3u);
  EXPECT_EQ(e3->count, 3u);

  auto e1 = DecodeCompletionToken(kDocTokenE1);
  ASSERT_TRUE(e1.ok()) << e1.error();
  EXPECT_EQ(e1->endpoint, 1u);
  EXPECT_EQ(e1->count, 3u);
}

TEST(CompletionToken, EncodesLikeFeldera) {
  // Feldera's own form is the documented one without its padding.
  auto token = DecodeCompletionToken(kDocTokenE3).value();
  std::string unpadded = kDocTokenE3;
  unpadded.pop_back();
  EXPECT_EQ(EncodeCompletionToken(token), unpadded);
  // And the unpadded form decodes to the same token.
  auto again = DecodeCompletionToken(unpadded);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), token);
}

TEST(CompletionToken, IncarnationTimestampIsTheDocumentedStart) {
  auto token = DecodeCompletionToken(kDocTokenE3).value();
  // 2025-05-08 18:20:11.651 UTC
  EXPECT_EQ(token.incarnation.V7UnixMillis(), std::optional<uint64_t>(1746728411651ull));
}

TEST(CompletionToken, RoundTripsExtremes) {
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{1} << 53,
                     std::numeric_limits<uint64_t>::max()}) {
    CompletionToken token{Uuid::NewV7(), n, std::numeric_limits<uint64_t>::max() - n};
    auto decoded = DecodeCompletionToken(EncodeCompletionToken(token));
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(decoded.value(), token);
  }
}

TEST(CompletionToken, AcceptsExtraFieldsAsSerdeDoes) {
  auto decoded = DecodeCompletionToken(
      Base64UrlEncode(R"({"u":"0196b120-6203-7b90-b6bd-16890df15e28","e":1,"c":2,"x":true})"));
  ASSERT_TRUE(decoded.ok()) << decoded.error();
  EXPECT_EQ(decoded->count, 2u);
}

// Feldera's compact form is read without a JSON tree; every other spelling of the same token
// goes through the JSON parser, and both agree.
TEST(CompletionToken, TheCompactFormAndOtherSpellingsDecodeAlike) {
  const std::string u = "0196b120-6203-7b90-b6bd-16890df15e28";
  for (const std::string& doc :
       {R"({"u":")" + u + R"(","e":7,"c":18446744073709551615})",
        R"({"c":18446744073709551615,"e":7,"u":")" + u + R"("})",
        R"({ "u" : ")" + u + R"(", "e" : 7, "c" : 18446744073709551615 })"}) {
    SCOPED_TRACE(doc);
    auto decoded = DecodeCompletionToken(Base64UrlEncode(doc));
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(decoded->incarnation.ToString(), u);
    EXPECT_EQ(decoded->endpoint, 7u);
    EXPECT_EQ(decoded->count, 18446744073709551615u);
  }
  for (const std::string& doc :
       {R"({"u":")" + u + R"(","e":7,"c":18446744073709551616})",
        R"({"u":")" + u + R"(","e":-1,"c":1})", R"({"u":")" + u + R"(","e":1,"c":1}x)",
        R"({"u":")" + u.substr(0, 35) + R"(","e":1,"c":1})"}) {
    SCOPED_TRACE(doc);
    EXPECT_FALSE(DecodeCompletionToken(Base64UrlEncode(doc)).ok());
  }
}

struct BadToken {
  const char* name;
  std::string text;
  const char* error_contains;
};

std::string Json(const std::string& doc) {
  return Base64UrlEncode(doc);
}

class BadTokens : public testing::TestWithParam<BadToken> {};

TEST_P(BadTokens, AreRejectedWithAReason) {
  auto decoded = DecodeCompletionToken(GetParam().text);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().find(GetParam().error_contains), std::string::npos) << decoded.error();
}

const std::string kU = R"("u":"0196b120-6203-7b90-b6bd-16890df15e28")";

INSTANTIATE_TEST_SUITE_P(
    Codec, BadTokens,
    testing::Values(
        BadToken{"Empty", "", "empty"}, BadToken{"NotBase64", "not base64!", "base64url"},
        BadToken{"StandardAlphabet", "ab+/", "base64url"},
        BadToken{"ImpossibleLength", "abcde", "base64url"},
        BadToken{"MisplacedPadding", "ab=c", "base64url"},
        BadToken{"TooMuchPadding", "YQ===", "base64url"},
        BadToken{"NonCanonicalTrailingBits", "YR", "base64url"},
        BadToken{"PercentEncodedJunk", "%41%42%43%ZZ", "base64url"},
        BadToken{"NotJson", Json("hello world"), "JSON"},
        BadToken{"JsonArray", Json("[1,2,3]"), "object"},
        BadToken{"MissingU", Json(R"({"e":1,"c":2})"), "'u'"},
        BadToken{"MissingE", Json("{" + kU + R"(,"c":2})"), "'e'"},
        BadToken{"MissingC", Json("{" + kU + R"(,"e":1})"), "'c'"},
        BadToken{"UNotString", Json(R"({"u":7,"e":1,"c":2})"), "'u'"},
        BadToken{"UNotUuid", Json(R"({"u":"pipeline-1","e":1,"c":2})"), "UUID"},
        BadToken{"UWithoutHyphens", Json(R"({"u":"0196b12062037b90b6bd16890df15e28","e":1,"c":2})"),
                 "UUID"},
        BadToken{"NegativeCount", Json("{" + kU + R"(,"e":1,"c":-2})"), "'c'"},
        BadToken{"FloatCount", Json("{" + kU + R"(,"e":1,"c":2.5})"), "'c'"},
        BadToken{"ExponentCount", Json("{" + kU + R"(,"e":1,"c":1e3})"), "'c'"},
        BadToken{"StringCount", Json("{" + kU + R"(,"e":1,"c":"2"})"), "'c'"},
        BadToken{"CountIs2To64", Json("{" + kU + R"(,"e":1,"c":18446744073709551616})"), "'c'"},
        BadToken{"NegativeEndpoint", Json("{" + kU + R"(,"e":-1,"c":2})"), "'e'"},
        BadToken{"NullEndpoint", Json("{" + kU + R"(,"e":null,"c":2})"), "'e'"},
        BadToken{"SixtyFourKiB", std::string(64 * 1024, 'A'), "longer"},
        BadToken{"TruncatedJson", Json("{" + kU + R"(,"e":1,"c":)"), "JSON"},
        BadToken{"BinaryGarbage", Json(std::string("\x00\xff\xfe{", 4)), "JSON"}),
    [](const testing::TestParamInfo<BadToken>& info) { return info.param.name; });

TEST(Base64Url, EncodesAllTailLengths) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("Zm8="), std::optional<std::string>("fo"));
  EXPECT_EQ(Base64UrlDecode("Zm8"), std::optional<std::string>("fo"));
}

TEST(Uuid, ParsesAndOrdersV7ByTime) {
  auto early = Uuid::NewV7(std::chrono::system_clock::time_point(std::chrono::milliseconds(1000)));
  auto late = Uuid::NewV7(std::chrono::system_clock::time_point(std::chrono::milliseconds(2000)));
  EXPECT_EQ(early.Version(), 7);
  EXPECT_LT(early, late);
  EXPECT_EQ(Uuid::Parse(early.ToString()), early);
  EXPECT_EQ(Uuid::Parse("0196B120-6203-7B90-B6BD-16890DF15E28")->ToString(), kDocUuid);
  EXPECT_FALSE(Uuid::Parse("0196b120-6203-7b90-b6bd-16890df15e2"));
  EXPECT_FALSE(Uuid::Parse("0196b120x6203-7b90-b6bd-16890df15e28"));
  EXPECT_FALSE(Uuid::Parse("0196b120-6203-7b90-b6bd-16890df15eZ8"));
}

}  // namespace
}  // namespace sidecar
