// Runs the real feldera-sim binary on a loopback port and exercises it over HTTP and signals.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <regex>
#include <string>
#include <vector>

#include "support/http.h"
#include "support/process.h"
#include "support/test_certificates.h"
#include "token/completion_token.h"

namespace sidecar::sim {
namespace {

using sidecar::testing::BuiltBinary;
using sidecar::testing::ChildProcess;
using sidecar::testing::FreePort;
using sidecar::testing::HttpCall;
using sidecar::testing::HttpGet;
using sidecar::testing::HttpPost;
using sidecar::testing::HttpResult;
using sidecar::testing::TestCertificates;
using sidecar::testing::WaitUntil;

// Opens a loopback TCP connection to `port`; -1 with errno set on failure.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// Opens a TCP connection to [::1]:`port`; -1 with errno set on failure.
int Connect6(int port) {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  addr.sin6_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// A free port on [::1], or why there is none (this machine has no IPv6 loopback).
std::pair<int, std::string> FreeIpv6Port() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return {0, std::string("socket(AF_INET6): ") + std::strerror(errno)};
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  socklen_t size = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    const std::string why = std::string("binding [::1]: ") + std::strerror(errno);
    ::close(fd);
    return {0, why};
  }
  ::close(fd);
  return {ntohs(addr.sin6_port), ""};
}

bool ConnectionRefused(int port) {
  const int fd = Connect(port);
  if (fd >= 0) {
    ::close(fd);
    return false;
  }
  return errno == ECONNREFUSED;
}

// Sends `request` verbatim, ends the sending side (a server waiting for more bytes sees the end),
// and returns everything the server answers until it closes.
std::string RawHttp(int port, const std::string& request, bool ipv6 = false) {
  const int fd = ipv6 ? Connect6(port) : Connect(port);
  if (fd < 0) return "";
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, n);
  ::close(fd);
  return answer;
}

// What a raw connection received until the server closed or reset it.
struct RawAnswer {
  std::string bytes;
  int error = 0;  // errno of the read that ended it; 0 for an orderly close
};

// Reads from `fd` until the server closes or resets the connection (or 10 s pass).
RawAnswer ReadUntilClosed(int fd) {
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  RawAnswer answer;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      answer.bytes.append(buffer, n);
      continue;
    }
    answer.error = n < 0 ? errno : 0;
    return answer;
  }
}

// One running feldera-sim with two tables and an extra connector, stepping quickly.
class FelderaSimTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(std::vector<std::string> args = {}) {
    port_ = FreePort();
    std::vector<std::string> argv = {BuiltBinary("feldera-sim"),
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port_),
                                     "--tables",
                                     "numbers,orders",
                                     "--connectors",
                                     "numbers.kafka",
                                     "--step-interval-ms",
                                     "5",
                                     "--step-delay-ms",
                                     "30"};
    argv.insert(argv.end(), args.begin(), args.end());
    sim_ = std::make_unique<ChildProcess>(argv);
    ASSERT_TRUE(WaitUntil([&] { return Banner().size() > 0 || !sim_->Running(); }))
        << sim_->Output();
    ASSERT_FALSE(Banner().empty()) << sim_->Output();
  }

  // The start-up line, once printed.
  std::string Banner() const {
    const std::string output = sim_->Output();
    const size_t end = output.find('\n');
    return end == std::string::npos ? "" : output.substr(0, end);
  }

  std::string Url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port_) + target;
  }

  std::string Ingest(const std::string& table, const std::string& body) {
    const HttpResult result = HttpPost(Url("/ingress/" + table + "?format=json"), body);
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json().at("token").as_string();
  }

  HttpResult Status(const std::string& token) {
    return HttpGet(Url("/completion_status?token=" + token));
  }

  bool IsComplete(const std::string& token) {
    const HttpResult result = Status(token);
    return result.status == 200 && result.Json().at("status").as_string() == "complete";
  }

  web::json::value GlobalMetrics() { return HttpGet(Url("/stats")).Json().at("global_metrics"); }
  std::string Incarnation() { return GlobalMetrics().at("incarnation_uuid").as_string(); }

  // /stats gives start times in whole seconds: a resume within the second the process started
  // reads as no resume, as in Feldera. Waits until the wall clock is past that second, so that
  // the next start falls in a later one.
  void WaitPastTheStartSecond() {
    const int64_t started = GlobalMetrics().at("start_time").as_number().to_int64();
    const auto next_second =
        std::chrono::system_clock::time_point(std::chrono::seconds(started + 1));
    ASSERT_TRUE(WaitUntil([&] { return std::chrono::system_clock::now() >= next_second; }));
  }

  static int64_t Seconds(const web::json::value& metrics, const char* field) {
    EXPECT_TRUE(metrics.at(field).is_integer()) << field << " " << metrics.serialize();
    return metrics.at(field).as_number().to_int64();
  }

  static void ExpectErrorResponse(const HttpResult& result, int status, const std::string& code) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(result.Header("content-type"), "application/json");
    const web::json::value body = result.Json();
    ASSERT_TRUE(body.is_object()) << result.body;
    EXPECT_EQ(body.size(), 3u) << result.body;
    EXPECT_TRUE(body.at("message").is_string());
    EXPECT_EQ(body.at("error_code").as_string(), code);
    EXPECT_TRUE(body.at("details").is_object());
  }

  int port_ = 0;
  std::unique_ptr<ChildProcess> sim_;
};

