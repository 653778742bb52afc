// UpstreamClient: what a Pipeline sends to the pipeline it serves (a pipeline process, or
// Feldera's API server in front of it). The interface lets a Pipeline be driven in a test by a
// fake; upstream/pipeline_client.h is the HTTP implementation.
//
// Every call returns at once; `done` runs exactly once, later, on another thread, never inside
// the call (so a caller may hold no lock the callback takes — and must hold none while calling).
// Transport failures are outcomes, never exceptions.
#pragma once

#include <cpprest/http_msg.h>
#include <pplx/pplxtasks.h>

#include <functional>
#include <string>

#include "feldera/pipeline_paths.h"
#include "status/pipeline_answers.h"
#include "status/status_answer.h"

namespace sidecar {

class UpstreamClient {
 public:
  using ProbeDone = std::function<void(const ProbeOutcome&)>;
  using QueryDone = std::function<void(const UpstreamOutcome&)>;

  virtual ~UpstreamClient() = default;

  virtual const std::string& base_url() const = 0;
  // Whether the base URL is the pipeline process or Feldera's API server in front of it.
  virtual PipelineBase base() const = 0;

  // GET {url}/stats.
  virtual void FetchStats(ProbeDone done) = 0;
  // GET {url}/completion_status?token=...
  virtual void FetchCompletionStatus(const std::string& token, QueryDone done) = 0;
  // Sends a client's `request` (path and query relative to the base URL) and returns the answer
  // as it came; transport failures become a 503 ErrorResponse answer. `kind` ("ingress",
  // "completion_token") labels it in the metrics.
  virtual pplx::task<web::http::http_response> Forward(web::http::http_request request,
                                                       const char* kind) = 0;
};

}  // namespace sidecar
