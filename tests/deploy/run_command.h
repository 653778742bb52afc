// Running a tool (helm) from tests and keeping what it wrote to stdout apart from stderr.
//
// Thread-compatible: each call starts its own process and temporary files.
#pragma once

#include <string>
#include <vector>

namespace sidecar::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it could not be started
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs argv[0] (a path) with the arguments that follow, waits for it to end.
CommandResult RunCommand(const std::vector<std::string>& argv);

}  // namespace sidecar::testing
