#include "metrics/process_metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace sidecar {
namespace {

// A /proc/<pid>/stat line whose command name holds spaces and parentheses. utime 250, stime 75,
// starttime 987654, vsize 123456789, rss 2048 pages; tpgid (field 8) is -1 as for a daemon.
constexpr const char* kPidStat =
    "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1500 0 2 0 250 75 0 0 20 0 3 0 987654 "
    "123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

constexpr const char* kStat =
    "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0\n"
    "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 0 0\n"
    "intr 1462898 0 0 0\n"
    "ctxt 115315\n"
    "btime 1700000000\n"
    "processes 86031\n";

constexpr const char* kLimits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            1024                 1048576              files     \n"
    "Max locked memory         8388608              8388608              bytes     \n";

TEST(ParseProcPidStatTest, CountsFieldsFromTheLastParenthesis) {
  const auto stat = ParseProcPidStat(kPidStat);
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->user_ticks, 250u);
  EXPECT_EQ(stat->system_ticks, 75u);
  EXPECT_EQ(stat->start_ticks, 987654u);
  EXPECT_EQ(stat->virtual_bytes, 123456789u);
  EXPECT_EQ(stat->resident_pages, 2048u);
}

TEST(ParseProcPidStatTest, RejectsWhatIsNotAStatLine) {
  EXPECT_FALSE(ParseProcPidStat("").has_value());
  EXPECT_FALSE(ParseProcPidStat("4242 no parenthesis S 1 2 3").has_value());
  EXPECT_FALSE(
      ParseProcPidStat("4242 (short) S 1 4242 4242 0 -1 4194560 1500 0 2 0 250").has_value());
  // A field that is not a number.
  EXPECT_FALSE(
      ParseProcPidStat("4242 (x) S 1 4242 4242 0 -1 4194560 1500 0 2 0 2x0 75 0 0 20 0 3 0 "
                       "987654 123456789 2048 0")
          .has_value());
  // rss (field 24) negative.
  EXPECT_FALSE(
      ParseProcPidStat("4242 (x) S 1 4242 4242 0 -1 4194560 1500 0 2 0 250 75 0 0 20 0 3 0 "
                       "987654 123456789 -1 0")
          .has_value());
  EXPECT_FALSE(ParseProcPidStat(")))))").has_value());
}

TEST(ParseBootTimeTest, ReadsTheBtimeLine) {
  EXPECT_EQ(ParseBootTime(kStat), 1700000000u);
  EXPECT_FALSE(ParseBootTime("cpu 1 2 3\n").has_value());
  EXPECT_FALSE(ParseBootTime("btime \n").has_value());
  EXPECT_FALSE(ParseBootTime("btime soon\n").has_value());
  EXPECT_FALSE(ParseBootTime("").has_value());
}

TEST(ParseMaxOpenFilesTest, ReadsTheSoftLimit) {
  EXPECT_EQ(ParseMaxOpenFiles(kLimits), 1024.0);
  EXPECT_EQ(ParseMaxOpenFiles("Max open files  unlimited  unlimited  files\n"),
            18446744073709551615.0);
  EXPECT_FALSE(ParseMaxOpenFiles("Max cpu time unlimited unlimited seconds\n").has_value());
  EXPECT_FALSE(ParseMaxOpenFiles("Max open files lots 10 files\n").has_value());
  EXPECT_FALSE(ParseMaxOpenFiles("Max open files 10\n").has_value());
  EXPECT_FALSE(ParseMaxOpenFiles("").has_value());
}

TEST(SampleFromProcTest, ConvertsToBaseUnits) {
  ProcTexts texts{kPidStat, kStat, kLimits, 7};
  const ProcessSample sample = SampleFromProc(texts, /*ticks_per_second=*/100, /*page_size=*/4096);
  EXPECT_DOUBLE_EQ(*sample.cpu_seconds, 3.25);
  EXPECT_DOUBLE_EQ(*sample.resident_memory_bytes, 2048.0 * 4096);
  EXPECT_DOUBLE_EQ(*sample.virtual_memory_bytes, 123456789.0);
  EXPECT_DOUBLE_EQ(*sample.start_time_seconds, 1700000000.0 + 9876.54);
  EXPECT_DOUBLE_EQ(*sample.open_fds, 7.0);
  EXPECT_DOUBLE_EQ(*sample.max_fds, 1024.0);
}

TEST(SampleFromProcTest, LeavesOutWhatItCannotRead) {
  ProcTexts no_stat{kPidStat, std::nullopt, "garbage", std::nullopt};
  const ProcessSample sample = SampleFromProc(no_stat, 100, 4096);
  EXPECT_TRUE(sample.cpu_seconds.has_value());
  EXPECT_FALSE(sample.start_time_seconds.has_value());
  EXPECT_FALSE(sample.open_fds.has_value());
  EXPECT_FALSE(sample.max_fds.has_value());

  const ProcessSample no_ticks = SampleFromProc(ProcTexts{kPidStat, kStat, kLimits, 3}, 0, 4096);
  EXPECT_FALSE(no_ticks.cpu_seconds.has_value());
  EXPECT_FALSE(no_ticks.start_time_seconds.has_value());
  EXPECT_EQ(no_ticks.open_fds, 3.0);

  const ProcessSample garbage = SampleFromProc(ProcTexts{"(", "", "", std::nullopt}, 100, 4096);
  EXPECT_FALSE(garbage.cpu_seconds.has_value());
  EXPECT_FALSE(garbage.resident_memory_bytes.has_value());
}

