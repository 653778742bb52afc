#include "feldera/pod_observation.h"

#include <charconv>
#include <limits>

#include "kube/json_fields.h"

namespace sidecar {
namespace {

using kube::ArrayAt;
using kube::BoolAt;
using kube::FindAt;
using kube::IntegerAt;
using kube::ObjectName;
using kube::ObjectNamespace;
using kube::ObjectUid;
using kube::StringAt;

// Kubernetes object names are DNS subdomains of at most 253 characters. Longer input is not a
// pod name, and is kept away from std::regex, whose matcher recurses per character.
constexpr size_t kMaxPodNameLength = 253;

struct PipelinePodName {
  std::string pipeline_id;
  int ordinal = 0;
};

std::optional<PipelinePodName> ParsePodName(const std::string& name, const std::regex& pattern) {
  if (name.size() > kMaxPodNameLength) {
    return std::nullopt;
  }
  std::smatch match;
  try {
    if (!std::regex_match(name, match, pattern) || match.size() != 3) {
      return std::nullopt;
    }
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
  PipelinePodName parsed{match[1].str(), 0};
  const std::string ordinal = match[2].str();
  auto [end, error] =
      std::from_chars(ordinal.data(), ordinal.data() + ordinal.size(), parsed.ordinal);
  if (error != std::errc() || end != ordinal.data() + ordinal.size() || parsed.ordinal < 0) {
    return std::nullopt;
  }
  return parsed;
}

// The container spec or status entry named `name`; the first entry when `name` is empty.
const web::json::value* FindContainer(const web::json::array* entries, const std::string& name) {
  if (entries == nullptr) {
    return nullptr;
  }
  for (const web::json::value& entry : *entries) {
    if (name.empty() || StringAt(entry, {"name"}) == name) {
      return entry.is_object() ? &entry : nullptr;
    }
  }
  return nullptr;
}

// The name of the container the options select, as the pod's spec lists it.
std::string SelectedContainerName(const web::json::value& pod, const std::string& wanted) {
  if (!wanted.empty()) {
    return wanted;
  }
  const web::json::value* first = FindContainer(ArrayAt(pod, {"spec", "containers"}), "");
  return first == nullptr ? "" : StringAt(*first, {"name"}).value_or("");
}

int ResolvePort(const web::json::value* container_spec, const PodObservationOptions& options) {
  const web::json::array* ports =
      container_spec == nullptr ? nullptr : ArrayAt(*container_spec, {"ports"});
  if (ports != nullptr) {
    for (const web::json::value& port : *ports) {
      if (StringAt(port, {"name"}) != options.port_name) {
        continue;
      }
      std::optional<int64_t> number = IntegerAt(port, {"containerPort"});
      if (number && *number >= 1 && *number <= 65535) {
        return static_cast<int>(*number);
      }
    }
  }
  return options.port;
}

TerminatedState ReadTerminated(const web::json::value& terminated) {
  TerminatedState state;
  state.reason = StringAt(terminated, {"reason"}).value_or("");
  state.exit_code = IntegerAt(terminated, {"exitCode"});
  state.started_at = StringAt(terminated, {"startedAt"}).value_or("");
  state.finished_at = StringAt(terminated, {"finishedAt"}).value_or("");
  state.container_id = StringAt(terminated, {"containerID"}).value_or("");
  return state;
}

// A container's `state` holds one of waiting, running or terminated.
ContainerState ReadState(const web::json::value& status) {
  if (const web::json::value* waiting = FindAt(status, {"state", "waiting"});
      waiting != nullptr && waiting->is_object()) {
    return WaitingState{StringAt(*waiting, {"reason"}).value_or("")};
  }
  if (const web::json::value* running = FindAt(status, {"state", "running"});
      running != nullptr && running->is_object()) {
    return RunningState{StringAt(*running, {"startedAt"}).value_or("")};
  }
  if (const web::json::value* terminated = FindAt(status, {"state", "terminated"});
      terminated != nullptr && terminated->is_object()) {
    return ReadTerminated(*terminated);
  }
  return std::monostate{};
}

std::optional<ContainerObservation> ReadContainerStatus(const web::json::value& status) {
  std::optional<int64_t> restart_count = IntegerAt(status, {"restartCount"});
  if (!restart_count || *restart_count < 0) {
    return std::nullopt;
  }
  ContainerObservation container;
  container.name = StringAt(status, {"name"}).value_or("");
  container.container_id = StringAt(status, {"containerID"}).value_or("");
  container.restart_count = *restart_count;
  container.ready = BoolAt(status, {"ready"}).value_or(false);
  container.state = ReadState(status);
  if (const web::json::value* last = FindAt(status, {"lastState", "terminated"});
      last != nullptr && last->is_object()) {
    container.last_terminated = ReadTerminated(*last);
  }
  return container;
}

}  // namespace

Result<PodObservationOptions> CompilePodRules(const PodRules& rules) {
  PodObservationOptions options;
  static_cast<PodRules&>(options) = rules;
  if (!rules.pod_name_pattern.empty()) {
    auto pattern = CompilePodNamePattern(rules.pod_name_pattern);
    if (!pattern.ok()) return Result<PodObservationOptions>::Error(pattern.error());
    options.name_regex = std::move(pattern).value();
  }
  return Result<PodObservationOptions>::Ok(std::move(options));
}

Result<std::regex> CompilePodNamePattern(const std::string& pattern) {
  try {
    std::regex compiled(pattern);
    if (compiled.mark_count() != 2) {
      return Result<std::regex>::Error("pod name pattern '" + pattern +
                                       "' must have exactly two capture groups (pipeline id, "
                                       "ordinal), it has " +
                                       std::to_string(compiled.mark_count()));
    }
    return Result<std::regex>::Ok(std::move(compiled));
  } catch (const std::regex_error& error) {
    return Result<std::regex>::Error("pod name pattern '" + pattern +
                                     "' is not a valid regular expression: " + error.what());
  }
}

std::optional<web::json::value> ProjectPod(const web::json::value& pod,
                                           const PodObservationOptions& options) {
  std::optional<std::string> name = StringAt(pod, {"metadata", "name"});
  if (!name || !ParsePodName(*name, options.name_regex)) return std::nullopt;

  web::json::value projected = web::json::value::object();
  // Copies the value at `path` in the pod, when there is one, to the same path in `projected`.
  auto keep = [&](std::initializer_list<std::string_view> path) {
    const web::json::value* found = FindAt(pod, path);
    if (found == nullptr) return;
    web::json::value* to = &projected;
    for (std::string_view key : path) to = &(*to)[std::string(key)];
    *to = *found;
  };
  keep({"metadata", "name"});
  keep({"metadata", "namespace"});
  keep({"metadata", "uid"});
  keep({"metadata", "resourceVersion"});
  keep({"metadata", "deletionTimestamp"});
  keep({"metadata", "labels", options.name_label});
  keep({"status", "phase"});
  keep({"status", "reason"});
  keep({"status", "message"});
  keep({"status", "podIP"});

  // Of the containers, only the selected one: its name and ports, and its status entry whole.
  const std::string container_name = SelectedContainerName(pod, options.container);
  if (const web::json::value* spec =
          container_name.empty()
              ? nullptr
              : FindContainer(ArrayAt(pod, {"spec", "containers"}), container_name)) {
    web::json::value container = web::json::value::object();
    for (const char* field : {"name", "ports"}) {
      if (spec->has_field(field)) container[field] = spec->at(field);
    }
    projected["spec"]["containers"] = web::json::value::array({container});
  }
  if (const web::json::value* status =
          container_name.empty()
              ? nullptr
              : FindContainer(ArrayAt(pod, {"status", "containerStatuses"}), container_name)) {
    projected["status"]["containerStatuses"] = web::json::value::array({*status});
  }
  return projected;
}

std::optional<PodObservation> ObservePod(const web::json::value& pod,
                                         const PodObservationOptions& options) {
  std::optional<std::string> name = StringAt(pod, {"metadata", "name"});
  std::optional<std::string> uid = StringAt(pod, {"metadata", "uid"});
  // Every object the API server returns has a uid, and incarnations are told apart by it: a pod
  // without one is not something to track.
  if (!name || !uid || uid->empty()) {
    return std::nullopt;
  }
  std::optional<PipelinePodName> pipeline = ParsePodName(*name, options.name_regex);
  if (!pipeline) {
    return std::nullopt;
  }

  PodObservation observation;
  observation.namespace_name = StringAt(pod, {"metadata", "namespace"}).value_or("");
  observation.pod_name = *name;
  observation.uid = *uid;
  observation.resource_version = StringAt(pod, {"metadata", "resourceVersion"}).value_or("");
  observation.phase = StringAt(pod, {"status", "phase"}).value_or("");
  observation.reason = StringAt(pod, {"status", "reason"}).value_or("");
  observation.message = StringAt(pod, {"status", "message"}).value_or("");
  const web::json::value* deletion = FindAt(pod, {"metadata", "deletionTimestamp"});
  observation.deleting = deletion != nullptr && !deletion->is_null();
  observation.pod_ip = StringAt(pod, {"status", "podIP"}).value_or("");
  observation.pipeline_id = std::move(pipeline->pipeline_id);
  observation.ordinal = pipeline->ordinal;
  observation.pipeline_name =
      StringAt(pod, {"metadata", "labels", options.name_label}).value_or("");

  const std::string container_name = SelectedContainerName(pod, options.container);
  const web::json::value* spec =
      container_name.empty() ? nullptr
                             : FindContainer(ArrayAt(pod, {"spec", "containers"}), container_name);
  observation.port = ResolvePort(spec, options);

  const web::json::value* status =
      container_name.empty()
          ? nullptr
          : FindContainer(ArrayAt(pod, {"status", "containerStatuses"}), container_name);
  if (status != nullptr) {
    observation.container = ReadContainerStatus(*status);
    if (!observation.container) {
      return std::nullopt;
    }
  }
  return observation;
}

}  // namespace sidecar