TEST_F(FelderaSimTest, PrintsOneListeningLineWithTheIncarnation) {
  const std::regex banner(
      "feldera-sim listening on http://127\\.0\\.0\\.1:([0-9]+) incarnation "
      "([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
  std::smatch match;
  const std::string line = Banner();
  ASSERT_TRUE(std::regex_match(line, match, banner)) << line;
  EXPECT_EQ(match[1].str(), std::to_string(port_));
  EXPECT_EQ(match[2].str(), Incarnation());
}

TEST_F(FelderaSimTest, IngressTokenCompletesOnceItsStepHasCompleted) {
  const std::string token = Ingest("numbers", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  const Result<CompletionToken> decoded = DecodeCompletionToken(token);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->incarnation.ToString(), Incarnation());
  EXPECT_EQ(decoded->endpoint, 0u);
  EXPECT_EQ(decoded->count, 3u);

  ASSERT_TRUE(WaitUntil([&] { return IsComplete(token); }));
  const web::json::value status = Status(token).Json();
  EXPECT_GE(status.at("step").as_number().to_uint64(), 1u);
  EXPECT_LE(status.at("step").as_number().to_uint64(),
            GlobalMetrics().at("total_completed_steps").as_number().to_uint64());

  const web::json::value stats = HttpGet(Url("/stats")).Json();
  EXPECT_EQ(stats.at("global_metrics").at("total_input_records").as_number().to_uint64(), 3u);
  bool found = false;
  for (const web::json::value& input : stats.at("inputs").as_array()) {
    if (input.at("endpoint_name").as_string() != "numbers.api-ingress") continue;
    found = true;
    EXPECT_EQ(input.at("metrics").at("total_records").as_number().to_uint64(), 3u);
  }
  EXPECT_TRUE(found);
}

TEST_F(FelderaSimTest, PauseHoldsTokensInProgressUntilResume) {
  ASSERT_EQ(HttpPost(Url("/sim/pause")).status, 200);
  const std::string token = Ingest("orders", "[1,2]");
  // Labelling goes on while paused: wait for the step, then the answer is stable.
  ASSERT_TRUE(WaitUntil([&] { return !Status(token).Json().at("step").is_null(); }));
  const web::json::value held = Status(token).Json();
  EXPECT_EQ(held.at("status").as_string(), "inprogress");
  EXPECT_TRUE(HttpGet(Url("/sim/state")).Json().at("paused").as_bool());

  ASSERT_EQ(HttpPost(Url("/sim/resume")).status, 200);
  ASSERT_TRUE(WaitUntil([&] { return IsComplete(token); }));
  EXPECT_EQ(Status(token).Json().at("step"), held.at("step"));
}

TEST_F(FelderaSimTest, StateReportsHighestCompleteCountPerEndpoint) {
  const std::string token = Ingest("numbers", "[1,2,3,4]");
  ASSERT_TRUE(WaitUntil([&] { return IsComplete(token); }));
  const web::json::value endpoints = HttpGet(Url("/sim/state")).Json().at("endpoints");
  ASSERT_EQ(endpoints.size(), 3u);
  EXPECT_EQ(endpoints.at(0).at("name").as_string(), "numbers.api-ingress");
  EXPECT_EQ(endpoints.at(0).at("highest_complete_count").as_number().to_uint64(), 4u);
  EXPECT_EQ(endpoints.at(1).at("name").as_string(), "orders.api-ingress");
  EXPECT_EQ(endpoints.at(2).at("name").as_string(), "numbers.kafka");
}

TEST_F(FelderaSimTest, CompletionTokenOfEveryEndpoint) {
  HttpResult result = HttpGet(Url("/input_endpoints/numbers.kafka/completion_token"));
  ASSERT_EQ(result.status, 200) << result.body;
  Result<CompletionToken> token = DecodeCompletionToken(result.Json().at("token").as_string());
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->endpoint, 2u);
  EXPECT_EQ(token->count, 0u);
  EXPECT_TRUE(IsComplete(result.Json().at("token").as_string()));

  result = HttpGet(Url("/input_endpoints/orders%2Eapi-ingress/completion_token"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(DecodeCompletionToken(result.Json().at("token").as_string())->endpoint, 1u);

  ExpectErrorResponse(HttpGet(Url("/input_endpoints/orders.kafka/completion_token")), 404,
                      "UnknownInputEndpoint");
}

TEST_F(FelderaSimTest, ErrorsAreFelderaErrorResponses) {
  ExpectErrorResponse(HttpGet(Url("/completion_status")), 400, "MissingUrlEncodedParam");
  ExpectErrorResponse(Status("bm90IGEgdG9rZW4"), 400, "InvalidParam");
  ExpectErrorResponse(
      Status("eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30="), 410,
      "PipelineRestarted");
  CompletionToken unknown = DecodeCompletionToken(Ingest("numbers", "{}")).value();
  unknown.endpoint = 42;
  const HttpResult gone = Status(EncodeCompletionToken(unknown));
  ExpectErrorResponse(gone, 410, "UnknownEndpointInCompletionToken");
  EXPECT_EQ(gone.Json().at("details").at("endpoint_id").as_number().to_uint64(), 42u);
  ExpectErrorResponse(HttpPost(Url("/ingress/nope?format=json"), "{}"), 404,
                      "ConfigError.UnknownInputStream");
  ExpectErrorResponse(HttpPost(Url("/ingress/numbers?format=xml"), "{}"), 400,
                      "ConfigError.UnknownInputFormat");
  ExpectErrorResponse(HttpPost(Url("/ingress/numbers?format=json"), "{bad"), 400, "ParseErrors");
  ExpectErrorResponse(HttpCall("DELETE", Url("/sim/state")), 405, "MethodNotAllowed");
}

// Feldera's pipeline server is actix-web with route macros and no default service.
TEST_F(FelderaSimTest, PathsAndMethodsWithoutARouteGetABare404) {
  for (const HttpResult& result :
       {HttpGet(Url("/nope")), HttpPost(Url("/stats")), HttpGet(Url("/ingress/numbers"))}) {
    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.body, "");
    EXPECT_EQ(result.Header("content-type"), "");
  }
}

TEST_F(FelderaSimTest, StatsCarryFelderasFieldsWithStartTimesInUnixSeconds) {
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const web::json::value stats = HttpGet(Url("/stats")).Json();
  const web::json::value& global = stats.at("global_metrics");
  const int64_t start = Seconds(global, "start_time");
  EXPECT_LE(start, before.time_since_epoch().count());
  EXPECT_GT(start, before.time_since_epoch().count() - 60);
  EXPECT_EQ(Seconds(global, "initial_start_time"), start);
  EXPECT_EQ(global.at("transaction_status").as_string(), "NoTransaction");
  EXPECT_TRUE(global.at("rss_bytes").is_integer());
  const web::json::value& input = stats.at("inputs").at(0);
  EXPECT_EQ(input.at("config").at("stream").as_string(), "numbers");
  EXPECT_FALSE(input.at("paused").as_bool());
  EXPECT_FALSE(input.at("barrier").as_bool());
}

TEST_F(FelderaSimTest, IngressTableIsASqlIdentifierAndTheFormatCsvByDefault) {
  EXPECT_EQ(DecodeCompletionToken(Ingest("NUMBERS", "{}\n{}")).value().count, 2u);
  const HttpResult csv = HttpPost(Url("/ingress/%22orders%22"), "1,a\n2,b\n3,c\n");
  ASSERT_EQ(csv.status, 200) << csv.body;
  const CompletionToken token = DecodeCompletionToken(csv.Json().at("token").as_string()).value();
  EXPECT_EQ(token.endpoint, 1u);
  EXPECT_EQ(token.count, 3u);
}

TEST_F(FelderaSimTest, RestartThroughTheControlApi) {
  const std::string old_token = Ingest("numbers", "{}");
  const std::string old_incarnation = Incarnation();

  HttpResult result = HttpPost(Url("/sim/restart?checkpoint=false"));
  ASSERT_EQ(result.status, 200) << result.body;
  const std::string incarnation = result.Json().at("incarnation_uuid").as_string();
  EXPECT_GT(incarnation, old_incarnation);  // UUIDv7: later start sorts later
  web::json::value global = GlobalMetrics();
  EXPECT_EQ(global.at("incarnation_uuid").as_string(), incarnation);
  EXPECT_EQ(global.at("initial_start_time"), global.at("start_time"));
  EXPECT_EQ(global.at("total_input_records").as_number().to_uint64(), 0u);
  ExpectErrorResponse(Status(old_token), 410, "PipelineRestarted");

  WaitPastTheStartSecond();
  result = HttpPost(Url("/sim/restart?checkpoint=true"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_TRUE(result.Json().at("resumed_from_checkpoint").as_bool());
  global = GlobalMetrics();
  EXPECT_LT(Seconds(global, "initial_start_time"), Seconds(global, "start_time"));
}

// With whole seconds, nobody can tell a resume in the start's second from a fresh start; the
// simulator's own /sim/state keeps milliseconds.
TEST_F(FelderaSimTest, AResumeWithinTheStartSecondReadsAsNoResumeInStats) {
  // Restart until the restart and its resume fall in one second (at most a few tries: both take
  // a few milliseconds).
  bool same_second = false;
  for (int attempt = 0; attempt < 20 && !same_second; ++attempt) {
    ASSERT_EQ(HttpPost(Url("/sim/restart")).status, 200);
    ASSERT_EQ(HttpPost(Url("/sim/restart?checkpoint=true")).status, 200);
    const web::json::value state = HttpGet(Url("/sim/state")).Json();
    same_second = state.at("start_time") == state.at("initial_start_time");
    if (!same_second) continue;
    EXPECT_LT(state.at("initial_start_time_ms").as_number().to_int64(),
              state.at("start_time_ms").as_number().to_int64());
    const web::json::value global = GlobalMetrics();
    EXPECT_EQ(Seconds(global, "initial_start_time"), Seconds(global, "start_time"));
  }
  EXPECT_TRUE(same_second);
}

TEST_F(FelderaSimTest, SighupRestartsAndSigusr1ResumesFromCheckpoint) {
  const std::string first = Incarnation();
  sim_->Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return Incarnation() != first; }));
  web::json::value global = GlobalMetrics();
  EXPECT_EQ(global.at("initial_start_time"), global.at("start_time"));

  const std::string second = global.at("incarnation_uuid").as_string();
  WaitPastTheStartSecond();
  sim_->Signal(SIGUSR1);
  ASSERT_TRUE(WaitUntil([&] { return Incarnation() != second; }));
  global = GlobalMetrics();
  EXPECT_LT(Seconds(global, "initial_start_time"), Seconds(global, "start_time"));
  EXPECT_GT(global.at("incarnation_uuid").as_string(), second);
}

