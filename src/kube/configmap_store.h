// Reads and writes ConfigMaps in one namespace, with optimistic concurrency.
//
// Updates carry the resourceVersion that was read; if the ConfigMap changed since, the API server
// answers 409 and the result is kConflict: the caller reads again, reapplies its change and
// retries (read-modify-write). Creating a ConfigMap that already exists is a kConflict too.
//
// Thread-safe; every call blocks until the API server answers or the timeout passes, so never call
// it from a pplx continuation.
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "kube/connection.h"

namespace sidecar::kube {

struct ConfigMap {
  std::string name;
  std::string resource_version;  // as read; empty for one not created yet
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> data;
  // The object as read. Update() starts from it, so fields this struct does not model
  // (annotations, owner references, binaryData) survive a read-modify-write.
  web::json::value original;
};

enum class ConfigMapStatus {
  kOk,
  kNotFound,
  kConflict,  // changed since it was read (update), or already exists (create)
  kError,     // anything else: transport failure, refusal, malformed answer
};

struct ConfigMapResult {
  ConfigMapStatus status = ConfigMapStatus::kError;
  ConfigMap config_map;  // the stored ConfigMap when status is kOk
  std::string error;     // what went wrong, when status is not kOk
};

class ConfigMapStore {
 public:
  ConfigMapStore(KubeConnection connection, std::string namespace_name,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

  ConfigMapResult Get(const std::string& name) const;
  // Every ConfigMap of the namespace that matches `label_selector`, read in pages.
  Result<std::vector<ConfigMap>> List(const std::string& label_selector) const;
  ConfigMapResult Create(const ConfigMap& config_map) const;
  // Replaces the stored ConfigMap if its resourceVersion is still `config_map.resource_version`.
  ConfigMapResult Update(const ConfigMap& config_map) const;

 private:
  ConfigMapResult Send(web::http::http_request request) const;
  std::string CollectionPath() const;

  const KubeConnection connection_;
  const std::string namespace_name_;
  mutable web::http::client::http_client client_;
};

// The wire form, as pure functions.
// The JSON object to send for `config_map` in `namespace_name`, built on its `original`.
web::json::value ConfigMapToJson(const ConfigMap& config_map, const std::string& namespace_name);
// Reads a ConfigMap object; an error when it has no name or a label or data value is not a
// string.
Result<ConfigMap> ParseConfigMap(const web::json::value& object);

}  // namespace sidecar::kube
