#include "sim/sim_options.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;
using Args = std::vector<std::string>;

TEST(SimOptionsTest, DefaultsNeedOnlyListen) {
  const Result<SimOptions> options = ParseSimOptions({"--listen", "127.0.0.1:8080"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->listen.host, "127.0.0.1");
  EXPECT_EQ(options->listen.port, 8080);
  EXPECT_FALSE(options->listen.ipv6());
  EXPECT_EQ(options->manager_pipeline, "");
  EXPECT_FALSE(options->tls());
  EXPECT_FALSE(options->control_listen.has_value());
  EXPECT_EQ(options->tables, Args{"numbers"});
  EXPECT_TRUE(options->connectors.empty());
  EXPECT_EQ(options->step_interval, milliseconds(20));
  EXPECT_EQ(options->step_delay, milliseconds(200));
}

TEST(SimOptionsTest, ReadsEveryFlag) {
  const Result<SimOptions> options =
      ParseSimOptions({"--tables", "t1,t2", "--connectors", "t1.c1,t2.kafka", "--listen",
                       "127.0.0.1:9", "--step-interval-ms", "5", "--step-delay-ms", "0"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->tables, (Args{"t1", "t2"}));
  EXPECT_EQ(options->connectors, (Args{"t1.c1", "t2.kafka"}));
  EXPECT_EQ(options->step_interval, milliseconds(5));
  EXPECT_EQ(options->step_delay, milliseconds(0));
}

TEST(SimOptionsTest, ReadsManagerTlsAndControlListener) {
  const Result<SimOptions> options =
      ParseSimOptions({"--listen", "[::1]:9", "--manager", "my-pipeline_1", "--tls-cert",
                       "cert.pem", "--tls-key", "key.pem", "--control-listen", "127.0.0.1:10"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->listen.host, "::1");
  EXPECT_TRUE(options->listen.ipv6());
  EXPECT_EQ(options->manager_pipeline, "my-pipeline_1");
  EXPECT_TRUE(options->tls());
  EXPECT_EQ(options->tls_cert_file, "cert.pem");
  EXPECT_EQ(options->tls_key_file, "key.pem");
  ASSERT_TRUE(options->control_listen.has_value());
  EXPECT_EQ(options->control_listen->port, 10);
}

TEST(SimOptionsTest, TablesMayBeQuotedNamesWithUpperCase) {
  const Result<SimOptions> options =
      ParseSimOptions({"--listen", "127.0.0.1:9", "--tables", "Orders,numbers"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(InputEndpointNames(options.value()),
            (Args{"Orders.api-ingress", "numbers.api-ingress"}));
}

TEST(SimOptionsTest, EndpointIdsAreIngressPerTableThenConnectors) {
  const Result<SimOptions> options = ParseSimOptions(
      {"--listen", "127.0.0.1:9", "--tables", "t1,t2", "--connectors", "t2.kafka,t1.c1"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(InputEndpointNames(options.value()),
            (Args{"t1.api-ingress", "t2.api-ingress", "t2.kafka", "t1.c1"}));
}

TEST(SimOptionsTest, RejectsBadArgumentsWithOneLine) {
  const std::vector<Args> bad = {
      {},
      {"--listen"},
      {"--listen", "127.0.0.1:9", "--verbose"},
      {"--listen", "127.0.0.1:9", "extra"},
      {"--listen", "127.0.0.1"},
      {"--listen", ":80"},
      {"--listen", "127.0.0.1:0"},
      {"--listen", "127.0.0.1:65536"},
      {"--listen", "127.0.0.1:http"},
      {"--listen", "127.0.0.1:9", "--step-interval-ms", "0"},
      {"--listen", "127.0.0.1:9", "--step-delay-ms", "-1"},
      {"--listen", "127.0.0.1:9", "--step-delay-ms", "99999999999"},
      {"--listen", "127.0.0.1:9", "--tables", ""},
      {"--listen", "127.0.0.1:9", "--tables", "a,,b"},
      {"--listen", "127.0.0.1:9", "--tables", "a.b"},
      {"--listen", "127.0.0.1:9", "--tables", "a,a"},
      {"--listen", "127.0.0.1:9", "--connectors", "kafka"},
      {"--listen", "127.0.0.1:9", "--connectors", "other.kafka"},
      {"--listen", "127.0.0.1:9", "--connectors", "numbers.api-ingress"},
      {"--listen", "127.0.0.1:9", "--connectors", "numbers.k,numbers.k"},
      {"--listen", "127.0.0.1:9", "--connectors", "numbers.k/x"},
      {"--listen", "[::2]:9"},
      {"--listen", "[::1:9"},
      {"--listen", "::1:9"},
      {"--listen", "[]:9"},
      {"--listen", "[::1]:0"},
      {"--listen", "127.0.0.1:9", "--manager", ""},
      {"--listen", "127.0.0.1:9", "--manager", "a/b"},
      {"--listen", "127.0.0.1:9", "--manager", std::string(101, 'a')},
      {"--listen", "127.0.0.1:9", "--tls-cert", "c.pem"},
      {"--listen", "127.0.0.1:9", "--tls-key", "k.pem"},
      {"--listen", "127.0.0.1:9", "--tls-cert", "", "--tls-key", "k.pem"},
      {"--listen", "127.0.0.1:9", "--control-listen", "127.0.0.1:9"},
      {"--listen", "127.0.0.1:9", "--control-listen", "nowhere"},
  };
  for (const Args& args : bad) {
    const Result<SimOptions> options = ParseSimOptions(args);
    std::string joined;
    for (const std::string& a : args) joined += a + " ";
    EXPECT_FALSE(options.ok()) << joined;
    if (!options.ok()) {
      EXPECT_FALSE(options.error().empty());
      EXPECT_EQ(options.error().find('\n'), std::string::npos);
    }
  }
}

TEST(SimOptionsTest, NamesTheUnknownFlag) {
  const Result<SimOptions> options = ParseSimOptions({"--listen", "127.0.0.1:9", "--verbose"});
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.error().find("--verbose"), std::string::npos);
}

}  // namespace
}  // namespace sidecar::sim
