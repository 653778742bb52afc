#include "fakes/kube_api/control_api.h"

#include <stdexcept>
#include <vector>

#include "fakes/kube_api/http_replies.h"
#include "fakes/kube_api/object_fields.h"
#include "fakes/kube_api/pod_mutations.h"

namespace sidecar::testing::kubefake {
namespace {

using web::http::http_request;
using web::http::methods;
using web::http::status_codes;
using web::json::value;

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> segments;
  for (const std::string& segment : web::uri::split_path(path)) {
    segments.push_back(web::uri::decode(segment));
  }
  return segments;
}

value ParseBody(const std::string& body) {
  if (body.empty()) return value::object();
  try {
    value parsed = value::parse(body);
    if (parsed.is_object()) return parsed;
  } catch (const std::exception&) {
  }
  throw ApiError::BadRequest("the control request body is not a JSON object");
}

std::string StringOr(const value& body, const std::string& key, const std::string& fallback) {
  const std::string found = StringField(body, {key});
  return found.empty() ? fallback : found;
}

int64_t IntegerOr(const value& body, const std::string& key, int64_t fallback) {
  const value* field = FindField(body, {key});
  return field != nullptr && field->is_integer() ? field->as_number().to_int64() : fallback;
}

bool BoolOr(const value& body, const std::string& key, bool fallback) {
  const value* field = FindField(body, {key});
  return field != nullptr && field->is_boolean() ? field->as_bool() : fallback;
}

// The container a pod-level control request is about: the body's, or the pod's first one.
std::string ContainerOf(const value& body, const value& pod) {
  const std::string named = StringField(body, {"container"});
  if (!named.empty()) return named;
  const value* statuses = FindField(pod, {"status", "containerStatuses"});
  if (statuses != nullptr && statuses->is_array() && statuses->size() > 0) {
    return StringField(statuses->at(0), {"name"});
  }
  return "";
}

value RecordJson(const RequestRecord& record) {
  value json = value::object();
  json["method"] = value::string(record.method);
  json["path"] = value::string(record.path);
  json["query"] = value::string(record.query);
  json["verb"] = value::string(record.verb);
  json["resource"] = value::string(record.resource);
  json["namespace"] = value::string(record.namespace_name);
  json["name"] = value::string(record.name);
  json["userAgent"] = value::string(record.user_agent);
  json["injectedStatus"] = value::number(record.injected_status);
  return json;
}

value CountersJson(const FakeKubeApiCounters& counters) {
  value json = value::object();
  json["requests"] = value::number(counters.requests);
  json["requestsByVerb"] = value::object();
  for (const auto& [verb, count] : counters.requests_by_verb) {
    json["requestsByVerb"][verb] = value::number(count);
  }
  json["injectedFailures"] = value::number(counters.injected_failures);
  json["resourceVersion"] = value::string(std::to_string(counters.resource_version));
  json["watchesOpen"] = value::number(counters.watches_open);
  json["watchesOpened"] = value::number(counters.watches_opened);
  json["watchStreamsCut"] = value::number(counters.watch_streams_cut);
  json["watchEventsSent"] = value::number(counters.watch_events_sent);
  json["bookmarksSent"] = value::number(counters.bookmarks_sent);
  json["bookmarkRounds"] = value::number(counters.bookmark_rounds);
  json["watchLinesHeld"] = value::number(counters.watch_lines_held);
  return json;
}

// A pod mutation named by the last path segment.
value MutatePodByAction(FakeKubeApiServer& server, const std::string& ns, const std::string& name,
                        const std::string& action, const value& body) {
  return server.MutatePod(ns, name, [&](value& pod) {
    if (action == "restart") {
      RestartContainer(pod, ContainerOf(body, pod), StringOr(body, "reason", "OOMKilled"),
                       static_cast<int>(IntegerOr(body, "exitCode", 137)));
    } else if (action == "terminate") {
      TerminateContainer(pod, ContainerOf(body, pod), StringOr(body, "reason", "Error"),
                         static_cast<int>(IntegerOr(body, "exitCode", 1)));
    } else {
      const std::string message = StringField(body, {"message"});
      message.empty() ? EvictPod(pod) : EvictPod(pod, message);
    }
  });
}

void Serve(FakeKubeApiServer& server, const http_request& request, const value& body) {
  const std::vector<std::string> path = Segments(request.relative_uri().path());
  const std::string& method = request.method();
  const size_t n = path.size();  // path[0] == "fake"
  const std::string route = n > 1 ? path[1] : "";

  if (route == "counters" && n == 2 && method == methods::GET) {
    ReplyJson(request, status_codes::OK, CountersJson(server.Counters()));
  } else if (route == "requests" && n == 2 && method == methods::GET) {
    value records = value::array();
    for (const RequestRecord& record : server.RequestLog()) {
      records[records.size()] = RecordJson(record);
    }
    ReplyJson(request, status_codes::OK, records);
  } else if (route == "requests" && n == 2 && method == methods::DEL) {
    server.ClearRequestLog();
    ReplyJson(request, status_codes::OK, value::object());
  } else if (route == "pods" && n == 2 && method == methods::POST) {
    ReplyJson(request, status_codes::Created, server.CreatePod(body));
  } else if (route == "pods" && n == 2 && method == methods::PUT) {
    ReplyJson(request, status_codes::OK, server.ReplacePod(body));
  } else if (route == "pipeline-pods" && n == 2 && method == methods::POST) {
    std::map<std::string, std::string> labels;
    if (const value* given = FindField(body, {"labels"}); given != nullptr && given->is_object()) {
      for (const auto& [key, label] : given->as_object()) {
        if (label.is_string()) labels[key] = label.as_string();
      }
    }
    PipelinePodOptions options;
    options.container = StringOr(body, "container", options.container);
    options.image = StringOr(body, "image", options.image);
    options.node_name = StringOr(body, "nodeName", options.node_name);
    const value pod =
        MakePipelinePod(StringOr(body, "namespace", "default"), StringField(body, {"name"}), labels,
                        StringOr(body, "podIP", "10.244.0.10"), options);
    ReplyJson(request, status_codes::Created, server.CreatePod(pod));
  } else if (route == "pods" && n == 4 && method == methods::GET) {
    const auto pod = server.GetPod(path[2], path[3]);
    if (!pod) throw ApiError::NotFound("pods", path[3]);
    ReplyJson(request, status_codes::OK, *pod);
  } else if (route == "pods" && n == 4 && method == methods::DEL) {
    ReplyJson(request, status_codes::OK, server.DeletePod(path[2], path[3]));
  } else if (route == "pods" && n == 5 && method == methods::POST &&
             (path[4] == "restart" || path[4] == "terminate" || path[4] == "evict")) {
    ReplyJson(request, status_codes::OK,
              MutatePodByAction(server, path[2], path[3], path[4], body));
  } else if (route == "compact" && n == 2 && method == methods::POST) {
    server.Compact();
    value answer = value::object();
    answer["resourceVersion"] = value::string(std::to_string(server.CurrentResourceVersion()));
    ReplyJson(request, status_codes::OK, answer);
  } else if (route == "faults" && n == 3 && path[2] == "fail" && method == methods::POST) {
    server.FailRequests(static_cast<int>(IntegerOr(body, "status", 500)),
                        static_cast<int>(IntegerOr(body, "count", -1)),
                        std::chrono::milliseconds(IntegerOr(body, "durationMs", 0)),
                        static_cast<int>(IntegerOr(body, "retryAfterSeconds", 0)),
                        StringField(body, {"verb"}));
    ReplyJson(request, status_codes::OK, value::object());
  } else if (route == "faults" && n == 2 && method == methods::DEL) {
    server.ClearFaults();
    server.StallWatches(false);
    ReplyJson(request, status_codes::OK, value::object());
  } else if (route == "watches" && n == 3 && path[2] == "stall" && method == methods::POST) {
    server.StallWatches(BoolOr(body, "stalled", true));
    ReplyJson(request, status_codes::OK, value::object());
  } else if (route == "watches" && n == 3 && path[2] == "drop" && method == methods::POST) {
    server.DropWatchStreams(BoolOr(body, "midEvent", false));
    ReplyJson(request, status_codes::OK, value::object());
  } else if (route == "watches" && n == 3 && path[2] == "bookmark-interval" &&
             method == methods::POST) {
    server.SetBookmarkInterval(std::chrono::milliseconds(IntegerOr(body, "ms", 1000)));
    ReplyJson(request, status_codes::OK, value::object());
  } else {
    throw ApiError(404, "NotFound",
                   "no control route " + method + " " + request.relative_uri().path());
  }
}

}  // namespace

bool IsControlPath(const std::string& path) {
  return path == "/fake" || path.rfind("/fake/", 0) == 0;
}

void ServeControlRequest(FakeKubeApiServer& server, const http_request& request) {
  http_request reader = request;  // a handle to the same request; reading needs a non-const one
  reader.extract_utf8string(true).then([&server, request](pplx::task<std::string> body) {
    try {
      Serve(server, request, ParseBody(body.get()));
    } catch (const ApiError& error) {
      ReplyError(request, error);
    } catch (const std::invalid_argument& error) {
      ReplyError(request, ApiError::BadRequest(error.what()));
    } catch (const std::exception& error) {
      ReplyError(request, ApiError(500, "InternalError", error.what()));
    }
  });
}

}  // namespace sidecar::testing::kubefake
