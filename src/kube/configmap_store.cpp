#include "kube/configmap_store.h"

#include <cpprest/base_uri.h>

#include "kube/api_call.h"
#include "kube/json_fields.h"
#include "kube/list_watch_protocol.h"

namespace sidecar::kube {
namespace {

web::json::value StringMapToJson(const std::map<std::string, std::string>& entries) {
  web::json::value object = web::json::value::object();
  for (const auto& [key, value] : entries) {
    object[key] = web::json::value::string(value);
  }
  return object;
}

// Reads a string-to-string map field; absent or null is empty.
Result<std::map<std::string, std::string>> StringMapAt(const web::json::value& object,
                                                       JsonPath path, const std::string& what) {
  using R = Result<std::map<std::string, std::string>>;
  std::map<std::string, std::string> entries;
  const web::json::value* field = FindAt(object, path);
  if (field == nullptr || field->is_null()) {
    return R::Ok(std::move(entries));
  }
  if (!field->is_object()) {
    return R::Error(what + " is not an object");
  }
  for (const auto& [key, value] : field->as_object()) {
    if (!value.is_string()) {
      return R::Error(what + " '" + key + "' is not a string");
    }
    entries.emplace(key, value.as_string());
  }
  return R::Ok(std::move(entries));
}

// web::json's erase throws when the key is absent.
void EraseField(web::json::value& object, const std::string& key) {
  if (object.has_field(key)) {
    object.erase(key);
  }
}

ConfigMapStatus StatusOf(int http_status) {
  switch (http_status) {
    case 200:
    case 201:
      return ConfigMapStatus::kOk;
    case 404:
      return ConfigMapStatus::kNotFound;
    case 409:
      return ConfigMapStatus::kConflict;
    default:
      return ConfigMapStatus::kError;
  }
}

}  // namespace

web::json::value ConfigMapToJson(const ConfigMap& config_map, const std::string& namespace_name) {
  web::json::value object =
      config_map.original.is_object() ? config_map.original : web::json::value::object();
  object["apiVersion"] = web::json::value::string("v1");
  object["kind"] = web::json::value::string("ConfigMap");
  web::json::value& metadata = object["metadata"];
  if (!metadata.is_object()) {
    metadata = web::json::value::object();
  }
  metadata["name"] = web::json::value::string(config_map.name);
  metadata["namespace"] = web::json::value::string(namespace_name);
  if (config_map.resource_version.empty()) {
    EraseField(metadata, "resourceVersion");
  } else {
    metadata["resourceVersion"] = web::json::value::string(config_map.resource_version);
  }
  if (config_map.labels.empty()) {
    EraseField(metadata, "labels");
  } else {
    metadata["labels"] = StringMapToJson(config_map.labels);
  }
  object["data"] = StringMapToJson(config_map.data);
  return object;
}

Result<ConfigMap> ParseConfigMap(const web::json::value& object) {
  using R = Result<ConfigMap>;
  ConfigMap config_map;
  std::optional<std::string> name = StringAt(object, {"metadata", "name"});
  if (!name || name->empty()) {
    return R::Error("ConfigMap without a metadata.name");
  }
  config_map.name = *name;
  config_map.resource_version = ObjectResourceVersion(object);
  auto labels = StringMapAt(object, {"metadata", "labels"}, "label");
  if (!labels.ok()) {
    return R::Error(labels.error());
  }
  auto data = StringMapAt(object, {"data"}, "data entry");
  if (!data.ok()) {
    return R::Error(data.error());
  }
  config_map.labels = std::move(labels).value();
  config_map.data = std::move(data).value();
  config_map.original = object;
  return R::Ok(std::move(config_map));
}

ConfigMapStore::ConfigMapStore(KubeConnection connection, std::string namespace_name,
                               std::chrono::milliseconds timeout)
    : connection_(std::move(connection)),
      namespace_name_(std::move(namespace_name)),
      client_(connection_.MakeClient(timeout)) {}

std::string ConfigMapStore::CollectionPath() const {
  return "/api/v1/namespaces/" + web::uri::encode_data_string(namespace_name_) + "/configmaps";
}

ConfigMapResult ConfigMapStore::Get(const std::string& name) const {
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(CollectionPath() + "/" + web::uri::encode_data_string(name));
  return Send(request);
}

Result<std::vector<ConfigMap>> ConfigMapStore::List(const std::string& label_selector) const {
  using R = Result<std::vector<ConfigMap>>;
  // Pages keep each answer small however many pipelines there are.
  constexpr int kPageSize = 500;
  const ListWatchQuery query{CollectionPath(), label_selector, ""};
  std::vector<ConfigMap> all;
  std::string continue_token;
  do {
    web::http::http_request request(web::http::methods::GET);
    request.set_request_uri(ListRequestTarget(query, kPageSize, continue_token));
    request.headers().add("Accept", "application/json");
    connection_.Authorize(request);
    const std::string what = "GET " + request.request_uri().to_string();
    Result<ApiResponse> answer = CallApi(client_, request, pplx::cancellation_token::none());
    if (!answer.ok()) return R::Error(what + ": " + answer.error());
    std::error_code error;
    const web::json::value body = web::json::value::parse(answer->body, error);
    if (answer->status != 200) {
      std::optional<ApiStatus> status = error ? std::nullopt : ParseApiStatus(body);
      return R::Error(what + ": HTTP " + std::to_string(answer->status) +
                      (status ? " " + status->reason + ": " + status->message : ""));
    }
    if (error) return R::Error(what + ": answer is not JSON: " + error.message());
    Result<ListPage> page = ParseListPage(body);
    if (!page.ok()) return R::Error(what + ": " + page.error());
    for (const web::json::value& item : page->items) {
      Result<ConfigMap> config_map = ParseConfigMap(item);
      if (!config_map.ok()) return R::Error(what + ": " + config_map.error());
      all.push_back(std::move(config_map).value());
    }
    continue_token = page->continue_token;
  } while (!continue_token.empty());
  return R::Ok(std::move(all));
}

ConfigMapResult ConfigMapStore::Create(const ConfigMap& config_map) const {
  ConfigMap fresh = config_map;
  fresh.resource_version.clear();
  web::http::http_request request(web::http::methods::POST);
  request.set_request_uri(CollectionPath());
  request.set_body(ConfigMapToJson(fresh, namespace_name_));
  return Send(request);
}

ConfigMapResult ConfigMapStore::Update(const ConfigMap& config_map) const {
  if (config_map.resource_version.empty()) {
    return {
        ConfigMapStatus::kError,
        {},
        "update of ConfigMap " + config_map.name + " without the resourceVersion it was read at"};
  }
  web::http::http_request request(web::http::methods::PUT);
  request.set_request_uri(CollectionPath() + "/" + web::uri::encode_data_string(config_map.name));
  request.set_body(ConfigMapToJson(config_map, namespace_name_));
  return Send(request);
}

ConfigMapResult ConfigMapStore::Send(web::http::http_request request) const {
  const std::string what = request.method() + " " + request.request_uri().to_string();
  request.headers().add("Accept", "application/json");
  connection_.Authorize(request);
  Result<ApiResponse> answer = CallApi(client_, request, pplx::cancellation_token::none());
  if (!answer.ok()) {
    return {ConfigMapStatus::kError, {}, what + ": " + answer.error()};
  }
  std::error_code error;
  const web::json::value body = web::json::value::parse(answer->body, error);
  ConfigMapResult result;
  result.status = StatusOf(answer->status);
  if (result.status != ConfigMapStatus::kOk) {
    std::optional<ApiStatus> status = error ? std::nullopt : ParseApiStatus(body);
    result.error = what + ": HTTP " + std::to_string(answer->status) +
                   (status ? " " + status->reason + ": " + status->message : "");
    return result;
  }
  Result<ConfigMap> parsed =
      error ? Result<ConfigMap>::Error("answer is not JSON: " + error.message())
            : ParseConfigMap(body);
  if (!parsed.ok()) {
    return {ConfigMapStatus::kError, {}, what + ": " + parsed.error()};
  }
  result.config_map = std::move(parsed).value();
  return result;
}

}  // namespace sidecar::kube
