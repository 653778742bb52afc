// The Kubernetes REST API over a Cluster: maps one resource request (get, list, watch, create,
// update, merge patch, delete of core/v1 pods and configmaps; get and list of namespaces) onto
// Cluster calls, and every failure onto a Status answer.
//
// As on the real server, a client cannot set a pod's status through the main resource: a pod
// created through the API starts with `status.phase: Pending`, and updates and patches keep the
// stored status.
//
// Safe from any thread. Never blocks the calling thread: request bodies are read
// asynchronously.
#pragma once

#include <cpprest/http_msg.h>

#include <memory>

#include "fakes/kube_api/cluster.h"
#include "fakes/kube_api/request_info.h"

namespace sidecar::testing::kubefake {

// Answers `request`, which `info` and `query` describe.
void ServeResourceRequest(const std::shared_ptr<Cluster>& cluster, const RequestInfo& info,
                          const QueryParams& query, const web::http::http_request& request);

}  // namespace sidecar::testing::kubefake