TEST_F(FelderaSimTest, SigtermAndSigintExitCleanly) {
  sim_->Signal(SIGTERM);
  EXPECT_EQ(sim_->Wait(), 0);
  Start();
  sim_->Signal(SIGINT);
  EXPECT_EQ(sim_->Wait(), 0);
}

TEST_F(FelderaSimTest, DownRefusesConnectionsThenComesBackAsTheSameIncarnation) {
  const std::string incarnation = Incarnation();
  const HttpResult result = HttpPost(Url("/sim/down?ms=500"));
  ASSERT_EQ(result.status, 200) << result.body;
  ASSERT_TRUE(WaitUntil([&] { return ConnectionRefused(port_); }));
  ASSERT_TRUE(WaitUntil([&] { return HttpGet(Url("/stats")).status == 200; }));
  EXPECT_EQ(Incarnation(), incarnation);
}

TEST_F(FelderaSimTest, DownWithRestartComesBackAsANewIncarnation) {
  const std::string incarnation = Incarnation();
  WaitPastTheStartSecond();
  ASSERT_EQ(HttpPost(Url("/sim/down?ms=200&restart=true&checkpoint=true")).status, 200);
  ASSERT_TRUE(WaitUntil([&] {
    const HttpResult stats = HttpGet(Url("/stats"));
    return stats.status == 200 &&
           stats.Json().at("global_metrics").at("incarnation_uuid").as_string() != incarnation;
  }));
  const web::json::value global = GlobalMetrics();
  EXPECT_GT(global.at("incarnation_uuid").as_string(), incarnation);
  EXPECT_LT(Seconds(global, "initial_start_time"), Seconds(global, "start_time"));
}

