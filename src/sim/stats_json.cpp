#include "sim/stats_json.h"

#include <algorithm>
#include <string>
#include <vector>

namespace sidecar::sim {
namespace {

using web::json::value;

// A resident set that grows with the records held, for a plausible rss_bytes.
constexpr uint64_t kBaseRssBytes = 64ull << 20;
constexpr uint64_t kRssBytesPerRecord = 64;

// The table of a "table.connector" endpoint name.
std::string StreamOf(const std::string& endpoint_name) {
  return endpoint_name.substr(0, endpoint_name.find('.'));
}

value InputEndpointStatus(const EndpointSnapshot& endpoint) {
  value metrics = value::object();
  metrics["total_bytes"] = value::number(endpoint.total_bytes);
  metrics["total_records"] = value::number(endpoint.total_records);
  metrics["buffered_records"] = value::number(endpoint.total_records - endpoint.circuit_records);
  metrics["buffered_bytes"] = value::number(endpoint.total_bytes - endpoint.circuit_bytes);
  metrics["num_transport_errors"] = value::number(0);
  metrics["num_parse_errors"] = value::number(0);
  metrics["end_of_input"] = value::boolean(false);

  value config = value::object();
  config["stream"] = value::string(StreamOf(endpoint.name));

  value input = value::object();
  input["endpoint_name"] = value::string(endpoint.name);
  input["config"] = std::move(config);
  input["metrics"] = std::move(metrics);
  input["fatal_error"] = value::null();
  input["health"] = value::null();
  input["paused"] = value::boolean(false);
  input["barrier"] = value::boolean(false);
  input["completed_frontier"] = value::null();
  return input;
}

value TransactionInitiators() {
  value initiators = value::object();
  initiators["transaction_id"] = value::null();
  initiators["initiated_by_api"] = value::null();
  initiators["initiated_by_connectors"] = value::object();
  return initiators;
}

value GlobalMetrics(const PipelineSnapshot& snapshot, SimTime now) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const int64_t uptime_ms =
      std::max<int64_t>(0, duration_cast<milliseconds>(now - snapshot.start_time).count());
  const auto uptime = static_cast<uint64_t>(uptime_ms);

  value global = value::object();
  global["state"] = value::string("Running");
  global["bootstrap_in_progress"] = value::boolean(false);
  global["transaction_status"] = value::string("NoTransaction");
  global["transaction_id"] = value::number(0);
  global["transaction_msecs"] = value::null();
  global["transaction_records"] = value::null();
  global["commit_progress"] = value::null();
  global["transaction_initiators"] = TransactionInitiators();
  global["concurrent_bootstrap_phase"] = value::string("Inactive");
  global["concurrent_bootstrap_progress"] = value::null();
  global["rss_bytes"] =
      value::number(kBaseRssBytes + kRssBytesPerRecord * snapshot.total_input_records);
  global["memory_pressure"] = value::string("low");
  global["memory_pressure_epoch"] = value::number(0);
  global["cpu_msecs"] = value::number(uptime / 10);
  global["uptime_msecs"] = value::number(uptime);
  global["start_time"] = value::number(UnixSeconds(snapshot.start_time));
  global["incarnation_uuid"] = value::string(snapshot.incarnation.ToString());
  global["initial_start_time"] = value::number(UnixSeconds(snapshot.initial_start_time));
  global["storage_bytes"] = value::number(0);
  global["storage_mb_secs"] = value::number(0);
  global["runtime_elapsed_msecs"] = value::number(snapshot.total_initiated_steps);
  global["buffered_input_records"] =
      value::number(snapshot.total_input_records - snapshot.total_processed_records);
  global["buffered_input_bytes"] =
      value::number(snapshot.total_input_bytes - snapshot.total_processed_bytes);
  global["total_input_records"] = value::number(snapshot.total_input_records);
  global["total_input_bytes"] = value::number(snapshot.total_input_bytes);
  global["total_processed_records"] = value::number(snapshot.total_processed_records);
  global["total_processed_bytes"] = value::number(snapshot.total_processed_bytes);
  global["total_completed_records"] = value::number(snapshot.total_completed_records);
  global["output_stall_msecs"] = value::number(0);
  global["total_initiated_steps"] = value::number(snapshot.total_initiated_steps);
  global["total_completed_steps"] = value::number(snapshot.total_completed_steps);
  global["pipeline_complete"] = value::boolean(false);
  return global;
}

}  // namespace

int64_t UnixSeconds(SimTime time) {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

value StatsJson(const PipelineSnapshot& snapshot, SimTime now) {
  std::vector<const EndpointSnapshot*> sorted;
  for (const EndpointSnapshot& e : snapshot.endpoints) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(),
            [](const EndpointSnapshot* a, const EndpointSnapshot* b) { return a->name < b->name; });
  value inputs = value::array(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) inputs[i] = InputEndpointStatus(*sorted[i]);

  value stats = value::object();
  stats["global_metrics"] = GlobalMetrics(snapshot, now);
  stats["suspend_error"] = value::null();
  stats["checkpoint_activity"] = value::null();
  stats["permanent_checkpoint_errors"] = value::null();
  stats["inputs"] = std::move(inputs);
  stats["outputs"] = value::array();
  return stats;
}

}  // namespace sidecar::sim
