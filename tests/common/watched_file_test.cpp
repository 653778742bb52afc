#include "common/watched_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sidecar {
namespace {

using namespace std::chrono_literals;

class WatchedFileTest : public ::testing::Test {
 protected:
  void TearDown() override {
    std::remove(path_.c_str());
    std::remove(next_.c_str());
  }
  // Rewrites the file in place (same inode).
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  // Replaces the file by a new one, as Kubernetes updates a mounted Secret.
  void Replace(const std::string& text) {
    std::ofstream(next_) << text;
    ASSERT_EQ(std::rename(next_.c_str(), path_.c_str()), 0);
  }
  // Moves the file's modification time an hour back, out of the window where a stamp is not
  // trusted.
  void Age() {
    std::filesystem::last_write_time(path_, std::filesystem::file_time_type::clock::now() - 1h);
  }

  const std::string path_ = ::testing::TempDir() + "/watched-file-test-" + std::to_string(getpid());
  const std::string next_ = path_ + ".next";
};

TEST_F(WatchedFileTest, FirstRefreshReadsTheFile) {
  Write("one");
  WatchedFile file(path_);
  EXPECT_EQ(file.contents(), "");
  const Result<bool> read = file.Refresh();
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_TRUE(read.value());
  EXPECT_EQ(file.contents(), "one");
  EXPECT_EQ(file.path(), path_);
}

TEST_F(WatchedFileTest, AChangedFileIsReadAgain) {
  Write("one");
  Age();
  WatchedFile file(path_);
  ASSERT_TRUE(file.Refresh().ok());
  Write("three");
  const Result<bool> in_place = file.Refresh();
  ASSERT_TRUE(in_place.ok()) << in_place.error();
  EXPECT_TRUE(in_place.value());
  EXPECT_EQ(file.contents(), "three");
  Replace("four!");  // same size, another inode
  const Result<bool> replaced = file.Refresh();
  ASSERT_TRUE(replaced.ok()) << replaced.error();
  EXPECT_TRUE(replaced.value());
  EXPECT_EQ(file.contents(), "four!");
}

// A file whose stamp has not changed is not read: new bytes behind the old stamp go unseen.
TEST_F(WatchedFileTest, AnUnchangedFileIsNotReadAgain) {
  Write("one");
  Age();
  const auto aged = std::filesystem::last_write_time(path_);
  WatchedFile file(path_);
  ASSERT_TRUE(file.Refresh().ok());
  Write("two");
  std::filesystem::last_write_time(path_, aged);  // same inode, size and time as when read
  const Result<bool> again = file.Refresh();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_FALSE(again.value());
  EXPECT_EQ(file.contents(), "one");
}

// Written within a timestamp granule of the read, a file can change again without a new stamp:
// it is read again, and reported changed only when its contents are.
TEST_F(WatchedFileTest, AFileReadJustAfterItsChangeIsReadAgain) {
  Write("one");
  WatchedFile file(path_);
  ASSERT_TRUE(file.Refresh().ok());
  const auto written = std::filesystem::last_write_time(path_);
  const Result<bool> same = file.Refresh();
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same.value());
  Write("two");
  std::filesystem::last_write_time(path_, written);  // as when rewritten within the same tick
  const Result<bool> again = file.Refresh();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value());
  EXPECT_EQ(file.contents(), "two");
}

TEST_F(WatchedFileTest, AMissingFileIsAnErrorNamingItAndKeepsTheContents) {
  WatchedFile never(path_ + ".absent", "token file");
  const Result<bool> missing = never.Refresh();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot read token file " + path_ + ".absent"), std::string::npos)
      << missing.error();

  Write("kept");
  WatchedFile file(path_);
  ASSERT_TRUE(file.Refresh().ok());
  std::remove(path_.c_str());
  const Result<bool> gone = file.Refresh();
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.error().find(path_), std::string::npos) << gone.error();
  EXPECT_EQ(file.contents(), "kept");
  Replace("back");
  const Result<bool> back = file.Refresh();
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(file.contents(), "back");
}

TEST_F(WatchedFileTest, AFileOverTheLimitIsAnError) {
  Write("12345");
  WatchedFile file(path_, "token file", 4);
  const Result<bool> read = file.Refresh();
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().find("larger than 4 bytes"), std::string::npos) << read.error();
  Write("1234");
  EXPECT_TRUE(file.Refresh().ok());
  EXPECT_EQ(file.contents(), "1234");
}

}  // namespace
}  // namespace sidecar