TEST_F(FelderaSimTest, StallHoldsAnswersWithoutHoldingThreads) {
  ASSERT_EQ(HttpPost(Url("/sim/stall?ms=1000")).status, 200);
  ASSERT_EQ(HttpPost(Url("/sim/requests/reset")).status, 200);
  // More stalled requests than the simulator has threads.
  std::vector<std::future<HttpResult>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::async(std::launch::async, [&] { return HttpGet(Url("/stats")); }));
  }
  ASSERT_TRUE(WaitUntil([&] {
    return HttpGet(Url("/sim/requests")).Json().at("stats").as_number().to_uint64() == 8;
  }));
  // With all eight held, the control API still answers; the held requests are answered after
  // the restart, so they report the new incarnation.
  const HttpResult restart = HttpPost(Url("/sim/restart"));
  ASSERT_EQ(restart.status, 200);
  const std::string incarnation = restart.Json().at("incarnation_uuid").as_string();
  for (auto& request : stalled) {
    const HttpResult answer = request.get();
    ASSERT_EQ(answer.status, 200) << answer.error;
    EXPECT_EQ(answer.Json().at("global_metrics").at("incarnation_uuid").as_string(), incarnation);
  }

  ASSERT_EQ(HttpPost(Url("/sim/stall?ms=0")).status, 200);
  EXPECT_EQ(HttpGet(Url("/stats")).status, 200);
}

TEST_F(FelderaSimTest, FaultAnswersTheNextCompletionStatusRequests) {
  const std::string token = Ingest("numbers", "{}");
  ASSERT_EQ(HttpPost(Url("/sim/fault?status=503&count=2")).status, 200);
  const HttpResult unavailable = Status(token);
  ExpectErrorResponse(unavailable, 503, "PipelineUnavailable");
  EXPECT_EQ(unavailable.Header("retry-after"), "");  // only Feldera's manager adds one
  EXPECT_EQ(HttpGet(Url("/stats")).status, 200);
  ExpectErrorResponse(Status(token), 503, "PipelineUnavailable");
  EXPECT_EQ(Status(token).status, 200);

  ASSERT_EQ(HttpPost(Url("/sim/fault?status=500")).status, 200);
  for (int i = 0; i < 3; ++i) ExpectErrorResponse(Status(token), 500, "PipelineInternalError");
  ASSERT_EQ(HttpPost(Url("/sim/fault?status=0")).status, 200);
  EXPECT_EQ(Status(token).status, 200);
}

