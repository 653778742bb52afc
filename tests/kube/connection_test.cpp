#include "kube/connection.h"

#include <cpprest/http_listener.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "kube_test_data.h"
#include "support/process.h"

namespace sidecar::kube {
namespace {

using testing::LoadText;
using testing::TempDir;

// An environment with only the given variables and a service account directory.
KubeEnvironment Environment(std::map<std::string, std::string> variables,
                            std::string service_account_dir = "/nonexistent") {
  KubeEnvironment environment;
  environment.get_env = [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  environment.service_account_dir = std::move(service_account_dir);
  return environment;
}

KubeConnectionOptions Options(std::string api_url, std::string kubeconfig) {
  KubeConnectionOptions options;
  options.api_url = std::move(api_url);
  options.kubeconfig = std::move(kubeconfig);
  return options;
}

KubeConnectionOptions WithKubeconfig(std::string path) {
  return Options("", std::move(path));
}

std::string Base64(const std::string& text) {
  return utility::conversions::to_base64(std::vector<unsigned char>(text.begin(), text.end()));
}

std::string KubeconfigFor(const std::string& server, const std::string& cluster_extra,
                          const std::string& user_extra, const std::string& ns = "") {
  return "current-context: test\n"
         "contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n" +
         (ns.empty() ? "" : "    namespace: " + ns + "\n") +
         "clusters:\n- name: test\n  cluster:\n    server: " + server + "\n" + cluster_extra +
         "users:\n- name: test\n  user:\n" + user_extra;
}

TEST(KubeConnection, ApiUrlIsUsedAsIsWithoutCredentials) {
  auto connection = KubeConnection::Resolve(Options("http://127.0.0.1:8001/", ""),
                                            Environment({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}}));
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_EQ(connection->server(), "http://127.0.0.1:8001");
  EXPECT_EQ(connection->AuthorizationHeader(), "");
  EXPECT_EQ(connection->description(), "API URL http://127.0.0.1:8001");
}

TEST(KubeConnection, BadApiUrlsAreRejected) {
  for (const char* url :
       {"127.0.0.1:8001", "ftp://host", "http://", "not a url", "http://h/?q=1", "http://h/#f"}) {
    auto connection = KubeConnection::ForUrl(url);
    ASSERT_FALSE(connection.ok()) << url;
    EXPECT_NE(connection.error().find("API server URL"), std::string::npos) << connection.error();
  }
}

TEST(KubeConnection, KubeconfigWithFilesAndInlineData) {
  TempDir dir;
  dir.Write("certs/ca.crt", LoadText("tls/ca.crt"));
  dir.Write("token", "secret-token\n");
  const std::string path = dir.Write(
      "config",
      KubeconfigFor("https://127.0.0.1:6443/prefix", "    certificate-authority: certs/ca.crt\n",
                    "    client-certificate-data: " + Base64(LoadText("tls/client.crt")) +
                        "\n    client-key-data: " + Base64(LoadText("tls/client.key")) +
                        "\n    tokenFile: token\n",
                    "feldera"));
  auto connection = KubeConnection::Resolve(WithKubeconfig(path), Environment({}));
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_EQ(connection->server(), "https://127.0.0.1:6443/prefix");
  EXPECT_EQ(connection->namespace_name(), "feldera");
  EXPECT_EQ(connection->tls().ca_pem, LoadText("tls/ca.crt"));
  EXPECT_EQ(connection->tls().client_certificate_pem, LoadText("tls/client.crt"));
  EXPECT_EQ(connection->tls().client_key_pem, LoadText("tls/client.key"));
  EXPECT_EQ(connection->AuthorizationHeader(), "Bearer secret-token");
  EXPECT_NE(connection->description().find("context 'test'"), std::string::npos);
}

TEST(KubeConnection, KubeconfigProblemsAreClearErrors) {
  TempDir dir;
  const std::string missing_ca = dir.Write(
      "missing-ca", KubeconfigFor("https://k", "    certificate-authority: nowhere.crt\n", ""));
  const std::string bad_pem = dir.Write(
      "bad-pem",
      KubeconfigFor("https://k", "    certificate-authority-data: " + Base64("junk") + "\n", ""));
  const std::string mismatched = dir.Write(
      "mismatched",
      KubeconfigFor("https://k", "",
                    "    client-certificate-data: " + Base64(LoadText("tls/client.crt")) +
                        "\n    client-key-data: " + Base64(LoadText("tls/server.key")) + "\n"));
  const std::string empty_token =
      dir.Write("empty-token",
                KubeconfigFor("https://k", "", "    tokenFile: " + dir.Write("t", " \n") + "\n"));
  const std::string bad_server = dir.Write("bad-server", KubeconfigFor("k8s:6443", "", ""));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {missing_ca, "cannot read certificate authority " + dir.path() + "/nowhere.crt"},
      {bad_pem, "the certificate authority is not usable PEM"},
      {mismatched, "the client key does not match the client certificate"},
      {empty_token, "is empty"},
      {bad_server, "must be http:// or https://"},
      {dir.path() + "/absent", "cannot read kubeconfig " + dir.path() + "/absent"},
  };
  for (const auto& [path, expected] : cases) {
    auto connection = KubeConnection::Resolve(WithKubeconfig(path), Environment({}));
    ASSERT_FALSE(connection.ok()) << path;
    EXPECT_NE(connection.error().find(expected), std::string::npos) << connection.error();
  }
}

TEST(KubeConnection, InClusterUsesTheServiceAccount) {
  TempDir account;
  account.Write("token", "sa-token-1");
  account.Write("ca.crt", LoadText("tls/ca.crt"));
  account.Write("namespace", "pipelines\n");
  auto environment =
      Environment({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}},
                  account.path());
  auto connection = KubeConnection::Resolve({}, environment);
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_EQ(connection->server(), "https://10.96.0.1:443");
  EXPECT_EQ(connection->namespace_name(), "pipelines");
  EXPECT_EQ(connection->tls().ca_pem, LoadText("tls/ca.crt"));
  EXPECT_EQ(connection->AuthorizationHeader(), "Bearer sa-token-1");

