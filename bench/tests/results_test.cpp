// The table, the results file and nginx's configuration: what the runner writes.
#include <gtest/gtest.h>

#include <sstream>

#include "runner/nginx_config.h"
#include "runner/results_file.h"
#include "runner/results_table.h"

namespace sidecar::bench {
namespace {

TEST(Format, KeepsEveryFigureInOneStyle) {
  EXPECT_EQ(FormatCount(21345.6), "21,346");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000000), "1,000,000");
  EXPECT_EQ(FormatCount(-1234), "-1,234");
  EXPECT_EQ(FormatNumber(40.83), "40.8");
  EXPECT_EQ(FormatMillis(3.918), "3.92 ms");
  EXPECT_EQ(FormatMillis(0.4123), "0.412 ms");
  EXPECT_EQ(FormatMillis(112.4), "112 ms");
  EXPECT_EQ(FormatMib(11.44), "11.4 MB");
  EXPECT_EQ(FormatRatio(0.934), "0.934×");
  EXPECT_EQ(FormatRatio(1.5), "1.50×");
  EXPECT_EQ(FormatNanos(182.3), "182 ns");
  EXPECT_EQ(FormatNanos(2512.7), "2513 ns");
}

TEST(Verdict, ComparesWithTheBound) {
  EXPECT_EQ(AtLeast(0.9, 0.9), Verdict::kMet);
  EXPECT_EQ(AtLeast(0.89, 0.9), Verdict::kMissed);
  EXPECT_EQ(AtMost(1.5, 1.5), Verdict::kMet);
  EXPECT_EQ(AtMost(1.51, 1.5), Verdict::kMissed);
}

TEST(Table, HasOneLinePerRowAndEscapesCells) {
  const std::string table = RenderTable({
      {"1 status", "service | 32 conns", "20,000 req/s", "0.95× bare", "≥ 0.90×", Verdict::kMet},
      {"5 memory", "idle\nRSS", "13.0 MB", "", "≤ 12 MB", Verdict::kMissed},
  });
  std::istringstream lines(table);
  std::string header, rule, first, second, extra;
  std::getline(lines, header);
  std::getline(lines, rule);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, extra));
  EXPECT_EQ(first,
            "| 1 status | service \\| 32 conns | 20,000 req/s | 0.95× bare | ≥ 0.90× | met |");
  EXPECT_EQ(second, "| 5 memory | idle RSS | 13.0 MB |  | ≤ 12 MB | **missed** |");
}

TEST(ResultsFile, NamesTheMachineAndListsTheMisses) {
  RunHeader header;
  header.date = "2025-05-08 18:20 UTC";
  header.revision = "1c389e1";
  header.seconds = 241;
  header.machine = {"Intel(R) Xeon(R) Processor", 2, 23.6, "Linux 6.1", "Debian GNU/Linux 12", 3.5};
  header.note = "Shared with two builds.";
  const std::string text =
      RenderResultsFile(header,
                        {{"1 status", "service", "20,000 req/s", "", "≥ 0.90×", Verdict::kMet},
                         {"5 memory", "idle RSS", "13.0 MB", "", "≤ 12 MB", Verdict::kMissed}},
                        {"a note"});
  EXPECT_NE(text.find("Full run"), std::string::npos);
  EXPECT_NE(text.find("revision 1c389e1"), std::string::npos);
  EXPECT_NE(text.find("2 × Intel(R) Xeon(R) Processor, 23.6 GiB"), std::string::npos);
  EXPECT_NE(text.find("load average at the start: 3.50"), std::string::npos);
  EXPECT_NE(text.find("Shared with two builds."), std::string::npos);
  EXPECT_NE(text.find("- 5 memory: idle RSS — 13.0 MB (target ≤ 12 MB)"), std::string::npos);
  EXPECT_EQ(text.find("- 1 status:"), std::string::npos);
  EXPECT_NE(text.find("- a note"), std::string::npos);
}

TEST(NginxConfig, ServesTheBodyOnLoopbackAndWritesOnlyUnderItsPrefix) {
  const std::string prefix = "/tmp/sidecar-bench-x/nginx-1";
  const std::string config = NginxConfig({prefix, 18080, R"({"status":"complete","step":3})"});
  EXPECT_NE(config.find("listen 127.0.0.1:18080;"), std::string::npos);
  EXPECT_NE(config.find(R"(return 200 '{"status":"complete","step":3}';)"), std::string::npos);
  EXPECT_NE(config.find("daemon off;"), std::string::npos);
  // Every path it names is under the prefix.
  std::istringstream words(config);
  std::string word;
  int paths = 0;
  while (words >> word) {
    if (!word.starts_with("/") || word == "/") continue;  // "location /" names no file
    ++paths;
    EXPECT_TRUE(word.starts_with(prefix + "/")) << word;
  }
  EXPECT_GE(paths, 7);  // pid, error log, five temporary directories
}

}  // namespace
}  // namespace sidecar::bench
