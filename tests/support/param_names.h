// Names for the cases of value-parameterized tests (the last argument of
// INSTANTIATE_TEST_SUITE_P). Without one, ctest names a case by its parameter's raw bytes, pointers
// included, so the names change from build to build and say nothing.
//
// Not in sidecar::testing: in a unity build this header would then be seen by test files that
// name GoogleTest's namespace as `testing::` from inside namespace sidecar.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace sidecar::test_names {

// "<index>_<description>", with every run of characters other than letters and digits in the
// description turned into one '_', and at most 48 of its characters: unique, stable, and a valid
// GoogleTest name.
inline std::string ParamName(size_t index, std::string_view description) {
  std::string name = std::to_string(index);
  bool gap = true;
  for (const char c : description) {
    if (name.size() >= 48) break;
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      if (gap) name += '_';
      name += c;
      gap = false;
    } else {
      gap = true;
    }
  }
  return name;
}

}  // namespace sidecar::test_names
