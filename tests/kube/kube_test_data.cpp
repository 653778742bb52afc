#include "kube_test_data.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sidecar::kube::testing {

std::string LoadText(const std::string& file) {
  std::ifstream in(std::string(KUBE_TESTDATA_DIR) + "/" + file, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open testdata/" << file;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

web::json::value LoadJson(const std::string& file) {
  std::error_code error;
  web::json::value parsed = web::json::value::parse(LoadText(file), error);
  EXPECT_FALSE(error) << "testdata/" << file << ": " << error.message();
  return parsed;
}

web::json::value LoadListItem(const std::string& file, size_t index) {
  return LoadJson(file).at("items").at(index);
}

namespace {

void RenameContainer(web::json::value& pod, const std::string& section, const std::string& list,
                     const std::string& from) {
  if (!pod.has_field(section) || !pod[section].has_field(list) || !pod[section][list].is_array()) {
    return;
  }
  for (auto& container : pod[section][list].as_array()) {
    if (container.has_string_field("name") && container["name"].as_string() == from) {
      container["name"] = web::json::value::string("pipeline");
    }
  }
}

}  // namespace

web::json::value AsPipelinePod(web::json::value pod, const std::string& container, int ordinal) {
  pod["metadata"]["name"] = web::json::value::string("pipeline-" + std::string(kPipelineId) + "-" +
                                                     std::to_string(ordinal));
  RenameContainer(pod, "spec", "containers", container);
  RenameContainer(pod, "status", "containerStatuses", container);
  return pod;
}

TempDir::TempDir() {
  std::string pattern = "/tmp/kube-test-XXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(const std::string& name, const std::string& contents) const {
  const std::string file = path_ + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << contents;
  EXPECT_TRUE(out.good()) << "cannot write " << file;
  return file;
}

}  // namespace sidecar::kube::testing
