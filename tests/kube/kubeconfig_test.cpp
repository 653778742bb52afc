#include "kube/kubeconfig.h"

#include <gtest/gtest.h>

namespace sidecar::kube {
namespace {

// A kubeconfig shaped like the ones kind and kubeadm write.
constexpr char kKindConfig[] = R"(apiVersion: v1
kind: Config
current-context: kind-dev
clusters:
- name: kind-dev
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: certs/ca.crt
- name: prod
  cluster:
    server: https://prod.example:443/k8s/clusters/c-1
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
contexts:
- name: kind-dev
  context:
    cluster: kind-dev
    user: kind-dev
    namespace: feldera
- name: prod
  context:
    cluster: prod
    user: robot
users:
- name: kind-dev
  user:
    client-certificate: /etc/keys/client.crt
    client-key: ../keys/client.key
- name: robot
  user:
    tokenFile: robot.token
)";

Result<KubeconfigContext> Select(const std::string& text, const std::string& context = "") {
  return SelectKubeconfigContext({{"/home/dev/.kube/config", text}}, context);
}

std::string ErrorOf(const Result<KubeconfigContext>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.error();
}

TEST(Kubeconfig, CurrentContextSelectsClusterUserAndNamespace) {
  auto selected = Select(kKindConfig);
  ASSERT_TRUE(selected.ok()) << selected.error();
  EXPECT_EQ(selected->context_name, "kind-dev");
  EXPECT_EQ(selected->server, "https://127.0.0.1:6443");
  EXPECT_EQ(selected->namespace_name, "feldera");
  // Relative paths are anchored at the kubeconfig's directory.
  EXPECT_EQ(selected->ca_file, "/home/dev/.kube/certs/ca.crt");
  EXPECT_EQ(selected->client_certificate_file, "/etc/keys/client.crt");
  EXPECT_EQ(selected->client_key_file, "/home/dev/keys/client.key");
  EXPECT_TRUE(selected->token.empty());
  EXPECT_FALSE(selected->insecure_skip_tls_verify);
}

TEST(Kubeconfig, ExplicitContextWinsAndInlineDataIsDecoded) {
  auto selected = Select(kKindConfig, "prod");
  ASSERT_TRUE(selected.ok()) << selected.error();
  EXPECT_EQ(selected->server, "https://prod.example:443/k8s/clusters/c-1");
  EXPECT_EQ(selected->ca_pem, "-----BEGIN CERTIFICATE-----\n");
  EXPECT_TRUE(selected->ca_file.empty());
  EXPECT_EQ(selected->token_file, "/home/dev/.kube/robot.token");
  EXPECT_EQ(selected->namespace_name, "");
}

TEST(Kubeconfig, TokenWinsOverTokenFileAndInlineOverFile) {
  auto selected = Select(R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k:6443", certificate-authority: ca.crt,
            certificate-authority-data: "YWJj", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: " abc ", tokenFile: /t}}]
)");
  ASSERT_TRUE(selected.ok()) << selected.error();
  EXPECT_EQ(selected->ca_pem, "abc");
  EXPECT_TRUE(selected->ca_file.empty());
  EXPECT_EQ(selected->token, " abc ");
  EXPECT_TRUE(selected->token_file.empty());
  EXPECT_TRUE(selected->insecure_skip_tls_verify);
}

TEST(Kubeconfig, MergesFilesLikeKubectl) {
  const std::string first = R"(
current-context: a
contexts: [{name: a, context: {cluster: shared, user: u}}]
clusters: [{name: shared, cluster: {server: "https://first:1", certificate-authority: ca.crt}}]
)";
  const std::string second = R"(
