#include "fakes/kube_api/pod_mutations.h"

#include <cctype>
#include <stdexcept>

#include "fakes/kube_api/object_fields.h"
#include "fakes/kube_api/random_ids.h"

namespace sidecar::testing {
namespace {

using kubefake::FindField;
using kubefake::ObjectMember;
using kubefake::RandomHex;
using kubefake::Rfc3339;
using web::json::value;

value String(const std::string& text) {
  return value::string(text);
}

std::string StatefulSetName(const std::string& pod_name) {
  const size_t dash = pod_name.find_last_of('-');
  if (dash == std::string::npos || dash + 1 == pod_name.size()) return pod_name;
  for (size_t i = dash + 1; i < pod_name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(pod_name[i]))) return pod_name;
  }
  return pod_name.substr(0, dash);
}

std::string Ordinal(const std::string& pod_name) {
  const std::string set = StatefulSetName(pod_name);
  return set.size() < pod_name.size() ? pod_name.substr(set.size() + 1) : "0";
}

std::string NewContainerId() {
  return "containerd://" + RandomHex(64);
}

value Condition(const std::string& type, const std::string& status, const std::string& time) {
  value condition = value::object();
  condition["type"] = String(type);
  condition["status"] = String(status);
  condition["lastProbeTime"] = value::null();
  condition["lastTransitionTime"] = String(time);
  return condition;
}

// Sets (or adds) the pod condition `type`; the transition time moves only when status changes.
void SetCondition(value& pod, const std::string& type, const std::string& status,
                  const std::string& reason = "", const std::string& message = "") {
  value& pod_status = ObjectMember(pod, "status");
  if (!pod_status["conditions"].is_array()) pod_status["conditions"] = value::array();
  value& conditions = pod_status["conditions"];
  const std::string now = Rfc3339();
  value* slot = nullptr;
  for (size_t i = 0; i < conditions.size(); ++i) {
    if (kubefake::StringField(conditions[i], {"type"}) == type) slot = &conditions[i];
  }
  if (slot == nullptr) {
    conditions[conditions.size()] = Condition(type, status, now);
    slot = &conditions[conditions.size() - 1];
  }
  if (kubefake::StringField(*slot, {"status"}) != status) {
    (*slot)["lastTransitionTime"] = String(now);
  }
  (*slot)["status"] = String(status);
  if (!reason.empty()) (*slot)["reason"] = String(reason);
  if (!message.empty()) (*slot)["message"] = String(message);
}

value& ContainerStatus(value& pod, const std::string& container) {
  if (pod.has_field("status") && pod.at("status").has_field("containerStatuses")) {
    value& statuses = pod.at("status").at("containerStatuses");
    for (size_t i = 0; statuses.is_array() && i < statuses.size(); ++i) {
      if (kubefake::StringField(statuses[i], {"name"}) == container) return statuses[i];
    }
  }
  throw std::invalid_argument("pod has no status for container \"" + container + "\"");
}

// When the container's current process started, as its state records it (null if unknown).
value ProcessStart(const value& container_status) {
  for (const char* state : {"running", "terminated"}) {
    const value* started = FindField(container_status, {"state", state, "startedAt"});
    if (started != nullptr) return *started;
  }
  return value::null();
}

value Terminated(const value& container_status, const std::string& reason, int exit_code,
                 const std::string& finished_at) {
  value terminated = value::object();
  terminated["containerID"] = String(kubefake::StringField(container_status, {"containerID"}));
  terminated["exitCode"] = value::number(exit_code);
  terminated["reason"] = String(reason);
  terminated["startedAt"] = ProcessStart(container_status);
  terminated["finishedAt"] = String(finished_at);
  return terminated;
}

}  // namespace