TEST_F(FelderaSimTest, GarbageFaultsAnswerNonJsonAndWrongShapes) {
  const std::string token = Ingest("numbers", "{}");
  ASSERT_EQ(HttpPost(Url("/sim/fault?kind=non_json&count=1")).status, 200);
  HttpResult result = Status(token);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.Header("content-type"), "text/html");
  EXPECT_TRUE(result.Json().is_null()) << result.body;
  EXPECT_TRUE(Status(token).Json().has_string_field("status"));  // one fault only

  ASSERT_EQ(HttpPost(Url("/sim/fault?kind=wrong_shape&status=500&path=stats")).status, 200);
  for (int i = 0; i < 2; ++i) {
    result = HttpGet(Url("/stats"));
    EXPECT_EQ(result.status, 500);
    EXPECT_EQ(result.Header("content-type"), "application/json");
    EXPECT_FALSE(result.Json().at("global_metrics").at("incarnation_uuid").is_string());
  }
  EXPECT_EQ(Status(token).status, 200);  // completion_status is not affected
  ASSERT_EQ(HttpPost(Url("/sim/fault?path=stats&status=0")).status, 200);
  EXPECT_TRUE(HttpGet(Url("/stats")).Json().has_object_field("global_metrics"));
}

TEST_F(FelderaSimTest, ResetFaultResetsEveryOpenConnectionWithoutAnAnswer) {
  const std::string token = Ingest("numbers", "{}");
  // An idle connection, open before the fault: it is reset too.
  const int idle = Connect(port_);
  ASSERT_GE(idle, 0);
  ASSERT_EQ(HttpPost(Url("/sim/fault?kind=reset&count=1")).status, 200);
  ASSERT_EQ(HttpPost(Url("/sim/requests/reset")).status, 200);

  const int faulted = Connect(port_);
  ASSERT_GE(faulted, 0);
  const std::string request =
      "GET /completion_status?token=" + token + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(faulted, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  const RawAnswer answer = ReadUntilClosed(faulted);
  ::close(faulted);
  EXPECT_EQ(answer.bytes, "");
  EXPECT_EQ(answer.error, ECONNRESET) << std::strerror(answer.error);

  const RawAnswer idle_answer = ReadUntilClosed(idle);
  ::close(idle);
  EXPECT_EQ(idle_answer.bytes, "");
  EXPECT_EQ(idle_answer.error, ECONNRESET) << std::strerror(idle_answer.error);

  // The request counted, the listener still listens, and the fault was used up.
  EXPECT_EQ(HttpGet(Url("/sim/requests")).Json().at("completion_status").as_integer(), 1);
  EXPECT_EQ(Status(token).status, 200);
  EXPECT_TRUE(sim_->Running());
}

TEST_F(FelderaSimTest, ResetFaultIsAnErrorForAnHttpClient) {
  const std::string token = Ingest("numbers", "{}");
  ASSERT_EQ(HttpPost(Url("/sim/fault?kind=reset")).status, 200);
  for (int i = 0; i < 3; ++i) {
    const HttpResult result = Status(token);
    EXPECT_EQ(result.status, 0) << result.body;
    EXPECT_FALSE(result.error.empty());
  }
  ASSERT_EQ(HttpPost(Url("/sim/fault?status=0")).status, 200);
  EXPECT_EQ(Status(token).status, 200);
}

TEST_F(FelderaSimTest, CountsEveryPipelineRequestThatArrives) {
  ASSERT_EQ(HttpPost(Url("/sim/requests/reset")).status, 200);
  const std::string token = Ingest("numbers", "{}");
  HttpPost(Url("/ingress/nope?format=json"), "{}");  // refused, still counted
  Status(token);
  HttpGet(Url("/completion_status"));
  HttpPost(Url("/completion_status"));
  HttpGet(Url("/stats"));
  HttpGet(Url("/input_endpoints/numbers.kafka/completion_token"));
  RawHttp(port_, "GET /completion_status?token=%zz HTTP/1.1\r\nHost: x\r\n\r\n");  // malformed
  HttpGet(Url("/sim/state"));  // the control API is not counted
  HttpGet(Url("/elsewhere"));

  const web::json::value counts = HttpGet(Url("/sim/requests")).Json();
  EXPECT_EQ(counts.at("ingress").as_number().to_uint64(), 2u);
  EXPECT_EQ(counts.at("completion_status").as_number().to_uint64(), 4u);
  EXPECT_EQ(counts.at("stats").as_number().to_uint64(), 1u);
  EXPECT_EQ(counts.at("completion_token").as_number().to_uint64(), 1u);

  const web::json::value reset = HttpPost(Url("/sim/requests/reset")).Json();
  EXPECT_EQ(reset.at("completion_status").as_number().to_uint64(), 0u);
}

TEST_F(FelderaSimTest, MalformedRequestsNeverCrashIt) {
  const std::vector<std::string> requests = {
      "GET /completion_status?token=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /input_endpoints/%/completion_token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /completion_status?token=" + std::string(100000, 'A') +
          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "POST /ingress/numbers?format=json HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "Connection: close\r\n\r\n\xff\xfe\x00\x01\x02",
      "POST /ingress/numbers?format=json HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n"
      "Connection: close\r\n\r\n{}",
      "BREW /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "\r\n\r\ngarbage\r\n\r\n",
  };
  for (const std::string& request : requests) {
    const std::string answer = RawHttp(port_, request);
    EXPECT_EQ(answer.rfind("HTTP/1.1 4", 0), 0u) << answer.substr(0, 200);
  }
  ExpectErrorResponse(HttpPost(Url("/ingress/numbers?format=json"), std::string(100000, '[')), 400,
                      "ParseErrors");
  EXPECT_TRUE(sim_->Running());
  EXPECT_EQ(HttpGet(Url("/stats")).status, 200);
}

// A simulator with a control listener, which stays up while the pipeline's port is closed.
class FelderaSimControlListenerTest : public FelderaSimTest {
 protected:
  void SetUp() override {
    control_port_ = FreePort();
    Start({"--control-listen", "127.0.0.1:" + std::to_string(control_port_)});
  }
  std::string ControlUrl(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(control_port_) + target;
  }
  int control_port_ = 0;
};

TEST_F(FelderaSimControlListenerTest, BannerNamesTheControlListener) {
  EXPECT_NE(Banner().find(" control " + ControlUrl("")), std::string::npos) << Banner();
}

TEST_F(FelderaSimControlListenerTest, StopTakesTheProcessAwayUntilStartedAsANewIncarnation) {
  const std::string token = Ingest("numbers", "{}");
  const std::string first = Incarnation();
  WaitPastTheStartSecond();
  const HttpResult stop = HttpPost(Url("/sim/stop"));
  ASSERT_EQ(stop.status, 200) << stop.body;
  EXPECT_FALSE(stop.Json().at("running").as_bool());
  ASSERT_TRUE(WaitUntil([&] { return ConnectionRefused(port_); }));
  EXPECT_FALSE(HttpGet(ControlUrl("/sim/state")).Json().at("running").as_bool());

  const HttpResult start = HttpPost(ControlUrl("/sim/start?checkpoint=true"));
  ASSERT_EQ(start.status, 200) << start.body;
  EXPECT_TRUE(start.Json().at("resumed_from_checkpoint").as_bool());
  // The port is open again before the answer to the start.
  const HttpResult stats = HttpGet(Url("/stats"));
  ASSERT_EQ(stats.status, 200) << stats.error;
  const web::json::value global = stats.Json().at("global_metrics");
  EXPECT_GT(global.at("incarnation_uuid").as_string(), first);
  EXPECT_EQ(global.at("incarnation_uuid").as_string(),
            start.Json().at("incarnation_uuid").as_string());
  EXPECT_LT(Seconds(global, "initial_start_time"), Seconds(global, "start_time"));
  ExpectErrorResponse(Status(token), 410, "PipelineRestarted");
  ExpectErrorResponse(HttpPost(ControlUrl("/sim/start")), 409, "PipelineRunning");
}

TEST_F(FelderaSimControlListenerTest, ControlListenerServesOnlyTheControlApi) {
  const HttpResult stats = HttpGet(ControlUrl("/stats"));
  EXPECT_EQ(stats.status, 404);
  EXPECT_EQ(stats.body, "");
  EXPECT_EQ(HttpGet(ControlUrl("/sim/requests")).status, 200);
  EXPECT_EQ(HttpGet(Url("/sim/requests")).status, 200);
}

TEST_F(FelderaSimControlListenerTest, ControlListenerStaysUpThroughAnOutage) {
  ASSERT_EQ(HttpPost(Url("/sim/down?ms=60000")).status, 200);
  ASSERT_TRUE(WaitUntil([&] { return ConnectionRefused(port_); }));
  EXPECT_EQ(HttpGet(ControlUrl("/sim/state")).status, 200);
}

TEST_F(FelderaSimTest, ASignalStartsAStoppedProcess) {
  const std::string first = Incarnation();
  ASSERT_EQ(HttpPost(Url("/sim/stop")).status, 200);
  ASSERT_TRUE(WaitUntil([&] { return ConnectionRefused(port_); }));
  sim_->Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return HttpGet(Url("/stats")).status == 200; }));
  EXPECT_GT(Incarnation(), first);
  EXPECT_TRUE(sim_->Running());
}

