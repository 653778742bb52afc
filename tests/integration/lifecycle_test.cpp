// The service's life cycle through the real binary: SIGTERM answers held long-polls and exits 0;
// SIGHUP or a changed config file applies a new log level without a restart; a broken file
// changes nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <sstream>

#include "service_harness.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rewrites the config file with `from` replaced by `to` (through a rename, as editors and
// Kubernetes ConfigMap updates do).
void Rewrite(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = Read(path);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, from.size(), to);
  std::ofstream(path + ".next") << text;
  ASSERT_EQ(std::rename((path + ".next").c_str(), path.c_str()), 0);
}

// Whether the service logged a debug line for a /healthz request made now.
bool LogsDebugFor(ServiceHarness& h, const std::string& marker) {
  const std::string path = "/healthz?" + marker;
  EXPECT_EQ(HttpGet(h.ServiceUrl(path)).status, 200);
  // The line is written before the answer is sent.
  return h.service().Output().find("debug GET " + path) != std::string::npos;
}

TEST(Lifecycle, SigtermAnswersHeldLongPollsAndExitsZero) {
  ServiceHarness h;
  h.Sim("/sim/pause");
  const std::string token = h.Ingest();
  auto held = std::async(std::launch::async, [&] { return h.Status(token, "&wait_ms=25000"); });
  ASSERT_TRUE(
      WaitUntil([&] { return h.service().Output().find("wait_ms=25000") != std::string::npos; }));
  h.service().Signal(SIGTERM);
  ASSERT_EQ(held.wait_for(10s), std::future_status::ready) << "the long-poll was not answered";
  const HttpResult answer = held.get();
  EXPECT_EQ(answer.status, 202) << answer.body;
  EXPECT_EQ(h.service().Wait(), 0) << h.service().Output();
  EXPECT_NE(h.service().Output().find("stopped"), std::string::npos);
}

TEST(Lifecycle, SighupAndFileChangesApplyTheLogLevel) {
  ServiceHarness h;  // starts at level debug
  ASSERT_TRUE(LogsDebugFor(h, "before"));

  Rewrite(h.config_path(), "level: debug", "level: warn");
  h.service().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    return h.service().Output().find("reload (SIGHUP): log level warn") != std::string::npos;
  }));
  EXPECT_FALSE(LogsDebugFor(h, "at-warn"));

  // No signal: the file itself is watched.
  Rewrite(h.config_path(), "level: warn", "level: debug");
  EXPECT_TRUE(WaitUntil([&] { return LogsDebugFor(h, "again"); }));
  EXPECT_NE(h.service().Output().find("reload (the config file changed)"), std::string::npos);
}

TEST(Lifecycle, ABrokenConfigFileChangesNothing) {
  ServiceHarness h;
  Rewrite(h.config_path(), "level: debug", "level: [not, a, level]");
  h.service().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    return h.service().Output().find("keeping the running configuration") != std::string::npos;
  }));
  EXPECT_TRUE(LogsDebugFor(h, "still-debug"));
  EXPECT_TRUE(h.service().Running());
}

}  // namespace
}  // namespace sidecar::testing
