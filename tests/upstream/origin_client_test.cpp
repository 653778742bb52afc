#include "upstream/origin_client.h"

#include <cpprest/http_listener.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "common/mutex.h"
#include "support/process.h"

namespace sidecar {
namespace {

// A server that holds every request until the test lets them go, counting how many it holds.
class HoldingServer {
 public:
  HoldingServer() : port_(testing::FreePort()), listener_(Url()) {
    listener_.support([this](const web::http::http_request& request) {
      MutexLock lock(&mu_);
      held_.push_back(request);
      most_held_ = std::max(most_held_, held_.size());
    });
    listener_.open().wait();
  }
  ~HoldingServer() {
    ReleaseAll();
    listener_.close().wait();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t held() const {
    MutexLock lock(&mu_);
    return held_.size();
  }
  size_t most_held() const {
    MutexLock lock(&mu_);
    return most_held_;
  }
  void ReleaseAll() {
    std::vector<web::http::http_request> held;
    {
      MutexLock lock(&mu_);
      held.swap(held_);
    }
    for (auto& request : held) request.reply(web::http::status_codes::OK, "ok").wait();
  }

 private:
  const int port_;
  web::http::experimental::listener::http_listener listener_;
  mutable Mutex mu_;
  std::vector<web::http::http_request> held_ GUARDED_BY(mu_);
  size_t most_held_ GUARDED_BY(mu_) = 0;
};

TEST(OriginClient, HoldsTheServicesRequestsPastItsBound) {
  HoldingServer server;
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(20));
  auto origin = std::make_shared<OriginClient>(web::uri(server.Url()), config, 2);

  std::vector<pplx::task<web::http::http_response>> sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(origin->Request(web::http::http_request(web::http::methods::GET),
                                   pplx::cancellation_token::none()));
  }
  ASSERT_TRUE(testing::WaitUntil([&] { return server.held() == 2; }, std::chrono::seconds(10)));
  EXPECT_EQ(origin->waiting(), 3u);
  // A forwarded request is not held back.
  auto forwarded = origin->Forward(web::http::http_request(web::http::methods::GET));
  ASSERT_TRUE(testing::WaitUntil([&] { return server.held() == 3; }, std::chrono::seconds(10)));

  // Each answer lets a waiting request go, until every one is answered.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        server.ReleaseAll();
        return std::all_of(sent.begin(), sent.end(), [](const auto& t) { return t.is_done(); });
      },
      std::chrono::seconds(10)));
  for (auto& t : sent) EXPECT_EQ(t.get().status_code(), web::http::status_codes::OK);
  EXPECT_EQ(origin->waiting(), 0u);
  EXPECT_LE(server.most_held(), 3u);  // two of the service's own, and the forwarded one
}

TEST(OriginClient, AFailedRequestFreesItsTurn) {
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(5));
  // Nothing listens there: every request fails at once, and each failure lets the next one go.
  auto origin = std::make_shared<OriginClient>(
      web::uri("http://127.0.0.1:" + std::to_string(testing::FreePort())), config, 1);
  std::vector<pplx::task<web::http::http_response>> sent;
  for (int i = 0; i < 4; ++i) {
    sent.push_back(origin->Request(web::http::http_request(web::http::methods::GET),
                                   pplx::cancellation_token::none()));
  }
  for (auto& t : sent) EXPECT_THROW(t.get(), web::http::http_exception);
  EXPECT_EQ(origin->waiting(), 0u);
}

}  // namespace
}  // namespace sidecar
