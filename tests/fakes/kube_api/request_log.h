// RequestLog: every API request the fake received, as tests inspect them, and running counts.
//
// Keeps the newest `max_records` records (the counts cover every request). Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sidecar::testing::kubefake {

struct RequestRecord {
  std::string method;  // "GET"
  std::string path;    // "/api/v1/namespaces/ns/pods"
  std::string query;   // the raw query string, still percent-encoded
  std::string verb;    // as the API server derives it: get, list, watch, create, update, ...
  std::string resource;
  std::string namespace_name;
  std::string name;
  std::string user_agent;
  int injected_status = 0;  // the status of an injected failure, 0 when served normally
};

struct RequestCounts {
  int64_t total = 0;
  std::map<std::string, int64_t> by_verb;
  int64_t injected_failures = 0;
};

class RequestLog {
 public:
  explicit RequestLog(size_t max_records = 100000) : max_records_(max_records) {}

  void Add(RequestRecord record);
  std::vector<RequestRecord> Records() const;
  RequestCounts Counts() const;
  // Forgets the records and resets the counts.
  void Clear();

 private:
  mutable std::mutex mutex_;
  size_t max_records_;
  std::deque<RequestRecord> records_;
  RequestCounts counts_;
};

}  // namespace sidecar::testing::kubefake