  auto ipv6 = KubeConnection::InCluster(
      Environment({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}},
                  account.path()));
  ASSERT_TRUE(ipv6.ok()) << ipv6.error();
  EXPECT_EQ(ipv6->server(), "https://[fd00::1]:6443");
}

TEST(KubeConnection, InClusterRereadsARotatedToken) {
  TempDir account;
  account.Write("token", "before-rotation");
  account.Write("ca.crt", LoadText("tls/ca.crt"));
  auto environment = Environment({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}}, account.path());
  environment.token_refresh = std::chrono::milliseconds(0);
  auto connection = KubeConnection::InCluster(environment);
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_EQ(connection->AuthorizationHeader(), "Bearer before-rotation");
  account.Write("token", "after-rotation");
  EXPECT_EQ(connection->AuthorizationHeader(), "Bearer after-rotation");
  EXPECT_EQ(connection->namespace_name(), "");  // no namespace file
}

TEST(KubeConnection, InClusterWithoutItsFilesIsAnError) {
  TempDir account;
  auto environment = Environment({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}}, account.path());
  auto no_ca = KubeConnection::InCluster(environment);
  ASSERT_FALSE(no_ca.ok());
  EXPECT_NE(no_ca.error().find("cannot read service account CA"), std::string::npos)
      << no_ca.error();
  account.Write("ca.crt", LoadText("tls/ca.crt"));
  auto no_token = KubeConnection::InCluster(environment);
  ASSERT_FALSE(no_token.ok());
  EXPECT_NE(no_token.error().find("cannot read token file"), std::string::npos) << no_token.error();
  auto not_in_cluster = KubeConnection::InCluster(Environment({}));
  ASSERT_FALSE(not_in_cluster.ok());
  EXPECT_NE(not_in_cluster.error().find("KUBERNETES_SERVICE_HOST"), std::string::npos);
}