// feldera-sim --manager demo: Feldera's API server in front of the pipeline "demo".
class FelderaSimManagerTest : public FelderaSimTest {
 protected:
  void SetUp() override { Start({"--manager", "demo"}); }
  std::string Pipeline(const std::string& suffix) const {
    return Url("/v0/pipelines/demo" + suffix);
  }
  static void ExpectStopped(const HttpResult& result) {
    ExpectErrorResponse(result, 503, "PipelineInteractionNotDeployed");
    EXPECT_EQ(result.Header("retry-after"), "5");
    const web::json::value body = result.Json();
    EXPECT_EQ(body.at("message").as_string(),
              "Unable to interact with pipeline because the deployment status (stopped) "
              "indicates it is not (yet) fully provisioned pipeline-id=N/A pipeline-name=\"demo\"");
    EXPECT_EQ(body.at("details").serialize(),
              R"({"desired_status":"Stopped","pipeline_name":"demo","status":"Stopped"})");
  }
};

TEST_F(FelderaSimManagerTest, BannerSaysItIsTheManager) {
  EXPECT_NE(Banner().find(" manager demo"), std::string::npos) << Banner();
}

TEST_F(FelderaSimManagerTest, ServesThePipelineUnderItsName) {
  HttpResult result = HttpPost(Pipeline("/ingress/NUMBERS?format=json"), "{}\n{}");
  ASSERT_EQ(result.status, 200) << result.body;
  const std::string token = result.Json().at("token").as_string();
  EXPECT_EQ(DecodeCompletionToken(token)->count, 2u);

  result = HttpGet(Pipeline("/tables/NUMBERS/connectors/kafka/completion_token"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(DecodeCompletionToken(result.Json().at("token").as_string())->endpoint, 2u);
  result = HttpGet(Pipeline("/tables/%22numbers%22/connectors/api-ingress/completion_token"));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(DecodeCompletionToken(result.Json().at("token").as_string())->count, 2u);
  ExpectErrorResponse(HttpGet(Pipeline("/tables/%22NUMBERS%22/connectors/kafka/completion_token")),
                      404, "UnknownInputEndpoint");

  ASSERT_TRUE(WaitUntil([&] {
    const HttpResult status = HttpGet(Pipeline("/completion_status?token=" + token));
    return status.status == 200 && status.Json().at("status").as_string() == "complete";
  }));
  result = HttpGet(Pipeline("/stats"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.Json().at("global_metrics").at("total_input_records").as_integer(), 2);
  ExpectErrorResponse(HttpGet(Pipeline("/completion_status")), 400, "MissingUrlEncodedParam");
}

TEST_F(FelderaSimManagerTest, AnotherPipelineNameIsUnknown) {
  const HttpResult result = HttpGet(Url("/v0/pipelines/x/completion_status?token=t"));
  ExpectErrorResponse(result, 404, "UnknownPipelineName");
  EXPECT_EQ(result.body, R"({"details":{"pipeline_name":"x"},"error_code":"UnknownPipelineName",)"
                         R"("message":"Unknown pipeline name 'x'"})");
  ExpectErrorResponse(HttpPost(Url("/v0/pipelines/x/ingress/numbers"), "1"), 404,
                      "UnknownPipelineName");
}

TEST_F(FelderaSimManagerTest, TheProcessesOwnPathsAreNotServedAndReachNothing) {
  ASSERT_EQ(HttpPost(Url("/sim/requests/reset")).status, 200);
  for (const HttpResult& result :
       {HttpGet(Url("/stats")), HttpGet(Url("/completion_status?token=t")),
        HttpPost(Url("/ingress/numbers?format=json"), "{}"),
        HttpGet(Url("/input_endpoints/numbers.api-ingress/completion_token")),
        HttpGet(Pipeline("/input_endpoints/numbers.api-ingress/completion_token")),
        HttpPost(Pipeline("/stats"))}) {
    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.body, "");
  }
  const web::json::value counts = HttpGet(Url("/sim/requests")).Json();
  for (const char* kind : {"stats", "completion_status", "ingress", "completion_token"}) {
    EXPECT_EQ(counts.at(kind).as_integer(), 0) << kind;
  }
}

TEST_F(FelderaSimManagerTest, AStoppedPipelineIsNotDeployedUntilStarted) {
  const HttpResult ingested = HttpPost(Pipeline("/ingress/NUMBERS?format=json"), "{}");
  ASSERT_EQ(ingested.status, 200) << ingested.body;
  const std::string token = ingested.Json().at("token").as_string();
  ASSERT_EQ(HttpPost(Url("/sim/requests/reset")).status, 200);
  ASSERT_EQ(HttpPost(Url("/sim/stop")).status, 200);
  ExpectStopped(HttpGet(Pipeline("/stats")));
  ExpectStopped(HttpGet(Pipeline("/completion_status?token=" + token)));
  ExpectStopped(HttpPost(Pipeline("/ingress/numbers?format=json"), "{}"));
  ExpectStopped(HttpGet(Pipeline("/tables/numbers/connectors/kafka/completion_token")));
  ExpectErrorResponse(HttpGet(Url("/v0/pipelines/x/stats")), 404, "UnknownPipelineName");
  EXPECT_EQ(HttpGet(Url("/sim/requests")).Json().at("stats").as_integer(), 0);  // none reached it

  const HttpResult start = HttpPost(Url("/sim/start"));
  ASSERT_EQ(start.status, 200) << start.body;
  const HttpResult status = HttpGet(Pipeline("/completion_status?token=" + token));
  ExpectErrorResponse(status, 410, "PipelineRestarted");
  EXPECT_EQ(status.Header("retry-after"), "");
}

TEST_F(FelderaSimManagerTest, Every503CarriesRetryAfter) {
  ASSERT_EQ(HttpPost(Url("/sim/fault?path=stats&status=503&count=1")).status, 200);
  const HttpResult unavailable = HttpGet(Pipeline("/stats"));
  ExpectErrorResponse(unavailable, 503, "PipelineUnavailable");
  EXPECT_EQ(unavailable.Header("retry-after"), "5");
  ASSERT_EQ(HttpPost(Url("/sim/fault?path=stats&kind=non_json&status=503&count=1")).status, 200);
  EXPECT_EQ(HttpGet(Pipeline("/stats")).Header("retry-after"), "5");
  ASSERT_EQ(HttpPost(Url("/sim/fault?path=stats&status=500&count=1")).status, 200);
  EXPECT_EQ(HttpGet(Pipeline("/stats")).Header("retry-after"), "");
}

// The simulator over https, with a certificate a throwaway CA signed for 127.0.0.1 and localhost.
class FelderaSimTlsTest : public FelderaSimTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(certificates_.ok()) << certificates_.error();
    control_port_ = FreePort();
    Start({"--tls-cert", certificates_.cert_file(), "--tls-key", certificates_.key_file(),
           "--control-listen", "127.0.0.1:" + std::to_string(control_port_)});
  }
  std::string HttpsUrl(const std::string& host, int port, const std::string& target) const {
    return "https://" + host + ":" + std::to_string(port) + target;
  }

  TestCertificates certificates_;
  int control_port_ = 0;
};

