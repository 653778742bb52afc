#include "common/file_stamp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace sidecar {
namespace {

class FileStampTest : public ::testing::Test {
 protected:
  void TearDown() override {
    std::remove(path_.c_str());
    std::remove(next_.c_str());
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
  }
  const std::string path_ = ::testing::TempDir() + "/file-stamp-test-" + std::to_string(getpid());
  const std::string next_ = path_ + ".next";
};

TEST_F(FileStampTest, NoneForAMissingFile) {
  EXPECT_EQ(StampOf(path_), std::nullopt);
}

TEST_F(FileStampTest, SameWhileTheFileIsUntouched) {
  Write(path_, "one");
  const auto stamp = StampOf(path_);
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(stamp->size, 3);
  EXPECT_EQ(StampOf(path_), stamp);
}

TEST_F(FileStampTest, ChangesWhenTheFileIsRewrittenInPlace) {
  Write(path_, "one");
  const auto before = StampOf(path_);
  Write(path_, "three");
  EXPECT_NE(StampOf(path_), before);
}

// How a mounted Secret changes: a new file takes the old one's name. Same size, and possibly the
// same modification time: only the inode tells.
TEST_F(FileStampTest, ChangesWhenAnotherFileTakesItsName) {
  Write(path_, "one");
  Write(next_, "two");
  const auto before = StampOf(path_);
  ASSERT_EQ(std::rename(next_.c_str(), path_.c_str()), 0);
  const auto after = StampOf(path_);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->size, before->size);
  EXPECT_NE(after->inode, before->inode);
  EXPECT_NE(after, before);
}

}  // namespace
}  // namespace sidecar
