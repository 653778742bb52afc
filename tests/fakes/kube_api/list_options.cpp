#include "fakes/kube_api/list_options.h"

#include <charconv>

namespace sidecar::testing::kubefake {
namespace {

std::optional<int64_t> ParseInt64(const std::string& text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string Param(const QueryParams& query, const std::string& key) {
  const auto it = query.find(key);
  return it == query.end() ? "" : it->second;
}

}  // namespace

Result<ListOptions> ParseListOptions(const RequestInfo& request, const QueryParams& query) {
  using Parsed = Result<ListOptions>;
  ListOptions options;
  options.filter.namespace_name = request.namespace_name;

  auto labels = ParseLabelSelector(Param(query, "labelSelector"));
  if (!labels.ok()) return Parsed::Error(labels.error());
  options.filter.labels = std::move(labels).value();

  auto fields = ParseFieldSelector(Param(query, "fieldSelector"), request.resource);
  if (!fields.ok()) return Parsed::Error(fields.error());
  options.filter.fields = std::move(fields).value();
  if (!request.name.empty()) {
    options.filter.fields.requirements.push_back({"metadata.name", false, request.name});
  }

  const std::string resource_version = Param(query, "resourceVersion");
  if (!resource_version.empty()) {
    options.resource_version = ParseInt64(resource_version);
    if (!options.resource_version || *options.resource_version < 0) {
      return Parsed::Error("invalid resource version: \"" + resource_version + "\"");
    }
  }
  options.resource_version_match = Param(query, "resourceVersionMatch");
  if (options.resource_version_match != "" && options.resource_version_match != "NotOlderThan" &&
      options.resource_version_match != "Exact") {
    return Parsed::Error("unsupported resourceVersionMatch: \"" + options.resource_version_match +
                         "\"");
  }
  if (!options.resource_version_match.empty() && !options.resource_version) {
    return Parsed::Error("resourceVersionMatch is forbidden unless resourceVersion is provided");
  }
  if (options.resource_version_match == "Exact" && options.resource_version == 0) {
    return Parsed::Error("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
  }

  if (const std::string limit = Param(query, "limit"); !limit.empty()) {
    const auto parsed = ParseInt64(limit);
    if (!parsed) return Parsed::Error("invalid limit: \"" + limit + "\"");
    if (*parsed > 0) options.limit = parsed;
  }
  options.continue_token = Param(query, "continue");
  if (!options.continue_token.empty() && options.resource_version &&
      *options.resource_version != 0) {
    return Parsed::Error("specifying resource version is not allowed when using continue");
  }

  options.allow_watch_bookmarks = IsTrue(Param(query, "allowWatchBookmarks"));
  if (query.contains("sendInitialEvents")) {
    options.send_initial_events = IsTrue(Param(query, "sendInitialEvents"));
  }
  if (const std::string timeout = Param(query, "timeoutSeconds"); !timeout.empty()) {
    options.timeout_seconds = ParseInt64(timeout);
    if (!options.timeout_seconds || *options.timeout_seconds < 0) {
      return Parsed::Error("invalid timeoutSeconds: \"" + timeout + "\"");
    }
  }
  return Parsed::Ok(std::move(options));
}

}  // namespace sidecar::testing::kubefake
