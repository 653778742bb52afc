#include "api/api_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace sidecar {
namespace {

TEST(ParseApiKeys, OneKeyPerLineIgnoringBlanksAndComments) {
  EXPECT_EQ(ParseApiKeys("apikey:abc\n\n  # a comment\n key-two \r\nlast"),
            (std::vector<std::string>{"apikey:abc", "key-two", "last"}));
  EXPECT_TRUE(ParseApiKeys("").empty());
  EXPECT_TRUE(ParseApiKeys("\n# only a comment\n").empty());
}

TEST(BearerCredential, AcceptsOnlyTheBearerScheme) {
  EXPECT_EQ(BearerCredential("Bearer apikey:abc"), "apikey:abc");
  EXPECT_EQ(BearerCredential("bearer  k "), "k");
  EXPECT_EQ(BearerCredential("BEARER k"), "k");
  EXPECT_EQ(BearerCredential("Basic dXNlcjpwYXNz"), std::nullopt);
  EXPECT_EQ(BearerCredential("Bearer "), std::nullopt);
  EXPECT_EQ(BearerCredential("Bearer"), std::nullopt);
  EXPECT_EQ(BearerCredential(""), std::nullopt);
  EXPECT_EQ(BearerCredential("apikey:abc"), std::nullopt);
}

class ApiKeysFile : public ::testing::Test {
 protected:
  void Write(const std::string& text) {
    // Replaced by rename, as Kubernetes swaps a Secret's files.
    const std::string next = path_ + ".next";
    std::ofstream(next) << text;
    ASSERT_EQ(std::rename(next.c_str(), path_.c_str()), 0);
  }
  void TearDown() override { std::remove(path_.c_str()); }

  std::string path_ = ::testing::TempDir() + "/api-keys-" + std::to_string(getpid());
};

TEST_F(ApiKeysFile, AuthorizesExactlyTheKeysInTheFile) {
  Write("apikey:first\nsecond\n");
  auto keys = ApiKeys::Load(path_);
  ASSERT_TRUE(keys.ok()) << keys.error();
  EXPECT_EQ(keys.value()->size(), 2u);
  EXPECT_TRUE(keys.value()->Authorizes("Bearer apikey:first"));
  EXPECT_TRUE(keys.value()->Authorizes("Bearer second"));
  EXPECT_FALSE(keys.value()->Authorizes("Bearer apikey:firs"));
  EXPECT_FALSE(keys.value()->Authorizes("Bearer apikey:first2"));
  EXPECT_FALSE(keys.value()->Authorizes("apikey:first"));
  EXPECT_FALSE(keys.value()->Authorizes(""));
}

TEST_F(ApiKeysFile, ReloadsWhenTheFileChangesAndKeepsKeysWhenItBreaks) {
  Write("old\n");
  auto loaded = ApiKeys::Load(path_);
  ASSERT_TRUE(loaded.ok());
  ApiKeys& keys = *loaded.value();
  EXPECT_FALSE(keys.ReloadIfChanged());  // unchanged
  Write("new\n");
  EXPECT_TRUE(keys.ReloadIfChanged());
  EXPECT_TRUE(keys.Authorizes("Bearer new"));
  EXPECT_FALSE(keys.Authorizes("Bearer old"));
  Write("# emptied by mistake\n");
  EXPECT_FALSE(keys.ReloadIfChanged());
  EXPECT_TRUE(keys.Authorizes("Bearer new"));  // the last good keys stay
  std::remove(path_.c_str());
  EXPECT_FALSE(keys.ReloadIfChanged());
  EXPECT_TRUE(keys.Authorizes("Bearer new"));
}

TEST_F(ApiKeysFile, AMissingOrEmptyFileIsAnError) {
  auto missing = ApiKeys::Load(path_ + ".absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot read"), std::string::npos);
  Write("\n\n");
  auto empty = ApiKeys::Load(path_);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("no key"), std::string::npos);
}

}  // namespace
}  // namespace sidecar
