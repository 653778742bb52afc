// The service against the shapes real Feldera has beyond the plain pipeline process: Feldera's
// API server as a pipeline's base URL (the simulator's manager mode), a pipeline served over
// HTTPS, and a pipeline pod with an IPv6 address. The real binary, the real simulator, loopback.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "integration/service_harness.h"
#include "support/test_certificates.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// A simulator started by the test itself, with whatever arguments it needs; its control API on
// a plain-http loopback listener of its own.
class Simulator {
 public:
  Simulator(int port, const std::string& listen_host, std::vector<std::string> args)
      : control_port_(FreePort()) {
    std::vector<std::string> argv = {BuiltBinary("feldera-sim"),
                                     "--listen",
                                     listen_host + ":" + std::to_string(port),
                                     "--control-listen",
                                     "127.0.0.1:" + std::to_string(control_port_),
                                     "--step-interval-ms",
                                     "10",
                                     "--step-delay-ms",
                                     "50"};
    argv.insert(argv.end(), args.begin(), args.end());
    process_ = std::make_unique<ChildProcess>(argv);
    up_ = WaitUntil([&] { return HttpGet(Control("/sim/state")).status == 200; });
  }

  bool up() const { return up_; }
  std::string Output() const { return process_->Output(); }
  std::string Control(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(control_port_) + path;
  }
  void Post(const std::string& path) const {
    const HttpResult r = HttpPost(Control(path));
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
  }
  int Requests(const std::string& kind) const {
    const web::json::value counts = HttpGet(Control("/sim/requests")).Json();
    return counts.has_number_field(kind) ? counts.at(kind).as_integer() : -1;
  }

 private:
  const int control_port_;
  std::unique_ptr<ChildProcess> process_;
  bool up_ = false;
};

std::string TokenOf(const HttpResult& r) {
  return r.Json().is_object() && r.Json().has_string_field("token")
             ? r.Json().at("token").as_string()
             : "";
}

// ---- Feldera's API server as the pipeline's base URL ----

class ManagerUrl : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sim_.up()) << sim_.Output();
    HarnessOptions options;
    options.start_sim = false;
    options.sim_port = port_;
    options.pipeline_url = "http://127.0.0.1:{SIM_PORT}/v0/pipelines/demo";
    h_ = std::make_unique<ServiceHarness>(options);
  }

  const int port_ = FreePort();
  Simulator sim_{port_, "127.0.0.1", {"--manager", "demo"}};
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(ManagerUrl, EveryProxiedPathWorksThroughFelderasApiServer) {
  sim_.Post("/sim/pause");
  const HttpResult ingest =
      HttpPost(h_->ServiceUrl("/v0/pipelines/demo/ingress/numbers?format=json"), "{\"n\":1}");
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_EQ(h_->Status(TokenOf(ingest)).status, 202);
  // The API server's own completion_token path, where the table is a SQL identifier.
  for (const std::string table : {"numbers", "NUMBERS"}) {
    const HttpResult r = HttpGet(h_->ServiceUrl("/v0/pipelines/demo/tables/" + table +
                                                "/connectors/api-ingress/completion_token"));
    EXPECT_EQ(r.status, 200) << table << ": " << r.body;
    EXPECT_FALSE(TokenOf(r).empty()) << table;
  }
  sim_.Post("/sim/resume");
  EXPECT_EQ(h_->Status(TokenOf(ingest), "&wait_ms=10000").status, 200);
}

// Feldera's API server says a stopped pipeline is not deployed, with Retry-After: 5; the client
// gets that very answer, not the service's own guess.
TEST_F(ManagerUrl, AStoppedPipelineIsFelderasNotDeployedWithItsRetryAfter) {
  sim_.Post("/sim/pause");
  const std::string token = h_->Ingest();
  sim_.Post("/sim/stop");
  HttpResult r;
  EXPECT_TRUE(WaitUntil([&] {
    r = h_->Status(token);
    return r.status == 503;
  })) << r.body;
  EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionNotDeployed") << r.body;
  EXPECT_EQ(r.Json().at("details").at("status").as_string(), "Stopped");
  EXPECT_EQ(r.Header("retry-after"), "5");
  // Started again, it is a new incarnation: the old token is gone.
  sim_.Post("/sim/start");
  EXPECT_TRUE(WaitUntil([&] {
    r = h_->Status(token);
    return r.status == 410;
  })) << r.body;
}

// A 503 the pipeline's completion_status answers keeps its Retry-After on the way to the client.
TEST_F(ManagerUrl, AnUpstream503KeepsItsRetryAfter) {
  sim_.Post("/sim/pause");
  const std::string token = h_->Ingest();
  sim_.Post("/sim/fault?status=503&kind=error&path=completion_status");
  const HttpResult r = h_->Status(token);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Header("retry-after"), "5");
}

