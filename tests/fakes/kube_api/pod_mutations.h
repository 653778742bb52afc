// Pods as the kubelet and the controllers write them, for tests that play the cluster's part:
// building a StatefulSet pod, restarting or terminating one of its containers, evicting it.
//
// Pure functions over pod JSON; the mutations change the pod in place and are meant to run
// inside FakeKubeApiServer::MutatePod. They throw std::invalid_argument (leaving the pod as it
// was) when the pod has no status for the named container. Safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <map>
#include <string>

namespace sidecar::testing {

struct PipelinePodOptions {
  std::string container = "pipeline";
  std::string image = "ghcr.io/feldera/pipeline-manager:latest";
  int container_port = 8080;
  std::string node_name = "kind-control-plane";
  std::string host_ip = "172.19.0.2";
};

// A running, ready pod of a StatefulSet, shaped like the fixture pod-statefulset-web-0.json:
// the StatefulSet is `name` without its "-<ordinal>" suffix; the pod has its ownerReference,
// the StatefulSet labels (pod-name, pod-index, controller-revision-hash) on top of `labels`,
// one running container with a containerd:// ID, five True conditions, podIP and podIPs.
// uid, resourceVersion and creationTimestamp are left for the server to set.
web::json::value MakePipelinePod(const std::string& namespace_name, const std::string& name,
                                 const std::map<std::string, std::string>& labels,
                                 const std::string& pod_ip, const PipelinePodOptions& options = {});

// The container's process died and the kubelet started it again: restartCount + 1,
// lastState.terminated {reason, exitCode, startedAt, finishedAt, containerID of the old process},
// a new containerID, state.running since now, ready.
void RestartContainer(web::json::value& pod, const std::string& container,
                      const std::string& reason = "OOMKilled", int exit_code = 137);

// The container's process ended and stays ended: state.terminated {reason, exitCode, startedAt,
// finishedAt, containerID}, not ready, and the pod's Ready and ContainersReady conditions False.
void TerminateContainer(web::json::value& pod, const std::string& container,
                        const std::string& reason, int exit_code);

// The kubelet evicted the pod under node pressure: phase Failed, reason Evicted, `message`,
// every container terminated (exit code 137), Ready and ContainersReady False, and a
// DisruptionTarget condition (reason TerminationByKubelet).
void EvictPod(web::json::value& pod, const std::string& message =
                                         "The node was low on resource: memory. Threshold "
                                         "quantity: 100Mi, available: 92160Ki. ");

}  // namespace sidecar::testing
