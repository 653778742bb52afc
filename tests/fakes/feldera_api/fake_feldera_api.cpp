#include "fakes/feldera_api/fake_feldera_api.h"

#include <cpprest/json.h>

#include "support/process.h"

namespace sidecar::testing {
namespace {

using web::http::http_request;
using web::http::status_codes;
using web::json::value;

// Feldera's ErrorResponse: exactly message, error_code and details.
value ErrorResponse(const std::string& message, const std::string& error_code) {
  value error = value::object();
  error["message"] = value::string(message);
  error["error_code"] = value::string(error_code);
  error["details"] = value::object();
  return error;
}

// A descriptor as `GET /v0/pipelines?selector=status` returns it (a subset of its fields).
value Descriptor(const FakePipeline& pipeline) {
  value descriptor = value::object();
  descriptor["id"] = value::string(pipeline.id);
  descriptor["name"] = value::string(pipeline.name);
  descriptor["description"] = value::string("");
  descriptor["created_at"] = value::string("1970-01-01T00:00:00Z");
  descriptor["version"] = value::number(1);
  descriptor["platform_version"] = value::string("v0");
  descriptor["program_status"] = value::string("Success");
  descriptor["deployment_status"] = value::string("Running");
  descriptor["deployment_error"] = value::null();
  return descriptor;
}

// A `Configuration` as Feldera's Enterprise API server answers it (every required field).
value Configuration() {
  value build = value::object();
  for (const char* field :
       {"build_timestamp", "build_cpu", "build_os", "cargo_dependencies", "cargo_features",
        "cargo_debug", "cargo_opt_level", "cargo_target_triple", "rustc_version"}) {
    build[field] = value::string("");
  }
  value config = value::object();
  for (const char* field : {"posthog", "conceptualhq", "product_fruits", "revision",
                            "runtime_revision", "changelog_url"}) {
    config[field] = value::string("");
  }
  config["edition"] = value::string("Enterprise");
  config["version"] = value::string("0.250.0");
  config["build_info"] = build;
  config["build_source"] = value::string("ci");
  return config;
}

}  // namespace

FakeFelderaApi::FakeFelderaApi()
    : port_(FreePort()), listener_("http://127.0.0.1:" + std::to_string(port_)) {
  listener_.support([this](http_request request) { Handle(std::move(request)); });
  listener_.open().wait();
}

FakeFelderaApi::~FakeFelderaApi() {
  ReleaseResponses();
  try {
    listener_.close().wait();
  } catch (const std::exception&) {
    // Closing a listener whose connections already broke may throw; nothing is left to do.
  }
}

std::string FakeFelderaApi::Url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeFelderaApi::SetPipelines(std::vector<FakePipeline> pipelines) {
  std::lock_guard<std::mutex> lock(mutex_);
  pipelines_ = std::move(pipelines);
}

void FakeFelderaApi::RequireApiKey(std::string key) {
  std::lock_guard<std::mutex> lock(mutex_);
  required_key_ = std::move(key);
}

void FakeFelderaApi::SetFault(Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  fault_ = fault;
}

void FakeFelderaApi::HoldResponses() {
  std::lock_guard<std::mutex> lock(mutex_);
  holding_ = true;
}

void FakeFelderaApi::ReleaseResponses() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    holding_ = false;
  }
  released_.notify_all();
}

int64_t FakeFelderaApi::PipelineListRequests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_requests_;
}

std::string FakeFelderaApi::LastAuthorization() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_authorization_;
}

std::string FakeFelderaApi::LastQuery() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_query_;
}

int64_t FakeFelderaApi::ConfigRequests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_requests_;
}

std::string FakeFelderaApi::LastConfigAuthorization() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_config_authorization_;
}

void FakeFelderaApi::HandleConfig(const http_request& request, const std::string& authorization) {
  bool refused = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++config_requests_;
    last_config_authorization_ = authorization;
    refused = !required_key_.empty() && authorization != "Bearer " + required_key_;
  }
  if (refused) {
    request.reply(status_codes::Unauthorized,
                  ErrorResponse("Unauthorized access: invalid API key", "Unauthorized"));
    return;
  }
  request.reply(status_codes::OK, Configuration());
}

void FakeFelderaApi::Handle(http_request request) {
  const std::string path = request.relative_uri().path();
  const std::string authorization =
      request.headers().has("Authorization") ? request.headers()["Authorization"] : "";
  if (request.method() == web::http::methods::GET && path == "/v0/config") {
    HandleConfig(request, authorization);
    return;
  }
  if (request.method() != web::http::methods::GET || path != "/v0/pipelines") {
    request.reply(status_codes::NotFound, ErrorResponse("Unknown endpoint", "UnknownEndpoint"));
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  ++list_requests_;
  last_authorization_ = authorization;
  last_query_ = request.relative_uri().query();
  released_.wait(lock, [this] { return !holding_; });
  if (!required_key_.empty() && authorization != "Bearer " + required_key_) {
    request.reply(status_codes::Unauthorized,
                  ErrorResponse("Unauthorized access: invalid API key", "Unauthorized"));
    return;
  }
  switch (fault_) {
    case Fault::kServerError:
      request.reply(status_codes::InternalError,
                    ErrorResponse("Unable to reach the database", "DBError"));
      return;
    case Fault::kGarbage:
      request.reply(status_codes::OK, "<html>502 Bad Gateway</html>", "text/html");
      return;
    case Fault::kNone:
      break;
  }
  value list = value::array();
  for (size_t i = 0; i < pipelines_.size(); ++i) list[i] = Descriptor(pipelines_[i]);
  request.reply(status_codes::OK, list);
}

}  // namespace sidecar::testing
