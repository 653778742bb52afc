#include "fakes/kube_api/request_log.h"

namespace sidecar::testing::kubefake {

void RequestLog::Add(RequestRecord record) {
  std::lock_guard lock(mutex_);
  ++counts_.total;
  ++counts_.by_verb[record.verb];
  if (record.injected_status != 0) ++counts_.injected_failures;
  records_.push_back(std::move(record));
  if (records_.size() > max_records_) records_.pop_front();
}

std::vector<RequestRecord> RequestLog::Records() const {
  std::lock_guard lock(mutex_);
  return {records_.begin(), records_.end()};
}

RequestCounts RequestLog::Counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void RequestLog::Clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
  counts_ = {};
}

}  // namespace sidecar::testing::kubefake
