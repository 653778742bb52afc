#include "metrics/promtool.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/process.h"

namespace sidecar::testing {
namespace {

constexpr auto kPromtoolTimeout = std::chrono::seconds(60);

PromtoolRun Run(std::vector<std::string> argv) {
  ChildProcess process(std::move(argv));
  PromtoolRun run;
  run.exit_code = process.Wait(kPromtoolTimeout);
  run.output = process.Output();
  return run;
}

}  // namespace

std::string PromtoolPath() {
  return PROMTOOL_PATH;
}

PromtoolRun RunPromtool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {PromtoolPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(std::move(argv));
}

PromtoolRun RunPromtoolOnInput(const std::vector<std::string>& args, const std::string& input) {
  const TempFile input_file(input, ".txt");
  // The shell only redirects standard input; paths are passed as arguments, never quoted.
  std::vector<std::string> argv = {
      "/bin/sh",         "-c",          "input=$1; shift; exec \"$@\" < \"$input\"", "sh",
      input_file.path(), PromtoolPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(std::move(argv));
}

TempFile::TempFile(const std::string& text, const std::string& suffix) {
  std::string pattern = "/tmp/sidecar-metrics-test-XXXXXX" + suffix;
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw std::runtime_error("mkstemps failed");
  ::close(fd);
  path_ = pattern;
  std::ofstream(path_, std::ios::binary) << text;
}

TempFile::~TempFile() {
  ::unlink(path_.c_str());
}

}  // namespace sidecar::testing
