// How to reach the Kubernetes API server: its address, TLS material and credentials.
//
// Resolved, like client-go, from the first of: an explicit API URL (http allowed, for tests and
// `kubectl proxy`); a kubeconfig (the given path, else $KUBECONFIG); the pod's service account when
// running in a cluster; ~/.kube/config. A KubeConnection is an immutable value apart from its
// token source, which re-reads a rotated token file; all methods are thread-safe.
#pragma once

#include <cpprest/http_client.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kube/bearer_token.h"

namespace sidecar::kube {

struct KubeConnectionOptions {
  std::string api_url;     // wins over everything else; no credentials are sent
  std::string kubeconfig;  // path; empty: $KUBECONFIG, in-cluster, ~/.kube/config
  std::string context;     // kubeconfig context; empty: its current-context
};

// What resolution reads besides the options. FromProcess() is the real environment; tests pass
// their own variables and service account directory.
struct KubeEnvironment {
  std::function<std::optional<std::string>(const std::string& name)> get_env;
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  std::chrono::milliseconds token_refresh = std::chrono::minutes(1);

  static KubeEnvironment FromProcess();
};

// PEM text; empty strings mean "not configured" (the system trust store for the CA).
struct TlsMaterial {
  std::string ca_pem;
  std::string client_certificate_pem;
  std::string client_key_pem;
  bool insecure_skip_verify = false;
};

class KubeConnection {
 public:
  static Result<KubeConnection> Resolve(
      const KubeConnectionOptions& options,
      const KubeEnvironment& environment = KubeEnvironment::FromProcess());

  // An API server URL without credentials (http or https with the system trust store).
  static Result<KubeConnection> ForUrl(const std::string& url);
  // Merges the kubeconfig files as kubectl does and uses `context` (empty: current-context).
  static Result<KubeConnection> FromKubeconfig(const std::vector<std::string>& paths,
                                               const std::string& context,
                                               const KubeEnvironment& environment);
  // KUBERNETES_SERVICE_HOST/PORT and the service account's token, ca.crt and namespace.
  static Result<KubeConnection> InCluster(const KubeEnvironment& environment);

  // Base URL without a trailing slash; resource paths are appended to it.
  const std::string& server() const { return server_; }
  // The namespace the configuration implies (in-cluster or the kubeconfig context); may be empty.
  const std::string& namespace_name() const { return namespace_; }
  // Where the settings came from, for the start-up log.
  const std::string& description() const { return description_; }
  const TlsMaterial& tls() const { return tls_; }

  // A client for server() whose reads time out after `read_timeout` of silence.
  web::http::client::http_client MakeClient(std::chrono::milliseconds read_timeout) const;
  // "Bearer <token>", or empty when there is no token.
  std::string AuthorizationHeader() const;
  // Adds the Authorization header to `request` when there is a token.
  void Authorize(web::http::http_request& request) const;

 private:
  KubeConnection() = default;

  std::string server_;
  std::string namespace_;
  std::string description_;
  TlsMaterial tls_;
  std::shared_ptr<BearerTokenSource> token_;  // null: no credentials
};

// Checks that `tls` loads into an OpenSSL context: an error naming the bad item otherwise.
Result<bool> ValidateTlsMaterial(const TlsMaterial& tls);

}  // namespace sidecar::kube
