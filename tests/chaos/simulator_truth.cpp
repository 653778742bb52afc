#include "chaos/simulator_truth.h"

namespace sidecar::testing::chaos {

std::optional<SimState> ParseSimState(const web::json::value& doc) {
  if (!doc.is_object() || !doc.has_string_field("incarnation_uuid") ||
      !doc.has_boolean_field("paused") || !doc.has_array_field("endpoints")) {
    return std::nullopt;
  }
  SimState state;
  state.incarnation = doc.at("incarnation_uuid").as_string();
  state.paused = doc.at("paused").as_bool();
  for (const web::json::value& endpoint : doc.at("endpoints").as_array()) {
    if (!endpoint.has_number_field("id") || !endpoint.has_field("highest_complete_count"))
      return std::nullopt;
    const size_t id = endpoint.at("id").as_number().to_uint64();
    if (id >= state.highest_complete.size()) state.highest_complete.resize(id + 1);
    const web::json::value& highest = endpoint.at("highest_complete_count");
    if (highest.is_number()) state.highest_complete[id] = highest.as_number().to_uint64();
  }
  return state;
}

void SimulatorTruth::Began(const std::string& incarnation) {
  std::lock_guard lock(mutex_);
  if (records_.emplace(incarnation, Record{}).second) order_.push_back(incarnation);
}

void SimulatorTruth::Ended(const std::string& incarnation, HighestComplete final_counts) {
  std::lock_guard lock(mutex_);
  records_[incarnation].final_counts = std::move(final_counts);
}

void SimulatorTruth::EndDelivered(const std::string& incarnation, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  records_[incarnation].end_delivered_at = at;
}

void SimulatorTruth::EndTakenIn(const std::string& incarnation, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  records_[incarnation].end_taken_in_at = at;
}

bool SimulatorTruth::Ran(const std::string& incarnation) const {
  std::lock_guard lock(mutex_);
  return records_.count(incarnation) > 0;
}

std::optional<HighestComplete> SimulatorTruth::FinalCounts(const std::string& incarnation) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(incarnation);
  return it == records_.end() ? std::nullopt : it->second.final_counts;
}

std::optional<SimulatorTruth::Clock::time_point> SimulatorTruth::EndDeliveredAt(
    const std::string& incarnation) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(incarnation);
  return it == records_.end() ? std::nullopt : it->second.end_delivered_at;
}

std::optional<SimulatorTruth::Clock::time_point> SimulatorTruth::EndTakenInAt(
    const std::string& incarnation) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(incarnation);
  return it == records_.end() ? std::nullopt : it->second.end_taken_in_at;
}

std::vector<std::string> SimulatorTruth::Incarnations() const {
  std::lock_guard lock(mutex_);
  return order_;
}

bool SimulatorTruth::HasEnded(const std::string& incarnation) const {
  return FinalCounts(incarnation).has_value();
}

}  // namespace sidecar::testing::chaos
