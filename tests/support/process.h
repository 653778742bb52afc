// Test helpers for running real processes on loopback.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace sidecar::testing {

// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
int FreePort();

// Path of a binary built by this project (build/completion-sidecar, build/feldera-sim, ...).
std::string BuiltBinary(const std::string& name);

// Calls `probe` every few milliseconds until it returns true or `timeout` passes.
// Returns whether it did. For waiting on a condition, never a fixed sleep.
bool WaitUntil(const std::function<bool()>& probe,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A child process whose stdout and stderr go to a temporary file. Killed on destruction.
class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int signal);
  // Waits for exit; returns the exit code (128 + signal if killed), or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Everything the process printed so far.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string output_path_;
};

}  // namespace sidecar::testing
