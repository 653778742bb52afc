#include "metrics/process_metrics.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace sidecar {
namespace {

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest != end) return std::nullopt;
  return value;
}

// The whitespace-separated words of `text`.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t at = 0;
  while (true) {
    at = text.find_first_not_of(" \t\n", at);
    if (at == std::string_view::npos) return words;
    const size_t end = std::min(text.find_first_of(" \t\n", at), text.size());
    words.push_back(text.substr(at, end - at));
    at = end;
  }
}

// The rest of the first line of `text` that starts with `prefix`.
std::optional<std::string_view> LineAfter(std::string_view text, std::string_view prefix) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.starts_with(prefix)) return line.substr(prefix.size());
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

std::optional<uint64_t> CountDirectoryEntries(const std::string& path) {
  std::error_code error;
  std::filesystem::directory_iterator it(path, error);
  if (error) return std::nullopt;
  uint64_t count = 0;
  for (const std::filesystem::directory_iterator end; it != end; it.increment(error)) {
    if (error) return std::nullopt;
    ++count;
  }
  return count;
}

prometheus::MetricFamily OneValueFamily(const FamilySpec& spec, double value) {
  prometheus::ClientMetric metric;
  if (spec.type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  return {std::string(spec.name), std::string(spec.help), spec.type, {metric}};
}

}  // namespace

std::optional<ProcPidStat> ParseProcPidStat(std::string_view text) {
  const size_t command_end = text.rfind(')');
  if (command_end == std::string_view::npos) return std::nullopt;
  // words[0] is field 3 (state), so field N is words[N - 3].
  const std::vector<std::string_view> words = Words(text.substr(command_end + 1));
  const auto field = [&](size_t n) -> std::optional<uint64_t> {
    if (n - 3 >= words.size()) return std::nullopt;
    return ParseUnsigned(words[n - 3]);
  };
  const auto utime = field(14), stime = field(15), starttime = field(22), vsize = field(23),
             rss = field(24);
  if (!utime || !stime || !starttime || !vsize || !rss) return std::nullopt;
  return ProcPidStat{*utime, *stime, *starttime, *vsize, *rss};
}

std::optional<uint64_t> ParseBootTime(std::string_view proc_stat) {
  const auto line = LineAfter(proc_stat, "btime ");
  if (!line) return std::nullopt;
  const auto words = Words(*line);
  if (words.size() != 1) return std::nullopt;
  return ParseUnsigned(words[0]);
}

std::optional<double> ParseMaxOpenFiles(std::string_view limits) {
  const auto line = LineAfter(limits, "Max open files");
  if (!line) return std::nullopt;
  // What follows: soft limit, hard limit, unit.
  const auto words = Words(*line);
  if (words.size() != 3 || words[2] != "files") return std::nullopt;
  if (words[0] == "unlimited") return static_cast<double>(std::numeric_limits<uint64_t>::max());
  const auto soft = ParseUnsigned(words[0]);
  if (!soft) return std::nullopt;
  return static_cast<double>(*soft);
}

ProcessSample SampleFromProc(const ProcTexts& texts, uint64_t ticks_per_second,
                             uint64_t page_size) {
  ProcessSample sample;
  const std::optional<ProcPidStat> pid_stat =
      texts.pid_stat ? ParseProcPidStat(*texts.pid_stat) : std::nullopt;
  if (pid_stat && ticks_per_second > 0 && page_size > 0) {
    const double ticks = static_cast<double>(ticks_per_second);
    sample.cpu_seconds = static_cast<double>(pid_stat->user_ticks + pid_stat->system_ticks) / ticks;
    sample.resident_memory_bytes =
        static_cast<double>(pid_stat->resident_pages) * static_cast<double>(page_size);
    sample.virtual_memory_bytes = static_cast<double>(pid_stat->virtual_bytes);
    const std::optional<uint64_t> boot = texts.stat ? ParseBootTime(*texts.stat) : std::nullopt;
    if (boot)
      sample.start_time_seconds =
          static_cast<double>(*boot) + static_cast<double>(pid_stat->start_ticks) / ticks;
  }
  if (texts.open_fds) sample.open_fds = static_cast<double>(*texts.open_fds);
  if (texts.limits) sample.max_fds = ParseMaxOpenFiles(*texts.limits);
  return sample;
}

std::vector<prometheus::MetricFamily> ProcessFamilies(const ProcessSample& sample) {
  // In kProcessFamilies' order.
  const std::array<std::optional<double>, kProcessFamilies.size()> values = {
      sample.cpu_seconds,
      sample.resident_memory_bytes,
      sample.virtual_memory_bytes,
      sample.open_fds,
      sample.max_fds,
      sample.start_time_seconds};
  std::vector<prometheus::MetricFamily> families;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]) families.push_back(OneValueFamily(kProcessFamilies[i], *values[i]));
  }
  return families;
}

ProcessCollector::ProcessCollector(std::string proc_root) : proc_root_(std::move(proc_root)) {}

ProcTexts ProcessCollector::Read() const {
  ProcTexts texts;
  texts.pid_stat = ReadWholeFile(proc_root_ + "/self/stat");
  texts.stat = ReadWholeFile(proc_root_ + "/stat");
  texts.limits = ReadWholeFile(proc_root_ + "/self/limits");
  texts.open_fds = CountDirectoryEntries(proc_root_ + "/self/fd");
  return texts;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  // sysconf answers -1 when it cannot tell; SampleFromProc leaves out what needs a zero.
  const uint64_t ticks = static_cast<uint64_t>(std::max(0L, ::sysconf(_SC_CLK_TCK)));
  const uint64_t page_size = static_cast<uint64_t>(std::max(0L, ::sysconf(_SC_PAGESIZE)));
  return ProcessFamilies(SampleFromProc(Read(), ticks, page_size));
}

}  // namespace sidecar