// ---- A pipeline served over HTTPS ----

class HttpsPipeline : public ::testing::Test {
 protected:
  // The simulator on https with a certificate for `names`, and the service in front of it
  // trusting the certificate's CA, with `more_upstream_yaml`.
  void Start(const std::string& names, const std::string& more_upstream_yaml = "") {
    certificates_ = std::make_unique<TestCertificates>(names);
    ASSERT_TRUE(certificates_->ok()) << certificates_->error();
    sim_ = std::make_unique<Simulator>(
        port_, "127.0.0.1",
        std::vector<std::string>{"--tls-cert", certificates_->cert_file(), "--tls-key",
                                 certificates_->key_file()});
    ASSERT_TRUE(sim_->up()) << sim_->Output();
    HarnessOptions options;
    options.start_sim = false;
    options.sim_port = port_;
    options.pipeline_url = "https://127.0.0.1:{SIM_PORT}";
    options.upstream_yaml = "  ca_file: " + certificates_->ca_file() + "\n" + more_upstream_yaml;
    h_ = std::make_unique<ServiceHarness>(options);
  }

  const int port_ = FreePort();
  std::unique_ptr<TestCertificates> certificates_;
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(HttpsPipeline, IsVerifiedAgainstTheConfiguredCa) {
  Start(TestCertificates::kLoopbackNames);
  const std::string token = h_->Ingest();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(h_->Status(token, "&wait_ms=10000").status, 200);
  EXPECT_GT(sim_->Requests("stats"), 0);
}

// A certificate that names the pipeline's DNS name, reached by IP: upstream.tls_server_name.
TEST_F(HttpsPipeline, ACertificateForAnotherNameNeedsTlsServerName) {
  Start("DNS:pipeline-0.feldera.test", "  tls_server_name: pipeline-0.feldera.test\n");
  const std::string token = h_->Ingest();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(h_->Status(token, "&wait_ms=10000").status, 200);
}

TEST(HttpsPipelineUnverified, AnUntrustedCertificateIsUnreachable) {
  TestCertificates certificates;
  ASSERT_TRUE(certificates.ok()) << certificates.error();
  const int port = FreePort();
  Simulator sim(port, "127.0.0.1",
                {"--tls-cert", certificates.cert_file(), "--tls-key", certificates.key_file()});
  ASSERT_TRUE(sim.up()) << sim.Output();
  HarnessOptions options;
  options.start_sim = false;
  options.sim_port = port;
  options.pipeline_url = "https://127.0.0.1:{SIM_PORT}";
  ServiceHarness h(options);
  const std::string token =
      EncodeCompletionToken({Uuid::NewV7(std::chrono::system_clock::now()), 0, 1});
  const HttpResult r = h.Status(token);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionUnreachable") << r.body;
  EXPECT_EQ(sim.Requests("stats"), 0);  // no request got past the handshake
}

// ---- A pipeline pod with an IPv6 address ----

// Whether this machine can bind the IPv6 loopback.
bool HasIpv6Loopback() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

TEST(Ipv6Pod, IsReachedAtItsBracketedAddress) {
  if (!HasIpv6Loopback()) GTEST_SKIP() << "this machine cannot bind the IPv6 loopback ::1";
  constexpr char kNamespace[] = "feldera";
  const std::string pod_name = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";
  const int port = FreePort();
  Simulator sim(port, "[::1]", {});
  ASSERT_TRUE(sim.up()) << sim.Output();
  const auto api = StartWithPipelinePod(FreePort(), kNamespace, pod_name,
                                        {{"feldera.com/pipeline-name", "demo"}}, "::1", port);
  HarnessOptions options;
  options.start_sim = false;
  options.sim_port = port;
  options.kubernetes_yaml = "mode: cluster\nkubernetes:\n  api_url: " + api->Url() +
                            "\n  namespace: " + kNamespace + "\n";
  ServiceHarness h(options);
  // Ready means the pod is listed; the first probe of its address may still be on its way.
  web::json::value list;
  EXPECT_TRUE(WaitUntil([&] {
    list = HttpGet(h.ServiceUrl("/v0/pipelines")).Json();
    return list.is_array() && list.size() == 1 && list.at(0).at("state").as_string() == "running";
  })) << list.serialize();
  ASSERT_TRUE(list.is_array() && list.size() == 1) << list.serialize();
  EXPECT_EQ(list.at(0).at("url").as_string(), "http://[::1]:" + std::to_string(port));
  const std::string token = h.Ingest();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(h.Status(token, "&wait_ms=10000").status, 200);
}

}  // namespace
}  // namespace sidecar::testing
