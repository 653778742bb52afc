#include "kube/list_watch_protocol.h"

#include <cpprest/base_uri.h>

#include "kube/json_fields.h"

namespace sidecar::kube {
namespace {

void AppendParameter(std::string& target, const std::string& name, const std::string& value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += name;
  target += '=';
  target += web::uri::encode_data_string(value);
}

void AppendSelectors(std::string& target, const ListWatchQuery& query) {
  if (!query.label_selector.empty()) {
    AppendParameter(target, "labelSelector", query.label_selector);
  }
  if (!query.field_selector.empty()) {
    AppendParameter(target, "fieldSelector", query.field_selector);
  }
}

}  // namespace

std::string ListRequestTarget(const ListWatchQuery& query, int limit,
                              const std::string& continue_token) {
  std::string target = query.resource_path;
  if (limit > 0) {
    AppendParameter(target, "limit", std::to_string(limit));
  }
  if (!continue_token.empty()) {
    AppendParameter(target, "continue", continue_token);
  }
  AppendSelectors(target, query);
  return target;
}

std::string WatchRequestTarget(const ListWatchQuery& query, const std::string& resource_version,
                               std::chrono::seconds timeout) {
  std::string target = query.resource_path;
  AppendParameter(target, "watch", "true");
  AppendParameter(target, "resourceVersion", resource_version);
  AppendParameter(target, "allowWatchBookmarks", "true");
  AppendParameter(target, "timeoutSeconds", std::to_string(timeout.count()));
  AppendSelectors(target, query);
  return target;
}

Result<ListPage> ParseListPage(const web::json::value& body) {
  using R = Result<ListPage>;
  const web::json::array* items = ArrayAt(body, {"items"});
  if (items == nullptr) {
    const web::json::value* field = FindAt(body, {"items"});
    // The API server writes "items": null for an empty list.
    if (field == nullptr || !field->is_null()) {
      return R::Error("list response has no items array");
    }
  }
  ListPage page;
  std::optional<std::string> version = StringAt(body, {"metadata", "resourceVersion"});
  if (!version || version->empty()) {
    return R::Error("list response has no metadata.resourceVersion");
  }
  page.resource_version = *version;
  page.continue_token = StringAt(body, {"metadata", "continue"}).value_or("");
  if (items != nullptr) {
    page.items.reserve(items->size());
    for (const web::json::value& item : *items) {
      if (!StringAt(item, {"metadata", "name"})) {
        return R::Error("list item without a metadata.name");
      }
      page.items.push_back(item);
    }
  }
  return R::Ok(std::move(page));
}

std::string_view ToString(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
    case WatchEventType::kBookmark:
      return "BOOKMARK";
    case WatchEventType::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

Result<WatchEvent> ParseWatchEvent(std::string_view line) {
  using R = Result<WatchEvent>;
  std::error_code error;
  web::json::value parsed = web::json::value::parse(std::string(line), error);
  if (error) {
    return R::Error("watch line is not JSON: " + error.message());
  }
  std::optional<std::string> type = StringAt(parsed, {"type"});
  const web::json::value* object = FindAt(parsed, {"object"});
  if (!type || object == nullptr || !object->is_object()) {
    return R::Error("watch line has no string type and object");
  }
  WatchEvent event;
  if (*type == "ADDED") {
    event.type = WatchEventType::kAdded;
  } else if (*type == "MODIFIED") {
    event.type = WatchEventType::kModified;
  } else if (*type == "DELETED") {
    event.type = WatchEventType::kDeleted;
  } else if (*type == "BOOKMARK") {
    event.type = WatchEventType::kBookmark;
  } else if (*type == "ERROR") {
    event.type = WatchEventType::kError;
  } else {
    return R::Error("unknown watch event type '" + type->substr(0, 64) + "'");
  }
  if (event.type != WatchEventType::kError) {
    std::optional<std::string> version = StringAt(*object, {"metadata", "resourceVersion"});
    if (!version || version->empty()) {
      return R::Error(std::string(ToString(event.type)) + " event without a resourceVersion");
    }
    event.resource_version = *version;
    if (event.type != WatchEventType::kBookmark && !StringAt(*object, {"metadata", "name"})) {
      return R::Error(std::string(ToString(event.type)) + " event without a metadata.name");
    }
  }
  event.object = *object;
  return R::Ok(std::move(event));
}

std::optional<ApiStatus> ParseApiStatus(const web::json::value& body) {
  std::optional<int64_t> code = IntegerAt(body, {"code"});
  // Some servers and proxies omit the kind; a numeric code is then what marks a Status.
  if (StringAt(body, {"kind"}) != "Status" && !(StringAt(body, {"kind"}) == std::nullopt && code)) {
    return std::nullopt;
  }
  ApiStatus status;
  status.code = code && *code >= 0 && *code < 1000 ? static_cast<int>(*code) : 0;
  status.reason = StringAt(body, {"reason"}).value_or("");
  status.message = StringAt(body, {"message"}).value_or("");
  return status;
}

}  // namespace sidecar::kube
