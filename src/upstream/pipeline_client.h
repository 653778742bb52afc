// PipelineClient: the service's HTTP client for one pipeline's base URL.
//
// Asynchronous (pplx tasks); no call blocks a thread. Transport failures (refused, reset,
// timeout) are values, never exceptions. Thread-safe.
#pragma once

#include <cpprest/http_client.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"
#include "metrics/metrics.h"
#include "status/status_answer.h"
#include "upstream/pipeline_answers.h"

namespace sidecar {

class PipelineClient {
 public:
  // `metrics` (optional) counts every request by kind and outcome.
  PipelineClient(std::string pipeline, const std::string& base_url,
                 std::chrono::milliseconds timeout, int retry_after_seconds,
                 Metrics* metrics = nullptr);

  // GET {url}/stats.
  pplx::task<Result<StatsSnapshot>> FetchStats();

  // GET {url}/completion_status?token=...
  pplx::task<UpstreamOutcome> FetchCompletionStatus(const std::string& token);

  // Sends `request` (path and query relative to the base URL) and returns the answer as it came;
  // transport failures become a 503 ErrorResponse answer. `kind` ("ingress", "completion_token")
  // labels it in the metrics.
  pplx::task<web::http::http_response> Forward(web::http::http_request request, const char* kind);

  const std::string& base_url() const { return base_url_; }

 private:
  std::string pipeline_;
  std::string base_url_;
  int retry_after_seconds_;
  Metrics* metrics_;
  web::http::client::http_client client_;
};

}  // namespace sidecar