TEST(KubeConnection, ResolutionOrder) {
  TempDir dir;
  const std::string explicit_config =
      dir.Write("explicit", KubeconfigFor("https://explicit", "", ""));
  const std::string env_config = dir.Write("env", KubeconfigFor("https://from-env", "", ""));
  dir.Write("home/.kube/config", KubeconfigFor("https://home", "", ""));
  TempDir account;
  account.Write("token", "t");
  account.Write("ca.crt", LoadText("tls/ca.crt"));
  const std::map<std::string, std::string> everything = {
      {"KUBECONFIG", dir.path() + "/absent:" + env_config},
      {"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
      {"HOME", dir.path() + "/home"}};

  auto server = [&](const KubeConnectionOptions& options, std::map<std::string, std::string> env) {
    auto connection = KubeConnection::Resolve(options, Environment(env, account.path()));
    return connection.ok() ? connection->server() : "error: " + connection.error();
  };
  EXPECT_EQ(server(Options("http://url", explicit_config), everything), "http://url");
  EXPECT_EQ(server(WithKubeconfig(explicit_config), everything), "https://explicit");
  EXPECT_EQ(server({}, everything), "https://from-env");  // a missing file in the list is skipped
  auto without_kubeconfig = everything;
  without_kubeconfig.erase("KUBECONFIG");
  EXPECT_EQ(server({}, without_kubeconfig), "https://10.96.0.1:443");
  without_kubeconfig.erase("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(server({}, without_kubeconfig), "https://home");
  EXPECT_NE(server({}, {}).find("no Kubernetes API configured"), std::string::npos);
  EXPECT_NE(
      server({}, {{"KUBECONFIG", dir.path() + "/absent"}}).find("none of the files in KUBECONFIG"),
      std::string::npos);
}

TEST(BearerTokenSource, RereadsOnlyAfterTheRefreshPeriodAndKeepsTheLastGoodToken) {
  TempDir dir;
  const std::string path = dir.Write("token", "first\n");
  auto source = BearerTokenSource::FromFile(path, std::chrono::seconds(60));
  ASSERT_TRUE(source.ok()) << source.error();
  const auto start = BearerTokenSource::Clock::now();
  EXPECT_EQ(source.value()->Token(start), "first");
  dir.Write("token", "second");
  EXPECT_EQ(source.value()->Token(start + std::chrono::seconds(30)), "first");
  EXPECT_EQ(source.value()->Token(start + std::chrono::seconds(61)), "second");
  std::filesystem::remove(path);
  EXPECT_EQ(source.value()->Token(start + std::chrono::seconds(200)), "second");
  EXPECT_EQ(BearerTokenSource::Fixed(" fixed ")->Token(), "fixed");
}

// An HTTPS server that demands a client certificate from the test CA, as an API server does.
class MutualTlsServer {
 public:
  MutualTlsServer() : port_(sidecar::testing::FreePort()) {
    web::http::experimental::listener::http_listener_config config;
    const std::string dir = KUBE_TESTDATA_DIR "/tls/";
    config.set_ssl_context_callback([dir](boost::asio::ssl::context& context) {
      context.use_certificate_chain_file(dir + "server.crt");
      context.use_private_key_file(dir + "server.key", boost::asio::ssl::context::pem);
      context.load_verify_file(dir + "ca.crt");
      context.set_verify_mode(boost::asio::ssl::verify_peer |
                              boost::asio::ssl::verify_fail_if_no_peer_cert);
    });
    listener_ = std::make_unique<web::http::experimental::listener::http_listener>(Url(), config);
    listener_->support([this](web::http::http_request request) {
      std::lock_guard<std::mutex> lock(mutex_);
      authorization_ =
          request.headers().has("Authorization") ? request.headers()["Authorization"] : "";
      request.reply(web::http::status_codes::OK, "{\"gitVersion\":\"v1.35.0\"}",
                    "application/json");
    });
    listener_->open().wait();
  }
  ~MutualTlsServer() { listener_->close().wait(); }

  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string authorization() {
    std::lock_guard<std::mutex> lock(mutex_);
    return authorization_;
  }

 private:
  int port_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
  std::mutex mutex_;
  std::string authorization_;
};

// The status of GET /version through `connection`, or 0 when the connection failed.
int GetVersion(const KubeConnection& connection) {
  try {
    web::http::http_request request(web::http::methods::GET);
    request.set_request_uri("/version");
    connection.Authorize(request);
    return connection.MakeClient(std::chrono::seconds(10)).request(request).get().status_code();
  } catch (const std::exception&) {
    return 0;
  }
}

TEST(KubeConnection, MutualTlsWithTheKubeconfigsCaAndClientCertificate) {
  MutualTlsServer server;
  TempDir dir;
  const std::string client = "    client-certificate-data: " + Base64(LoadText("tls/client.crt")) +
                             "\n    client-key-data: " + Base64(LoadText("tls/client.key")) +
                             "\n    token: abc\n";
  const std::string ca = "    certificate-authority-data: " + Base64(LoadText("tls/ca.crt")) + "\n";

  auto trusted = KubeConnection::Resolve(
      WithKubeconfig(dir.Write("trusted", KubeconfigFor(server.Url(), ca, client))),
      Environment({}));
  ASSERT_TRUE(trusted.ok()) << trusted.error();
  EXPECT_EQ(GetVersion(trusted.value()), 200);
  EXPECT_EQ(server.authorization(), "Bearer abc");

  // Without the CA the server's certificate is not trusted; without a client certificate the
  // server refuses the handshake; skipping verification still needs the client certificate.
  auto untrusted = KubeConnection::Resolve(
      WithKubeconfig(dir.Write("untrusted", KubeconfigFor(server.Url(), "", client))),
      Environment({}));
  ASSERT_TRUE(untrusted.ok()) << untrusted.error();
  EXPECT_EQ(GetVersion(untrusted.value()), 0);
  auto anonymous = KubeConnection::Resolve(
      WithKubeconfig(dir.Write("anonymous", KubeconfigFor(server.Url(), ca, "    token: abc\n"))),
      Environment({}));
  ASSERT_TRUE(anonymous.ok()) << anonymous.error();
  EXPECT_EQ(GetVersion(anonymous.value()), 0);
  auto insecure = KubeConnection::Resolve(
      WithKubeconfig(dir.Write(
          "insecure", KubeconfigFor(server.Url(), "    insecure-skip-tls-verify: true\n", client))),
      Environment({}));
  ASSERT_TRUE(insecure.ok()) << insecure.error();
  EXPECT_EQ(GetVersion(insecure.value()), 200);
}

}  // namespace
}  // namespace sidecar::kube