TEST_F(FelderaSimTlsTest, AnswersOverTlsAClientThatTrustsItsCa) {
  EXPECT_EQ(
      Banner().rfind("feldera-sim listening on https://127.0.0.1:" + std::to_string(port_), 0), 0u)
      << Banner();
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const HttpResult stats = HttpCall("GET", HttpsUrl(host, port_, "/stats"), "", {},
                                      std::chrono::seconds(10), certificates_.ca_file());
    ASSERT_EQ(stats.status, 200) << host << ": " << stats.error;
    EXPECT_TRUE(stats.Json().at("global_metrics").has_string_field("incarnation_uuid"));
  }
  // The control listener is the simulator's own back door: plain http.
  const HttpResult control =
      HttpGet("http://127.0.0.1:" + std::to_string(control_port_) + "/sim/state");
  EXPECT_EQ(control.status, 200) << control.error;
}

TEST_F(FelderaSimTlsTest, AClientThatDoesNotTrustItsCaGetsNoAnswer) {
  const HttpResult untrusting = HttpGet(HttpsUrl("127.0.0.1", port_, "/stats"));
  EXPECT_EQ(untrusting.status, 0);
  EXPECT_FALSE(untrusting.error.empty());
  // Plain http to the https port gets no HTTP answer either.
  const HttpResult plain = HttpGet(Url("/stats"), std::chrono::seconds(5));
  EXPECT_EQ(plain.status, 0) << plain.body;
  // The refusals cost the simulator nothing.
  EXPECT_EQ(HttpCall("GET", HttpsUrl("127.0.0.1", port_, "/stats"), "", {},
                     std::chrono::seconds(10), certificates_.ca_file())
                .status,
            200);
}