value MakePipelinePod(const std::string& namespace_name, const std::string& name,
                      const std::map<std::string, std::string>& labels, const std::string& pod_ip,
                      const PipelinePodOptions& options) {
  const std::string set = StatefulSetName(name);
  const std::string now = Rfc3339();
  value pod = value::object();
  pod["apiVersion"] = String("v1");
  pod["kind"] = String("Pod");

  value& metadata = pod["metadata"] = value::object();
  metadata["name"] = String(name);
  metadata["namespace"] = String(namespace_name);
  metadata["generateName"] = String(set + "-");
  value& pod_labels = metadata["labels"] = value::object();
  for (const auto& [key, label] : labels) pod_labels[key] = String(label);
  pod_labels["apps.kubernetes.io/pod-index"] = String(Ordinal(name));
  pod_labels["controller-revision-hash"] = String(set + "-7757fc6447");
  pod_labels["statefulset.kubernetes.io/pod-name"] = String(name);
  value owner = value::object();
  owner["apiVersion"] = String("apps/v1");
  owner["kind"] = String("StatefulSet");
  owner["name"] = String(set);
  owner["uid"] = String(kubefake::NewUid());
  owner["controller"] = value::boolean(true);
  owner["blockOwnerDeletion"] = value::boolean(true);
  metadata["ownerReferences"] = value::array({owner});

  value port = value::object();
  port["containerPort"] = value::number(options.container_port);
  port["name"] = String("http");
  port["protocol"] = String("TCP");
  value container = value::object();
  container["name"] = String(options.container);
  container["image"] = String(options.image);
  container["imagePullPolicy"] = String("IfNotPresent");
  container["ports"] = value::array({port});
  container["resources"] = value::object();
  container["terminationMessagePath"] = String("/dev/termination-log");
  container["terminationMessagePolicy"] = String("File");
  value& spec = pod["spec"] = value::object();
  spec["containers"] = value::array({container});
  spec["dnsPolicy"] = String("ClusterFirst");
  spec["enableServiceLinks"] = value::boolean(true);
  spec["hostname"] = String(name);
  spec["nodeName"] = String(options.node_name);
  spec["preemptionPolicy"] = String("PreemptLowerPriority");
  spec["priority"] = value::number(0);
  spec["restartPolicy"] = String("Always");
  spec["schedulerName"] = String("default-scheduler");
  spec["securityContext"] = value::object();
  spec["serviceAccount"] = String("default");
  spec["serviceAccountName"] = String("default");
  spec["subdomain"] = String(set);
  spec["terminationGracePeriodSeconds"] = value::number(10);

  value running = value::object();
  running["running"] = value::object();
  running["running"]["startedAt"] = String(now);
  value container_status = value::object();
  container_status["containerID"] = String(NewContainerId());
  container_status["image"] = String(options.image);
  container_status["imageID"] = String(options.image + "@sha256:" + RandomHex(64));
  container_status["lastState"] = value::object();
  container_status["name"] = String(options.container);
  container_status["ready"] = value::boolean(true);
  container_status["restartCount"] = value::number(0);
  container_status["started"] = value::boolean(true);
  container_status["state"] = running;

  value& status = pod["status"] = value::object();
  status["conditions"] = value::array();
  for (const char* type :
       {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    status["conditions"][status["conditions"].size()] = Condition(type, "True", now);
  }
  status["containerStatuses"] = value::array({container_status});
  value host_ip = value::object();
  host_ip["ip"] = String(options.host_ip);
  status["hostIP"] = String(options.host_ip);
  status["hostIPs"] = value::array({host_ip});
  status["phase"] = String("Running");
  value ip = value::object();
  ip["ip"] = String(pod_ip);
  status["podIP"] = String(pod_ip);
  status["podIPs"] = value::array({ip});
  status["qosClass"] = String("BestEffort");
  status["startTime"] = String(now);
  return pod;
}

void RestartContainer(value& pod, const std::string& container, const std::string& reason,
                      int exit_code) {
  value& status = ContainerStatus(pod, container);
  const std::string now = Rfc3339();
  value last_state = value::object();
  last_state["terminated"] = Terminated(status, reason, exit_code, now);
  status["lastState"] = last_state;
  const value* count = FindField(status, {"restartCount"});
  const int64_t restarts =
      count != nullptr && count->is_integer() ? count->as_number().to_int64() : 0;
  status["restartCount"] = value::number(restarts + 1);
  status["containerID"] = String(NewContainerId());
  status["state"] = value::object();
  status["state"]["running"] = value::object();
  status["state"]["running"]["startedAt"] = String(now);
  status["ready"] = value::boolean(true);
  status["started"] = value::boolean(true);
}

void TerminateContainer(value& pod, const std::string& container, const std::string& reason,
                        int exit_code) {
  value& status = ContainerStatus(pod, container);
  value state = value::object();
  state["terminated"] = Terminated(status, reason, exit_code, Rfc3339());
  status["state"] = state;
  status["ready"] = value::boolean(false);
  status["started"] = value::boolean(false);
  SetCondition(pod, "Ready", "False", "ContainersNotReady",
               "containers with unready status: [" + container + "]");
  SetCondition(pod, "ContainersReady", "False", "ContainersNotReady",
               "containers with unready status: [" + container + "]");
}

void EvictPod(value& pod, const std::string& message) {
  value& status = ObjectMember(pod, "status");
  status["phase"] = String("Failed");
  status["reason"] = String("Evicted");
  status["message"] = String(message);
  const std::string now = Rfc3339();
  if (status.has_field("containerStatuses") && status.at("containerStatuses").is_array()) {
    value& statuses = status.at("containerStatuses");
    for (size_t i = 0; i < statuses.size(); ++i) {
      value& container_status = statuses[i];
      if (!container_status.is_object()) continue;
      value state = value::object();
      state["terminated"] = Terminated(container_status, "Error", 137, now);
      container_status["state"] = state;
      container_status["ready"] = value::boolean(false);
      container_status["started"] = value::boolean(false);
    }
  }
  SetCondition(pod, "DisruptionTarget", "True", "TerminationByKubelet", message);
  SetCondition(pod, "Ready", "False", "PodFailed");
  SetCondition(pod, "ContainersReady", "False", "PodFailed");
}

}  // namespace sidecar::testing
