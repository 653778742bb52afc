// PipelineClient: the service's HTTP client for one pipeline's base URL; the UpstreamClient that
// Pipelines use in the service.
//
// Asynchronous (pplx tasks); no call blocks a thread. Transport failures (refused, reset,
// timeout) are values, never exceptions. Thread-safe.
#pragma once

#include <cpprest/http_client.h>
#include <cpprest/uri_builder.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "kube/bearer_token.h"
#include "metrics/metrics.h"
#include "pipeline/upstream_client.h"
#include "upstream/http_client_pool.h"

namespace sidecar {

// How HTTPS pipelines are verified, on top of the system's trust store.
struct UpstreamTls {
  std::string ca_pem;       // more CA certificates (PEM); empty: none
  std::string server_name;  // the name to verify (and send as SNI and Host); empty: the URL's host
};

// The in-cluster CA, trusted for HTTPS pipelines when no CA file is configured.
inline constexpr char kInClusterCaFile[] = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

// Reads `ca_file` (empty: `fallback_ca_file` if it exists, else none) and checks that it holds
// PEM certificates; an error naming the file otherwise.
Result<UpstreamTls> LoadUpstreamTls(const std::string& ca_file, const std::string& server_name,
                                    const std::string& fallback_ca_file = kInClusterCaFile);

// `url` as cpprestsdk's client can connect to it. Its resolver is handed the URI's host as it is,
// and "[fd00::5]" resolves to nothing: an IPv6 literal is given to it without brackets (a URI built
// from parts keeps them apart). Any other URL is parsed as it is.
web::uri ConnectableUri(const std::string& url);

// The configuration of every upstream client: the request timeout, and the CAs `tls` adds.
web::http::client::http_client_config UpstreamClientConfig(std::chrono::milliseconds timeout,
                                                           const UpstreamTls& tls);

class PipelineClient : public UpstreamClient {
 public:
  // Requests go through `pool`'s client for the base URL's origin. `metrics` (optional) counts
  // every request by kind and outcome. `api_key` (optional) is sent as `Authorization: Bearer` on
  // every request, forwarded ones included. `tls_server_name` (optional) is the name an https
  // pipeline's certificate is checked against.
  PipelineClient(std::string pipeline, const std::string& base_url, int retry_after_seconds,
                 HttpClientPool& pool, Metrics* metrics = nullptr,
                 std::shared_ptr<kube::BearerTokenSource> api_key = nullptr,
                 const std::string& tls_server_name = "");

  void FetchStats(ProbeDone done) override;
  void FetchCompletionStatus(const std::string& token, QueryDone done) override;
  // With an API key, the request's Authorization header is replaced by the key.
  pplx::task<web::http::http_response> Forward(web::http::http_request request,
                                               const char* kind) override;

  // Shutdown. From CancelAll() on, every /stats and completion_status request of every client is
  // cancelled (those under way end at once with a transport error, new ones fail at once);
  // forwarded requests are not, and finish. A caller holds an InFlight() token in the
  // continuation that handles an answer; WaitForAll() waits until no token is held, so that the
  // process does not exit with continuations still queued (work lost, and memory LeakSanitizer
  // reports).
  static void CancelAll();
  static std::shared_ptr<void> InFlight();
  static bool WaitForAll(std::chrono::milliseconds timeout);

  const std::string& base_url() const override { return base_url_; }
  PipelineBase base() const override { return base_; }

 private:
  pplx::task<ProbeOutcome> StatsTask();
  pplx::task<UpstreamOutcome> CompletionStatusTask(const std::string& token);
  // A GET of `target` with the service's key, if any.
  web::http::http_request Get(const std::string& target) const;
  // Sets what every request carries: its target under the base URL's path, the service's key,
  // the TLS server name as Host.
  void Prepare(web::http::http_request& request) const;

  std::string pipeline_;
  std::string base_url_;
  PipelineBase base_;
  int retry_after_seconds_;
  Metrics* metrics_;
  std::shared_ptr<kube::BearerTokenSource> api_key_;
  std::string server_name_;  // empty: the URL's host
  // The Host header for a plain-http IPv6 address: cpprestsdk would write it unbracketed.
  std::string ipv6_host_header_;
  std::string base_path_;                 // the base URL's path, put before every request's target
  std::shared_ptr<OriginClient> client_;  // shared with the origin's other pipelines
};

}  // namespace sidecar