current-context: b
contexts: [{name: b, context: {cluster: shared}}]
clusters: [{name: shared, cluster: {server: "https://second:2"}}]
users: [{name: u, user: {token: from-second}}]
)";
  auto merged = SelectKubeconfigContext({{"/one/config", first}, {"/two/config", second}}, "");
  ASSERT_TRUE(merged.ok()) << merged.error();
  EXPECT_EQ(merged->context_name, "a");          // the first current-context
  EXPECT_EQ(merged->server, "https://first:1");  // the first definition of "shared"
  EXPECT_EQ(merged->ca_file, "/one/ca.crt");     // relative to the file that defined it
  EXPECT_EQ(merged->token, "from-second");       // defined only in the second file
  auto b = SelectKubeconfigContext({{"/one/config", first}, {"/two/config", second}}, "b");
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->server, "https://first:1");
}

TEST(Kubeconfig, EmptyFileMergesAsNothing) {
  auto merged = SelectKubeconfigContext({{"/empty", ""}, {"/real", kKindConfig}}, "");
  ASSERT_TRUE(merged.ok()) << merged.error();
  EXPECT_EQ(merged->context_name, "kind-dev");
}

struct BadConfig {
  std::string text;
  std::string expected_in_error;
};

TEST(Kubeconfig, BadConfigsGiveErrorsThatSayWhatIsWrong) {
  const std::string base = R"(
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k"}}]
)";
  const std::vector<BadConfig> cases = {
      {"clusters: [unterminated", "/home/dev/.kube/config: not valid YAML"},
      {"- just\n- a list\n", "the top level must be a map"},
      {base, "no current-context"},
      {"current-context: other\n" + base, "context 'other' is not defined"},
      {"current-context: c\n" + base,
       "context 'c' uses user 'u', which no kubeconfig file defines"},
      {"current-context: c\ncontexts: [{name: c, context: {user: u}}]\n", "names no cluster"},
      {"current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, "
       "cluster: {}}]\n",
       "cluster 'k': it has no server"},
      {"current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, "
       "cluster: {server: https://k, certificate-authority-data: '!!notbase64'}}]\n",
       "'certificate-authority-data' is not valid base64"},
      {"current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, "
       "cluster: {server: https://k, insecure-skip-tls-verify: maybe}}]\n",
       "'insecure-skip-tls-verify' must be true or false"},
      {"current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\nclusters: [{name: k, "
       "cluster: {server: https://k, tls-server-name: kubernetes}}]\n",
       "'tls-server-name' is not supported"},
      {"current-context: c\n" + base +
           "users: [{name: u, user: {exec: {command: aws, args: [eks, get-token]}}}]\n",
       "user 'u': 'exec' is not supported"},
      {"current-context: c\n" + base + "users: [{name: u, user: {auth-provider: {name: gcp}}}]\n",
       "'auth-provider' is not supported"},
      {"current-context: c\n" + base + "users: [{name: u, user: {username: a, password: b}}]\n",
       "basic authentication"},
      {"current-context: c\n" + base + "users: [{name: u, user: {client-certificate: c.crt}}]\n",
       "needs its key"},
      {"current-context: c\n" + base + "users: [{name: u, user: {token: [1, 2]}}]\n",
       "'token' must be a string"},
      {"current-context: c\nclusters: oops\n", "'clusters' must be a list"},
      {"current-context: c\nclusters: [{cluster: {server: https://k}}]\n", "has no name"},
      {"current-context: c\nclusters: [{name: k, cluster: [1]}]\n", "must be a map"},
      {"current-context: [c]\n", "'current-context' must be a string"},
  };
  for (const BadConfig& bad : cases) {
    std::string error = ErrorOf(Select(bad.text));
    EXPECT_NE(error.find(bad.expected_in_error), std::string::npos)
        << "config:\n"
        << bad.text << "\nerror: " << error;
  }
  EXPECT_NE(ErrorOf(SelectKubeconfigContext({}, "")).find("no kubeconfig file"), std::string::npos);
}

TEST(Kubeconfig, ArbitraryTextNeverThrows) {
  for (const std::string& text : std::vector<std::string>{
           "{", "]]]", "\t\tkey: value", "a: &x [*x]", "? ? ?", "%YAML 9.9\n---",
           std::string(100000, '['), std::string("\0\xff\xfe", 3)}) {
    EXPECT_NO_THROW(Select(text));
  }
}

}  // namespace
}  // namespace sidecar::kube
