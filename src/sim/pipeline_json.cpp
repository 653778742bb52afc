#include "sim/pipeline_json.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace sidecar::sim {
namespace {

using web::json::value;

value OptionalNumber(const std::optional<uint64_t>& number) {
  return number ? value::number(*number) : value::null();
}

value InputEndpointStats(const EndpointSnapshot& endpoint) {
  value metrics = value::object();
  metrics["total_bytes"] = value::number(0);
  metrics["total_records"] = value::number(endpoint.total_records);
  metrics["buffered_records"] = value::number(endpoint.total_records - endpoint.circuit_records);
  metrics["buffered_bytes"] = value::number(0);
  metrics["num_transport_errors"] = value::number(0);
  metrics["num_parse_errors"] = value::number(0);
  metrics["end_of_input"] = value::boolean(false);
  value input = value::object();
  input["endpoint_name"] = value::string(endpoint.name);
  input["metrics"] = std::move(metrics);
  input["fatal_error"] = value::null();
  return input;
}

}  // namespace

std::string FormatRfc3339(SimTime time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char seconds_text[32];
  std::strftime(seconds_text, sizeof seconds_text, "%Y-%m-%dT%H:%M:%S", &utc);
  char millis_text[8];
  std::snprintf(millis_text, sizeof millis_text, ".%03dZ", static_cast<int>(millis % 1000));
  return std::string(seconds_text) + millis_text;
}

value StatsJson(const PipelineSnapshot& snapshot) {
  uint64_t buffered = 0;
  for (const EndpointSnapshot& e : snapshot.endpoints)
    buffered += e.total_records - e.circuit_records;

  value global = value::object();
  global["state"] = value::string("Running");
  global["incarnation_uuid"] = value::string(snapshot.incarnation.ToString());
  global["start_time"] = value::string(FormatRfc3339(snapshot.start_time));
  global["initial_start_time"] = value::string(FormatRfc3339(snapshot.initial_start_time));
  global["total_initiated_steps"] = value::number(snapshot.total_initiated_steps);
  global["total_completed_steps"] = value::number(snapshot.total_completed_steps);
  global["pipeline_complete"] = value::boolean(false);
  global["buffered_input_records"] = value::number(buffered);
  global["total_input_records"] = value::number(snapshot.total_input_records);
  global["total_processed_records"] = value::number(snapshot.total_processed_records);

  std::vector<const EndpointSnapshot*> sorted;
  for (const EndpointSnapshot& e : snapshot.endpoints) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(),
            [](const EndpointSnapshot* a, const EndpointSnapshot* b) { return a->name < b->name; });
  value inputs = value::array(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) inputs[i] = InputEndpointStats(*sorted[i]);

  value stats = value::object();
  stats["global_metrics"] = std::move(global);
  stats["inputs"] = std::move(inputs);
  stats["outputs"] = value::array();
  return stats;
}

value StateJson(const PipelineSnapshot& snapshot) {
  value endpoints = value::array(snapshot.endpoints.size());
  for (size_t i = 0; i < snapshot.endpoints.size(); ++i) {
    const EndpointSnapshot& e = snapshot.endpoints[i];
    value endpoint = value::object();
    endpoint["id"] = value::number(e.id);
    endpoint["name"] = value::string(e.name);
    endpoint["total_records"] = value::number(e.total_records);
    endpoint["circuit_records"] = value::number(e.circuit_records);
    endpoint["queued_tokens"] = value::number(e.queued_tokens);
    endpoint["highest_complete_count"] = OptionalNumber(e.highest_complete_count);
    endpoints[i] = std::move(endpoint);
  }
  value state = value::object();
  state["incarnation_uuid"] = value::string(snapshot.incarnation.ToString());
  state["start_time"] = value::string(FormatRfc3339(snapshot.start_time));
  state["initial_start_time"] = value::string(FormatRfc3339(snapshot.initial_start_time));
  state["paused"] = value::boolean(snapshot.paused);
  state["total_initiated_steps"] = value::number(snapshot.total_initiated_steps);
  state["total_completed_steps"] = value::number(snapshot.total_completed_steps);
  state["endpoints"] = std::move(endpoints);
  return state;
}

value RequestCountsJson(const RequestCounters::Counts& counts) {
  value json = value::object();
  for (size_t i = 0; i < counts.size(); ++i) {
    json[RequestKindName(static_cast<PipelineRequestKind>(i))] = value::number(counts[i]);
  }
  return json;
}

}  // namespace sidecar::sim
