#include "sim/pipeline_json.h"

#include "sim/stats_json.h"

namespace sidecar::sim {
namespace {

using web::json::value;

value OptionalNumber(const std::optional<uint64_t>& number) {
  return number ? value::number(*number) : value::null();
}

int64_t UnixMillis(SimTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

}  // namespace

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
  state["running"] = value::boolean(snapshot.running);
  state["start_time"] = value::number(UnixSeconds(snapshot.start_time));
  state["initial_start_time"] = value::number(UnixSeconds(snapshot.initial_start_time));
  state["start_time_ms"] = value::number(UnixMillis(snapshot.start_time));
  state["initial_start_time_ms"] = value::number(UnixMillis(snapshot.initial_start_time));
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