TEST(ProcessFamiliesTest, NamesHelpTypesAndValues) {
  ProcessSample sample;
  sample.cpu_seconds = 3.25;
  sample.resident_memory_bytes = 1000;
  sample.virtual_memory_bytes = 2000;
  sample.open_fds = 7;
  sample.max_fds = 1024;
  sample.start_time_seconds = 1700000000.5;
  const auto families = ProcessFamilies(sample);
  ASSERT_EQ(families.size(), kProcessFamilies.size());
  std::map<std::string, double> values;
  for (size_t i = 0; i < families.size(); ++i) {
    const auto& family = families[i];
    EXPECT_EQ(family.name, kProcessFamilies[i].name);
    EXPECT_EQ(family.help, kProcessFamilies[i].help);
    EXPECT_EQ(family.type, kProcessFamilies[i].type);
    ASSERT_EQ(family.metric.size(), 1u);
    EXPECT_TRUE(family.metric[0].label.empty());
    values[family.name] = family.type == prometheus::MetricType::Counter
                              ? family.metric[0].counter.value
                              : family.metric[0].gauge.value;
  }
  EXPECT_EQ(families[0].type, prometheus::MetricType::Counter);
  EXPECT_EQ(values["process_cpu_seconds_total"], 3.25);
  EXPECT_EQ(values["process_resident_memory_bytes"], 1000);
  EXPECT_EQ(values["process_virtual_memory_bytes"], 2000);
  EXPECT_EQ(values["process_open_fds"], 7);
  EXPECT_EQ(values["process_max_fds"], 1024);
  EXPECT_EQ(values["process_start_time_seconds"], 1700000000.5);
}

TEST(ProcessFamiliesTest, MissingValuesLeaveTheirFamiliesOut) {
  ProcessSample sample;
  sample.open_fds = 5;
  const auto families = ProcessFamilies(sample);
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "process_open_fds");
  EXPECT_TRUE(ProcessFamilies(ProcessSample{}).empty());
}

// A directory laid out like /proc, removed afterwards.
class FakeProc {
 public:
  FakeProc() {
    char pattern[] = "/tmp/sidecar-fake-proc-XXXXXX";
    root_ = ::mkdtemp(pattern);
    std::filesystem::create_directories(root_ / "self" / "fd");
  }
  ~FakeProc() { std::filesystem::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(root_ / relative) << text;
  }
  std::string root() const { return root_.string(); }

 private:
  std::filesystem::path root_;
};

TEST(ProcessCollectorTest, ReadsADirectoryLaidOutLikeProc) {
  FakeProc proc;
  proc.Write("self/stat", kPidStat);
  proc.Write("stat", kStat);
  proc.Write("self/limits", kLimits);
  for (const char* fd : {"0", "1", "2", "5"}) proc.Write(std::string("self/fd/") + fd, "");

  const ProcTexts texts = ProcessCollector(proc.root()).Read();
  EXPECT_EQ(texts.pid_stat, kPidStat);
  EXPECT_EQ(texts.stat, kStat);
  EXPECT_EQ(texts.limits, kLimits);
  EXPECT_EQ(texts.open_fds, 4u);
  EXPECT_EQ(ProcessCollector(proc.root()).Collect().size(), kProcessFamilies.size());
}

TEST(ProcessCollectorTest, MissingOrBrokenFilesLeaveFamiliesOut) {
  FakeProc proc;
  proc.Write("self/stat", "not a stat line");
  const auto families = ProcessCollector(proc.root()).Collect();
  ASSERT_EQ(families.size(), 1u);  // only the (empty) fd directory could be read
  EXPECT_EQ(families[0].name, "process_open_fds");
  EXPECT_EQ(families[0].metric[0].gauge.value, 0);

  EXPECT_TRUE(ProcessCollector("/nonexistent/proc").Collect().empty());
}

TEST(ProcessCollectorTest, RealProcMatchesWhatTheKernelSays) {
  const ProcessCollector collector;
  const ProcessSample before =
      SampleFromProc(collector.Read(), ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE));
  ASSERT_TRUE(before.open_fds.has_value());

  // Three more descriptors are three more entries in /proc/self/fd.
  int extra[3];
  for (int& fd : extra) fd = ::open("/dev/null", O_RDONLY);
  const ProcessSample after =
      SampleFromProc(collector.Read(), ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE));
  for (int fd : extra) ::close(fd);
  ASSERT_TRUE(after.open_fds.has_value());
  EXPECT_EQ(*after.open_fds - *before.open_fds, 3);

  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_TRUE(after.max_fds.has_value());
  EXPECT_EQ(*after.max_fds, static_cast<double>(limit.rlim_cur));

  ASSERT_TRUE(after.resident_memory_bytes && after.virtual_memory_bytes && after.cpu_seconds &&
              after.start_time_seconds);
  EXPECT_GT(*after.resident_memory_bytes, 0);
  EXPECT_GE(*after.virtual_memory_bytes, *after.resident_memory_bytes);
  EXPECT_GE(*after.cpu_seconds, *before.cpu_seconds);
  // This process started before now (and the clock's granularity is one tick).
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(*after.start_time_seconds, now + 1);
  EXPECT_GT(*after.start_time_seconds, now - 24 * 3600);
}

}  // namespace
}  // namespace sidecar
