// Limits on what a client may send, through the real binary: proxied bodies (declared or
// chunked), held long-polls. Each refusal is an ErrorResponse, and the service keeps serving.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "service_harness.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// A loopback connection to `port` whose reads give up after 10 s; -1 when it cannot connect.
int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The status code of the answer on `fd`, 0 if none came within its timeout.
int ReadStatus(int fd) {
  char buffer[64] = {};
  return recv(fd, buffer, sizeof buffer - 1, 0) > 12 ? std::atoi(buffer + 9) : 0;
}

// Sends `raw` (a whole HTTP/1.1 request) on a new connection and returns the status code of the
// answer, 0 if none came within 10 s.
int RawRequestStatus(int port, const std::string& raw) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return 0;
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the service may answer and close before reading everything
    sent += static_cast<size_t>(n);
  }
  const int status = ReadStatus(fd);
  close(fd);
  return status;
}

std::string Chunked(const std::string& body, size_t chunk) {
  std::string out;
  for (size_t at = 0; at < body.size(); at += chunk) {
    const std::string part = body.substr(at, chunk);
    char size[32];
    snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string Records(size_t bytes) {
  std::string body;
  for (int i = 0; body.size() < bytes; ++i) body += "{\"n\":" + std::to_string(i) + "}\n";
  return body;
}

class RequestLimitsTest : public ::testing::Test {
 protected:
  static HarnessOptions Options() {
    HarnessOptions options;
    options.extra_yaml = "limits:\n  max_body_bytes: 65536\n  max_held_long_polls: 2\n";
    return options;
  }
  int port() const {
    const std::string url = h_.ServiceUrl("");
    return std::stoi(url.substr(url.rfind(':') + 1));
  }
  std::string IngressRequest(const std::string& headers, const std::string& body) {
    return "POST /v0/pipelines/demo/ingress/numbers?format=json HTTP/1.1\r\nHost: x\r\n"
           "Content-Type: application/json\r\nConnection: close\r\n" +
           headers + "\r\n" + body;
  }

  ServiceHarness h_{Options()};
};

TEST_F(RequestLimitsTest, ABodyOverTheLimitIs413WhetherDeclaredOrChunked) {
  const std::string big = Records(100 * 1024);
  const HttpResult declared =
      HttpPost(h_.ServiceUrl("/v0/pipelines/demo/ingress/numbers?format=json"), big);
  EXPECT_EQ(declared.status, 413) << declared.body;
  EXPECT_EQ(declared.Json().at("error_code").as_string(), "PayloadTooLarge");
  EXPECT_EQ(declared.Json().at("details").at("limit").as_integer(), 65536);

  EXPECT_EQ(RawRequestStatus(port(),
                             IngressRequest("Transfer-Encoding: chunked\r\n", Chunked(big, 4096))),
            413);
  EXPECT_EQ(h_.SimRequests("ingress"), 0);  // nothing too large reached the pipeline
}

TEST_F(RequestLimitsTest, BodiesWithinTheLimitAreForwardedWhole) {
  const std::string body = Records(60 * 1024);
  const size_t records = std::count(body.begin(), body.end(), '\n');
  // Declared length: streamed through.
  HttpResult r = HttpPost(h_.ServiceUrl("/v0/pipelines/demo/ingress/numbers?format=json"), body);
  ASSERT_EQ(r.status, 200) << r.body;
  // Chunked: read with the bound, then forwarded.
  EXPECT_EQ(RawRequestStatus(port(),
                             IngressRequest("Transfer-Encoding: chunked\r\n", Chunked(body, 1000))),
            200);
  const web::json::value state = HttpGet(h_.SimUrl("/sim/state")).Json();
  EXPECT_EQ(state.at("endpoints").at(0).at("total_records").as_number().to_uint64(), 2 * records)
      << state.serialize();
}

TEST_F(RequestLimitsTest, LongPollsBeyondTheCapAre503WithRetryAfter) {
  h_.Sim("/sim/pause");
  const std::string token = h_.Ingest();
  std::vector<std::future<HttpResult>> held;
  for (const std::string wait : {"&wait_ms=20000", "&wait_ms=20001"}) {
    held.push_back(std::async(std::launch::async, [&, wait] { return h_.Status(token, wait); }));
    // One at a time, so that both are held before anything else arrives.
    ASSERT_TRUE(WaitUntil([&] { return h_.service().Output().find(wait) != std::string::npos; }));
  }
  const HttpResult third = h_.Status(token, "&wait_ms=1");
  EXPECT_EQ(third.status, 503) << third.body;
  EXPECT_EQ(third.Json().at("error_code").as_string(), "TooManyLongPolls");
  EXPECT_FALSE(third.Header("retry-after").empty());
  EXPECT_EQ(h_.Status(token).status, 202);  // a request without wait_ms is still answered
  h_.Sim("/sim/resume");
  for (auto& f : held) EXPECT_EQ(f.get().status, 200);
  // The places are given back once answered.
  EXPECT_EQ(h_.Status(token, "&wait_ms=3000").status, 200);
}

// Clients that stop halfway through their request's headers, or send it a byte at a time, hold a
// connection each but no thread: everyone else is answered meanwhile, and the slow request too
// once it is whole.
TEST_F(RequestLimitsTest, SlowClientsHoldNoThread) {
  const std::string token = h_.Ingest();
  // Far more than the service has threads.
  constexpr int kStalled = 200;
  std::vector<int> stalled;
  for (int i = 0; i < kStalled; ++i) {
    const int fd = ConnectLoopback(port());
    ASSERT_GE(fd, 0);
    const std::string partial = "GET /v0/pipelines/demo/completion_status?token=" + token +
                                " HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    ASSERT_EQ(send(fd, partial.data(), partial.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(partial.size()));
    stalled.push_back(fd);
  }
  const int trickling = ConnectLoopback(port());
  ASSERT_GE(trickling, 0);
  std::thread trickle([&] {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (char byte : request) {
      if (send(trickling, &byte, 1, MSG_NOSIGNAL) != 1) return;
      std::this_thread::sleep_for(25ms);  // the pace of the slow client, not a wait for a result
    }
  });

  for (int i = 0; i < 20; ++i) {
    const HttpResult r = h_.Status(token);
    EXPECT_TRUE(r.status == 200 || r.status == 202) << r.status << " " << r.body;
  }
  EXPECT_EQ(HttpGet(h_.ServiceUrl("/healthz")).status, 200);
  trickle.join();
  EXPECT_EQ(ReadStatus(trickling), 200);
  close(trickling);
  for (const int fd : stalled) close(fd);
  EXPECT_TRUE(h_.service().Running());
}

}  // namespace
}  // namespace sidecar::testing