TEST(FelderaSimTlsFilesTest, AKeyThatIsNotTheCertificatesIsAOneLineErrorWithStatus2) {
  TestCertificates certificates;
  ASSERT_TRUE(certificates.ok()) << certificates.error();
  ChildProcess sim({BuiltBinary("feldera-sim"), "--listen",
                    "127.0.0.1:" + std::to_string(FreePort()), "--tls-cert",
                    certificates.cert_file(), "--tls-key", certificates.other_key_file()});
  EXPECT_EQ(sim.Wait(), 2);
  const std::string output = sim.Output();
  EXPECT_NE(output.find("private key"), std::string::npos) << output;
  EXPECT_EQ(output.find('\n'), output.size() - 1) << output;

  ChildProcess missing({BuiltBinary("feldera-sim"), "--listen",
                        "127.0.0.1:" + std::to_string(FreePort()), "--tls-cert", "/nonexistent.pem",
                        "--tls-key", certificates.key_file()});
  EXPECT_EQ(missing.Wait(), 2);
  EXPECT_NE(missing.Output().find("/nonexistent.pem"), std::string::npos) << missing.Output();
}

TEST(FelderaSimIpv6Test, ListensOnTheIpv6Loopback) {
  const auto [port, why_not] = FreeIpv6Port();
  if (port == 0) GTEST_SKIP() << "this machine has no IPv6 loopback: " << why_not;
  ChildProcess sim({BuiltBinary("feldera-sim"), "--listen", "[::1]:" + std::to_string(port)});
  ASSERT_TRUE(WaitUntil([&] {
    return sim.Output().find('\n') != std::string::npos || !sim.Running();
  })) << sim.Output();
  ASSERT_EQ(sim.Output().rfind("feldera-sim listening on http://[::1]:" + std::to_string(port), 0),
            0u)
      << sim.Output();

  const std::string stats =
      RawHttp(port, "GET /stats HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n", true);
  EXPECT_EQ(stats.rfind("HTTP/1.1 200", 0), 0u) << stats;
  EXPECT_NE(stats.find("\"incarnation_uuid\""), std::string::npos) << stats;
  const std::string body = "{}";
  const std::string ingest = RawHttp(port,
                                     "POST /ingress/numbers?format=json HTTP/1.1\r\nHost: [::1]\r\n"
                                     "Content-Length: 2\r\nConnection: close\r\n\r\n" +
                                         body,
                                     true);
  EXPECT_EQ(ingest.rfind("HTTP/1.1 200", 0), 0u) << ingest;
  EXPECT_NE(ingest.find("\"token\""), std::string::npos) << ingest;
}

TEST(FelderaSimCommandLineTest, UnknownFlagIsAOneLineErrorWithStatus2) {
  ChildProcess sim({BuiltBinary("feldera-sim"), "--listen", "127.0.0.1:1", "--verbose"});
  EXPECT_EQ(sim.Wait(), 2);
  const std::string output = sim.Output();
  EXPECT_NE(output.find("--verbose"), std::string::npos) << output;
  EXPECT_EQ(output.find('\n'), output.size() - 1) << output;
}

}  // namespace
}  // namespace sidecar::sim
