// Pipeline names from Feldera's API server, for pods that carry only the pipeline id.
//
// Feldera's Kubernetes runner names a pipeline's pod `pipeline-<pipeline-id>-0` and sets no label
// with the pipeline's name, yet clients address pipelines by name. When the API server's URL is
// configured, the service asks it (`GET /v0/pipelines?selector=status`) which name belongs to an
// id, and caches the whole list.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/mutex.h"
#include "common/result.h"

namespace web::http::client {
class http_client;
}

namespace sidecar::kube {
class BearerTokenSource;
}

namespace sidecar {

// Pipeline id (uuid text, as Feldera writes it) → pipeline name.
using PipelineNamesById = std::map<std::string, std::string>;

// Parses the body of `GET /v0/pipelines`: a JSON array of pipeline descriptors, each with at
// least the string fields `id` and `name`. Descriptors without both are skipped; anything but an
// array is an error.
Result<PipelineNamesById> ParsePipelineList(const std::string& body);

struct FelderaNamesOptions {
  std::string api_url;       // e.g. "http://feldera:8080"; a path prefix is kept
  std::string api_key_file;  // empty: no Authorization header
  // A cached list older than this is fetched again when next asked about.
  std::chrono::milliseconds refresh_interval = std::chrono::seconds(30);
  // The least time between two fetches, however many unknown ids are asked about.
  std::chrono::milliseconds min_refetch = std::chrono::seconds(1);
  std::chrono::milliseconds request_timeout = std::chrono::seconds(5);
};

// When the cache was filled and when a fetch was last tried; input to ShouldFetch.
struct NameCacheTimes {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> last_success;
  std::optional<Clock::time_point> last_attempt;
};

// Whether a question about an id (`id_cached`: whether the cache knows it) should fetch the list
// now. Never within `min_refetch` of the last attempt; otherwise on a miss or a stale cache.
bool ShouldFetch(const NameCacheTimes& times, bool id_cached, NameCacheTimes::Clock::time_point now,
                 const FelderaNamesOptions& options);

// Answers "what is the name of pipeline <id>?" from a cache of the API server's pipeline list.
//
// Calls block while a fetch runs (at most `request_timeout`); concurrent callers share one fetch.
// The API key file's content (trimmed) is sent as `Authorization: Bearer <key>` and read again
// whenever the file changes (kube::BearerTokenSource); the key is never logged. A failed fetch
// keeps the names learned before (a pipeline's identity should not flip to its id during an API
// server outage) and is logged once per change of failure kind. Thread-safe: one mutex guards the
// cache, released while a fetch runs (no I/O happens under it).
class FelderaPipelineNames {
 public:
  explicit FelderaPipelineNames(FelderaNamesOptions options);
  ~FelderaPipelineNames();
  FelderaPipelineNames(const FelderaPipelineNames&) = delete;
  FelderaPipelineNames& operator=(const FelderaPipelineNames&) = delete;

  // The pipeline's name, or nullopt when the API server does not know the id or cannot be asked
  // (the caller then falls back to the id).
  std::optional<std::string> NameForId(const std::string& pipeline_id) EXCLUDES(mu_);
  // Every pipeline the API server lists, fetched again once the cache is stale; nullopt until a
  // fetch has succeeded.
  std::optional<PipelineNamesById> All() EXCLUDES(mu_);

 private:
  // Fetches the list when ShouldFetch says so for `pipeline_id` (null: a question about no id),
  // or waits for a fetch under way; `mu_` is released while the request runs, and held again on
  // return.
  void RefreshIfDueLocked(const std::string* pipeline_id) REQUIRES(mu_);
  // Runs one `GET /v0/pipelines` without holding `mu_`; only the fetching thread calls it.
  Result<PipelineNamesById> Fetch() EXCLUDES(mu_);
  Result<std::string> CurrentApiKey();
  void LogOutcome(const Result<PipelineNamesById>& outcome);

  const FelderaNamesOptions options_;
  std::unique_ptr<web::http::client::http_client> client_;  // null: api_url is not a URL

  // Touched only by the thread that runs a fetch (one at a time, see `fetching_`).
  std::shared_ptr<kube::BearerTokenSource> api_key_;  // null until the key file is first read
  std::string last_failure_kind_;  // empty: the last fetch succeeded (or none ran)

  Mutex mu_;
  CondVar fetch_done_;  // signalled when a fetch ends (`fetching_` cleared)
  bool fetching_ GUARDED_BY(mu_) = false;
  NameCacheTimes times_ GUARDED_BY(mu_);
  PipelineNamesById names_ GUARDED_BY(mu_);
};

}  // namespace sidecar
