// Test files: the Kubernetes objects and certificates in tests/kube/testdata, reshaped pipeline
// pods, and temporary directories.
#pragma once

#include <cpprest/json.h>

#include <string>

namespace sidecar::kube::testing {

// A UUID used as the pipeline id of the pods the tests make.
inline constexpr char kPipelineId[] = "0196b120-6203-7b90-b6bd-16890df15e28";

// Parses testdata/<file> (fails the test if it cannot).
web::json::value LoadJson(const std::string& file);
// The raw bytes of testdata/<file>.
std::string LoadText(const std::string& file);

// `items[index]` of the PodList in testdata/<file>.
web::json::value LoadListItem(const std::string& file, size_t index);

// A real pod renamed the way Feldera's runner names pipeline pods
// (`pipeline-<kPipelineId>-<ordinal>`), with its container `container` renamed to `pipeline` in
// both spec and status.
web::json::value AsPipelinePod(web::json::value pod, const std::string& container, int ordinal = 0);

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `contents` to path()/name (replacing it) and returns the file's path.
  std::string Write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

}  // namespace sidecar::kube::testing
