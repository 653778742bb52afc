// FakeFelderaApi: the parts of Feldera's API server that list pipelines (`GET /v0/pipelines`) and
// describe the platform (`GET /v0/config`), on 127.0.0.1, for tests of pipeline name resolution
// and of /v0/config forwarding.
//
// It answers the configured pipelines as PipelineSelectedInfo descriptors, demands a configured
// bearer key (401 ErrorResponse otherwise), counts requests and can be switched to fail.
// Thread-safe: every method may be called from any thread while the server runs.
#pragma once

#include <cpprest/http_listener.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace sidecar::testing {

struct FakePipeline {
  std::string id;  // uuid text
  std::string name;
};

class FakeFelderaApi {
 public:
  enum class Fault {
    kNone,
    kServerError,  // 500 with an ErrorResponse
    kGarbage,      // 200 with a body that is not JSON
  };

  // Listens on a free loopback port; throws if it cannot.
  FakeFelderaApi();
  ~FakeFelderaApi();
  FakeFelderaApi(const FakeFelderaApi&) = delete;
  FakeFelderaApi& operator=(const FakeFelderaApi&) = delete;

  std::string Url() const;  // "http://127.0.0.1:PORT"

  void SetPipelines(std::vector<FakePipeline> pipelines);
  // Empty (the default): no key required.
  void RequireApiKey(std::string key);
  void SetFault(Fault fault);
  // While held, requests are counted and then wait for ReleaseResponses() before being answered:
  // lets a test have callers arrive while a fetch is in flight.
  void HoldResponses();
  void ReleaseResponses();

  // Requests to `/v0/pipelines` (answered or refused).
  int64_t PipelineListRequests() const;
  // The Authorization header and the query string of the latest such request.
  std::string LastAuthorization() const;
  std::string LastQuery() const;
  // Requests to `/v0/config`, and the Authorization header of the latest ("" without one).
  int64_t ConfigRequests() const;
  std::string LastConfigAuthorization() const;

 private:
  void Handle(web::http::http_request request);
  void HandleConfig(const web::http::http_request& request, const std::string& authorization);

  const int port_;
  web::http::experimental::listener::http_listener listener_;

  mutable std::mutex mutex_;
  std::vector<FakePipeline> pipelines_;
  std::string required_key_;
  Fault fault_ = Fault::kNone;
  bool holding_ = false;
  std::condition_variable released_;
  int64_t list_requests_ = 0;
  std::string last_authorization_;
  std::string last_query_;
  int64_t config_requests_ = 0;
  std::string last_config_authorization_;
};

}  // namespace sidecar::testing
