#include "kube/watch_line_splitter.h"

#include <gtest/gtest.h>

#include <random>

#include "kube_test_data.h"

namespace sidecar::kube {
namespace {

std::vector<std::string> SplitInChunks(const std::string& body, const std::vector<size_t>& cuts,
                                       WatchLineSplitter& splitter) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t cut : cuts) {
    auto fed = splitter.Feed(std::string_view(body).substr(start, cut - start));
    EXPECT_FALSE(fed.overflow);
    lines.insert(lines.end(), fed.complete.begin(), fed.complete.end());
    start = cut;
  }
  auto fed = splitter.Feed(std::string_view(body).substr(start));
  lines.insert(lines.end(), fed.complete.begin(), fed.complete.end());
  return lines;
}

TEST(WatchLineSplitter, RecordedWatchStreamSplitsIdenticallyAtAnyChunkSize) {
  const std::string body = testing::LoadText("watch-pods-initial-events-bookmark.v1.35.jsonl");
  WatchLineSplitter whole;
  const auto expected = whole.Feed(body).complete;
  ASSERT_EQ(expected.size(), 9u);  // 8 ADDED events and a BOOKMARK
  EXPECT_TRUE(whole.Partial().empty());

  for (size_t chunk_size : {1, 2, 3, 7, 100, 4096, 65536}) {
    std::vector<size_t> cuts;
    for (size_t cut = chunk_size; cut < body.size(); cut += chunk_size) {
      cuts.push_back(cut);
    }
    WatchLineSplitter splitter;
    EXPECT_EQ(SplitInChunks(body, cuts, splitter), expected) << "chunk size " << chunk_size;
  }

  std::mt19937 random(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<size_t> cuts;
    for (size_t cut = 0; cut < body.size();) {
      cut += std::uniform_int_distribution<size_t>(1, 3000)(random);
      if (cut < body.size()) {
        cuts.push_back(cut);
      }
    }
    WatchLineSplitter splitter;
    EXPECT_EQ(SplitInChunks(body, cuts, splitter), expected) << "round " << round;
  }
}

TEST(WatchLineSplitter, KeepsThePartialLastLine) {
  WatchLineSplitter splitter;
  auto fed = splitter.Feed("{\"type\":\"ADDED\"}\n{\"type\":\"MOD");
  EXPECT_EQ(fed.complete, std::vector<std::string>{"{\"type\":\"ADDED\"}"});
  EXPECT_EQ(splitter.Partial(), "{\"type\":\"MOD");
  fed = splitter.Feed("IFIED\"}");
  EXPECT_TRUE(fed.complete.empty());
  fed = splitter.Feed("\n");
  EXPECT_EQ(fed.complete, std::vector<std::string>{"{\"type\":\"MODIFIED\"}"});
  EXPECT_TRUE(splitter.Partial().empty());
}

TEST(WatchLineSplitter, StripsCrLfEvenWhenCutBetweenTheTwo) {
  WatchLineSplitter splitter;
  auto fed = splitter.Feed("a\r\nb\r");
  EXPECT_EQ(fed.complete, std::vector<std::string>{"a"});
  fed = splitter.Feed("\nc\n\n");
  EXPECT_EQ(fed.complete, (std::vector<std::string>{"b", "c", ""}));
  // A carriage return inside a line is data.
  fed = splitter.Feed("x\ry\n");
  EXPECT_EQ(fed.complete, std::vector<std::string>{"x\ry"});
}

TEST(WatchLineSplitter, LineAtTheLimitPassesOneByteMoreOverflows) {
  WatchLineSplitter at_limit(8);
  auto fed = at_limit.Feed("12345678\r");
  EXPECT_FALSE(fed.overflow);
  fed = at_limit.Feed("\n");
  EXPECT_EQ(fed.complete, std::vector<std::string>{"12345678"});

  WatchLineSplitter over_limit(8);
  fed = over_limit.Feed("1234");
  EXPECT_FALSE(fed.overflow);
  fed = over_limit.Feed("56789");
  EXPECT_FALSE(fed.overflow);  // may still be "12345678\r"
  fed = over_limit.Feed("0");
  EXPECT_TRUE(fed.overflow);
  EXPECT_TRUE(over_limit.Partial().empty());
}

TEST(WatchLineSplitter, OverflowKeepsEarlierLinesAndIsSticky) {
  WatchLineSplitter splitter(4);
  auto fed = splitter.Feed("ok\nmuch too long\nlater\n");
  EXPECT_TRUE(fed.overflow);
  EXPECT_EQ(fed.complete, std::vector<std::string>{"ok"});
  fed = splitter.Feed("x\n");
  EXPECT_TRUE(fed.overflow);
  EXPECT_TRUE(fed.complete.empty());
}

TEST(WatchLineSplitter, MemoryStaysBoundedOnAnEndlessLine) {
  WatchLineSplitter splitter(1024);
  const std::string chunk(100, 'x');
  bool overflow = false;
  for (int i = 0; i < 100 && !overflow; ++i) {
    overflow = splitter.Feed(chunk).overflow;
    EXPECT_LE(splitter.Partial().size(), 1025u);
  }
  EXPECT_TRUE(overflow);
}

}  // namespace
}  // namespace sidecar::kube
