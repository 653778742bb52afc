#include "sim/listen_address.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

TEST(ListenAddressTest, ReadsIpv4AndHostNames) {
  Result<ListenAddress> address = ParseListenAddress("--listen", "127.0.0.1:8080");
  ASSERT_TRUE(address.ok()) << address.error();
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 8080);
  EXPECT_FALSE(address->ipv6());
  EXPECT_EQ(ParseListenAddress("--listen", "localhost:1")->host, "localhost");
}

TEST(ListenAddressTest, ReadsTheBracketedIpv6Loopback) {
  Result<ListenAddress> address = ParseListenAddress("--listen", "[::1]:8080");
  ASSERT_TRUE(address.ok()) << address.error();
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 8080);
  EXPECT_TRUE(address->ipv6());
}

TEST(ListenAddressTest, ErrorsNameTheFlagAndTheValue) {
  for (const char* bad : {"[::2]:1", "[fe80::1]:1", "[::1:1", "::1:1", "[::1]", "[::1]:x", "a:0",
                          "a:65536", ":80", "nohost"}) {
    const Result<ListenAddress> address = ParseListenAddress("--control-listen", bad);
    ASSERT_FALSE(address.ok()) << bad;
    EXPECT_NE(address.error().find("--control-listen"), std::string::npos) << address.error();
    EXPECT_NE(address.error().find(bad), std::string::npos) << address.error();
  }
  EXPECT_NE(ParseListenAddress("--listen", "[::2]:1").error().find("[::1]"), std::string::npos);
}

TEST(ListenAddressTest, ClientUrlsBracketIpv6) {
  EXPECT_EQ(ClientUrl(ListenAddress{"127.0.0.1", 80}, false), "http://127.0.0.1:80");
  EXPECT_EQ(ClientUrl(ListenAddress{"::1", 443}, true), "https://[::1]:443");
}

// cpprestsdk's listener splits host and port at the first ':'; "+" binds the loopback.
TEST(ListenAddressTest, ListenerUrlsNeverHoldAnIpv6Literal) {
  EXPECT_EQ(ListenerUrl(ListenAddress{"127.0.0.1", 80}, false), "http://127.0.0.1:80");
  EXPECT_EQ(ListenerUrl(ListenAddress{"::1", 443}, true), "https://+:443");
}

}  // namespace
}  // namespace sidecar::sim
