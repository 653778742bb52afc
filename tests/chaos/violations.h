// Violations: every broken invariant the chaos test saw, each with the request, the answer and
// the ground truth it contradicts, for one report at the end.
//
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace sidecar::testing::chaos {

struct Violation {
  std::string invariant;
  std::string request;
  std::string answer;
  std::string truth;
};

class Violations {
 public:
  void Add(Violation violation);
  size_t size() const;
  // The first `limit` violations, one paragraph each, and how many more there were.
  std::string Report(size_t limit = 40) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Violation> seen_;
};

}  // namespace sidecar::testing::chaos
