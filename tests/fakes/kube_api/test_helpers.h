// Helpers shared by the fake API server's HTTP tests.
#pragma once

#include <cpprest/json.h>
#include <cpprest/uri.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "support/http.h"
#include "support/process.h"

namespace sidecar::testing {

inline const std::map<std::string, std::string> kJsonBody = {{"Content-Type", "application/json"}};

// Percent-encodes a query parameter value.
inline std::string Encoded(const std::string& value) {
  return web::uri::encode_data_string(value);
}

// A running pipeline pod with `labels`, in `phase`, on `node`.
inline web::json::value TestPod(const std::string& ns, const std::string& name,
                                const std::map<std::string, std::string>& labels = {},
                                const std::string& phase = "Running",
                                const std::string& node = "node-1") {
  PipelinePodOptions options;
  options.node_name = node;
  web::json::value pod = MakePipelinePod(ns, name, labels, "10.244.0.7", options);
  pod["status"]["phase"] = web::json::value::string(phase);
  return pod;
}

inline std::string ResourceVersionOf(const web::json::value& object) {
  return object.at("metadata").at("resourceVersion").as_string();
}

inline std::vector<std::string> ItemNames(const web::json::value& list) {
  std::vector<std::string> names;
  for (const auto& item : list.at("items").as_array()) {
    names.push_back(item.at("metadata").at("name").as_string());
  }
  return names;
}

// Checks that `result` is a Status failure with HTTP code `code` and `reason`.
inline void ExpectStatus(const HttpResult& result, int code, const std::string& reason) {
  EXPECT_EQ(result.status, code) << result.body;
  const web::json::value status = result.Json();
  ASSERT_TRUE(status.is_object()) << result.body;
  EXPECT_EQ(status.at("kind").as_string(), "Status");
  EXPECT_EQ(status.at("apiVersion").as_string(), "v1");
  EXPECT_EQ(status.at("status").as_string(), "Failure");
  EXPECT_EQ(status.at("code").as_integer(), code);
  EXPECT_TRUE(status.has_string_field("message"));
  if (!reason.empty()) {
    EXPECT_EQ(status.at("reason").as_string(), reason) << result.body;
  }
}

// A FakeKubeApiServer started on a free port for each test.
class FakeKubeApiTest : public ::testing::Test {
 protected:
  FakeKubeApiTest() : server_(FreePort()) { server_.Start(); }

  std::string Url(const std::string& path_and_query) const {
    return server_.Url() + path_and_query;
  }

  FakeKubeApiServer server_;
};

}  // namespace sidecar::testing
