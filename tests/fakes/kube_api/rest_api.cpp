#include "fakes/kube_api/rest_api.h"

#include <algorithm>
#include <cctype>

#include "fakes/kube_api/api_error.h"
#include "fakes/kube_api/http_replies.h"
#include "fakes/kube_api/list_options.h"
#include "fakes/kube_api/namespaces.h"
#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

using web::http::http_request;
using web::http::status_codes;
using web::json::value;

value ParseJsonBody(const std::string& body) {
  try {
    return value::parse(body);
  } catch (const std::exception&) {
    throw ApiError::BadRequest("the request body is not valid JSON");
  }
}

// The media type of the request body, without parameters, lower-case.
std::string MediaType(const http_request& request) {
  const auto header = request.headers().find("Content-Type");
  std::string type = header == request.headers().end() ? "" : header->second;
  type = type.substr(0, type.find(';'));
  std::erase_if(type, [](unsigned char c) { return std::isspace(c); });
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

// The answer to deleting an object that has no finalizing state to report (configmaps).
value DeletedStatus(const ResourceType& type, const value& deleted) {
  value details = value::object();
  details["name"] = value::string(ObjectName(deleted));
  details["kind"] = value::string(type.resource);
  details["uid"] = value::string(StringField(deleted, {"metadata", "uid"}));
  value status = value::object();
  status["kind"] = value::string("Status");
  status["apiVersion"] = value::string("v1");
  status["metadata"] = value::object();
  status["status"] = value::string("Success");
  status["details"] = details;
  return status;
}

DeletePreconditions ParseDeleteOptions(const std::string& body) {
  DeletePreconditions preconditions;
  if (body.empty()) return preconditions;
  const value options = ParseJsonBody(body);
  preconditions.uid = StringField(options, {"preconditions", "uid"});
  preconditions.resource_version = StringField(options, {"preconditions", "resourceVersion"});
  return preconditions;
}

void ServeWrite(Cluster& cluster, const ResourceType& type, const RequestInfo& info,
                const http_request& request, const std::string& body) {
  const bool is_pod = type.resource == "pods";
  const StatusSource status = is_pod ? StatusSource::kKeepStored : StatusSource::kRequest;
  // The real server also takes protobuf (kubectl sends it for built-in types); this one does not.
  const std::string media_type = MediaType(request);
  if ((info.verb == "create" || info.verb == "update") && media_type != "application/json" &&
      !media_type.empty()) {
    throw ApiError::UnsupportedMediaType(media_type);
  }
  if (info.verb == "create") {
    value object = ParseJsonBody(body);
    if (is_pod && object.is_object()) {
      object["status"] = value::object();
      object["status"]["phase"] = value::string("Pending");
    }
    ReplyJson(request, status_codes::Created,
              cluster.Create(type, info.namespace_name, std::move(object)));
  } else if (info.verb == "update") {
    ReplyJson(request, status_codes::OK,
              cluster.Update(type, info.namespace_name, info.name, ParseJsonBody(body), status));
  } else if (info.verb == "patch") {
    if (media_type != "application/merge-patch+json") {
      throw ApiError::UnsupportedMediaType(media_type);
    }
    ReplyJson(
        request, status_codes::OK,
        cluster.MergePatch(type, info.namespace_name, info.name, ParseJsonBody(body), status));
  } else {  // delete
    const value deleted =
        cluster.Delete(type, info.namespace_name, info.name, ParseDeleteOptions(body));
    // The real server answers a pod deletion with the pod, other deletions with a Status.
    ReplyJson(request, status_codes::OK, is_pod ? deleted : DeletedStatus(type, deleted));
  }
}

void ServeNamespaceRead(const Cluster& cluster, const RequestInfo& info,
                        const http_request& request) {
  if (info.verb == "get") {
    ReplyJson(request, status_codes::OK, NamespaceObject(info.name));
  } else if (info.verb == "list") {
    ReplyJson(request, status_codes::OK,
              NamespaceList(cluster.NamespacesInUse(), cluster.CurrentVersion()));
  } else {
    throw ApiError::MethodNotAllowed(info.verb, info.resource);
  }
}

}  // namespace

void ServeResourceRequest(const std::shared_ptr<Cluster>& cluster, const RequestInfo& info,
                          const QueryParams& query, const http_request& request) {
  try {
    const bool core_v1 = info.api_group.empty() && info.api_version == "v1";
    if (info.resource == "namespaces" && core_v1 && info.subresource.empty()) {
      ServeNamespaceRead(*cluster, info, request);
      return;
    }
    const ResourceType* type = FindResourceType(info.resource);
    if (type == nullptr || !core_v1 || !info.subresource.empty()) {
      throw ApiError::UnknownResource();
    }
    if (info.verb == "get") {
      const auto object = cluster->Get(*type, info.namespace_name, info.name);
      if (!object) throw ApiError::NotFound(type->resource, info.name);
      ReplyJson(request, status_codes::OK, *object);
      return;
    }
    if (info.verb == "list" || info.verb == "watch") {
      const auto options = ParseListOptions(info, query);
      if (!options.ok()) throw ApiError::BadRequest(options.error());
      if (info.verb == "list") {
        ReplyJson(request, status_codes::OK, cluster->List(*type, options.value()));
      } else {
        cluster->Watch(*type, options.value(), [&request] { return WatchStream::Open(request); });
      }
      return;
    }
    // Writes address one namespace: create its collection, the others one named object.
    const bool create = info.verb == "create" && info.name.empty();
    const bool change = (info.verb == "update" || info.verb == "patch" || info.verb == "delete") &&
                        !info.name.empty();
    if (info.namespace_name.empty() || !(create || change)) {
      throw ApiError::MethodNotAllowed(info.verb, info.resource);
    }
    http_request reader = request;  // a handle to the same request; reading needs a non-const one
    reader.extract_utf8string(true).then(
        [cluster, type, info, request](pplx::task<std::string> body) {
          try {
            ServeWrite(*cluster, *type, info, request, body.get());
          } catch (const ApiError& error) {
            ReplyError(request, error);
          } catch (const std::exception& error) {
            ReplyError(request, ApiError(500, "InternalError", error.what()));
          }
        });
  } catch (const ApiError& error) {
    ReplyError(request, error);
  }
}

}  // namespace sidecar::testing::kubefake
