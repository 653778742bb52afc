// The /fake/ control API: the test-side calls of FakeKubeApiServer over HTTP, for scripts,
// benchmarks and demos driving the fake-kube-api executable. README.md lists the routes.
//
// Safe from any thread; request bodies are read asynchronously.
#pragma once

#include <cpprest/http_msg.h>

#include "fakes/kube_api/fake_kube_api.h"

namespace sidecar::testing::kubefake {

// True for paths the control API serves ("/fake/...").
bool IsControlPath(const std::string& path);

// Answers a /fake/ request. `server` must outlive the answer.
void ServeControlRequest(FakeKubeApiServer& server, const web::http::http_request& request);

}  // namespace sidecar::testing::kubefake
