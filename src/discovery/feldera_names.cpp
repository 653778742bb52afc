#include "discovery/feldera_names.h"

#include <cpprest/http_client.h>
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <system_error>

#include "kube/bearer_token.h"

namespace sidecar {
namespace {

using web::http::client::http_client;

// `selector=status` asks Feldera for the small descriptor (id, name, status fields) instead of
// each pipeline's whole program and configuration.
constexpr const char* kPipelineListPath = "/v0/pipelines?selector=status";

std::unique_ptr<http_client> MakeClient(const FelderaNamesOptions& options) {
  web::http::client::http_client_config config;
  config.set_timeout(options.request_timeout);
  try {
    return std::make_unique<http_client>(options.api_url, config);
  } catch (const std::exception& e) {
    spdlog::error("feldera.api_url '{}' is not a usable URL: {}", options.api_url, e.what());
    return nullptr;
  }
}

const web::json::value* StringField(const web::json::object& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->second.is_string()) return nullptr;
  return &found->second;
}

}  // namespace

Result<PipelineNamesById> ParsePipelineList(const std::string& body) {
  using R = Result<PipelineNamesById>;
  std::error_code error;
  const web::json::value list = web::json::value::parse(body, error);
  if (error) return R::Error("pipeline list is not JSON: " + error.message());
  if (!list.is_array()) return R::Error("pipeline list is not a JSON array");
  PipelineNamesById names;
  for (const web::json::value& descriptor : list.as_array()) {
    if (!descriptor.is_object()) continue;
    const web::json::value* id = StringField(descriptor.as_object(), "id");
    const web::json::value* name = StringField(descriptor.as_object(), "name");
    if (!id || !name || id->as_string().empty() || name->as_string().empty()) continue;
    names[id->as_string()] = name->as_string();
  }
  return R::Ok(std::move(names));
}

bool ShouldFetch(const NameCacheTimes& times, bool id_cached, NameCacheTimes::Clock::time_point now,
                 const FelderaNamesOptions& options) {
  if (times.last_attempt && now - *times.last_attempt < options.min_refetch) return false;
  if (!id_cached) return true;
  return !times.last_success || now - *times.last_success >= options.refresh_interval;
}

FelderaPipelineNames::FelderaPipelineNames(FelderaNamesOptions options)
    : options_(std::move(options)), client_(MakeClient(options_)) {}

FelderaPipelineNames::~FelderaPipelineNames() = default;

void FelderaPipelineNames::RefreshIfDueLocked(const std::string* pipeline_id) {
  // A caller arriving during a fetch waits for its answer rather than starting another.
  while (fetching_) fetch_done_.Wait(&mu_);
  const auto now = NameCacheTimes::Clock::now();
  // Asked after the wait: the fetch waited for may have brought the id.
  const bool id_cached = pipeline_id == nullptr || names_.contains(*pipeline_id);
  if (!ShouldFetch(times_, id_cached, now, options_)) return;
  fetching_ = true;
  times_.last_attempt = now;
  mu_.Unlock();
  Result<PipelineNamesById> fetched = Fetch();
  LogOutcome(fetched);
  mu_.Lock();
  if (fetched.ok()) {
    names_ = std::move(fetched).value();
    times_.last_success = NameCacheTimes::Clock::now();
  }
  fetching_ = false;
  fetch_done_.SignalAll();
}

std::optional<std::string> FelderaPipelineNames::NameForId(const std::string& pipeline_id) {
  MutexLock lock(&mu_);
  RefreshIfDueLocked(&pipeline_id);
  auto found = names_.find(pipeline_id);
  if (found == names_.end()) return std::nullopt;
  return found->second;
}

std::optional<PipelineNamesById> FelderaPipelineNames::All() {
  MutexLock lock(&mu_);
  RefreshIfDueLocked(nullptr);
  if (!times_.last_success) return std::nullopt;
  return names_;
}

Result<std::string> FelderaPipelineNames::CurrentApiKey() {
  if (!api_key_) {
    // Checked at every fetch; once read, a file mid-replacement leaves the previous key in use.
    auto key = kube::BearerTokenSource::FromFile(options_.api_key_file, std::chrono::seconds(0));
    if (!key.ok()) return Result<std::string>::Error(key.error());
    api_key_ = key.value();
  }
  return Result<std::string>::Ok(api_key_->Token());
}

Result<PipelineNamesById> FelderaPipelineNames::Fetch() {
  using R = Result<PipelineNamesById>;
  if (!client_) return R::Error("invalid URL: feldera.api_url is not a usable URL");
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(kPipelineListPath);
  if (!options_.api_key_file.empty()) {
    Result<std::string> key = CurrentApiKey();
    if (!key.ok()) return R::Error("API key: " + key.error());
    request.headers().add("Authorization", "Bearer " + key.value());
  }
  try {
    web::http::http_response response = client_->request(request).get();
    const int status = response.status_code();
    std::string body = response.extract_utf8string(true).get();
    if (status != 200) return R::Error("HTTP " + std::to_string(status));
    Result<PipelineNamesById> names = ParsePipelineList(body);
    if (!names.ok()) return R::Error("bad body: " + names.error());
    return names;
  } catch (const std::exception& e) {
    return R::Error(std::string("unreachable: ") + e.what());
  }
}

void FelderaPipelineNames::LogOutcome(const Result<PipelineNamesById>& outcome) {
  if (outcome.ok()) {
    if (!last_failure_kind_.empty()) {
      spdlog::info("Feldera API server {} answers pipeline names again", options_.api_url);
    }
    last_failure_kind_.clear();
    return;
  }
  // The kind is the error's text up to the colon ("HTTP 401", "unreachable", "bad body", ...):
  // a server down for an hour logs once, not once per retry with a changing detail.
  const std::string kind = outcome.error().substr(0, outcome.error().find(':'));
  if (kind == last_failure_kind_) return;
  last_failure_kind_ = kind;
  spdlog::warn("cannot read pipeline names from Feldera API server {}: {}", options_.api_url,
               outcome.error());
}

}  // namespace sidecar
