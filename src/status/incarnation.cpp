#include "status/incarnation.h"

namespace sidecar {

using web::json::value;

value Incarnation::ToJson() const {
  value v = value::object();
  v["incarnation_uuid"] = uuid ? value::string(uuid->ToString()) : value::null();
  v["start_time"] = start_time.empty() ? value::null() : value::string(start_time);
  v["initial_start_time"] =
      initial_start_time.empty() ? value::null() : value::string(initial_start_time);
  v["resumed_from_checkpoint"] = value::boolean(resumed_from_checkpoint);
  v["first_seen"] = value::string(FormatTime(first_seen));
  if (end) {
    value e = value::object();
    e["observed_at"] = value::string(FormatTime(end->observed_at));
    e["reason"] = value::string(end->reason);
    e["exit_code"] = end->exit_code ? value::number(*end->exit_code) : value::null();
    e["finished_at"] = end->finished_at.empty() ? value::null() : value::string(end->finished_at);
    if (!end->message.empty()) e["message"] = value::string(end->message);
    v["end"] = e;
  } else {
    v["end"] = value::null();
  }
  if (has_pod_identity()) {
    value pod = value::object();
    pod["uid"] = value::string(pod_uid);
    pod["container_id"] = value::string(container_id);
    pod["restart_count"] = value::number(restart_count);
    v["pod"] = pod;
  }
  return v;
}

namespace {

std::string StringOr(const value& object, const char* field) {
  return object.has_string_field(field) ? object.at(field).as_string() : std::string();
}

}  // namespace

std::optional<Incarnation> Incarnation::FromJson(const value& json) {
  if (!json.is_object()) return std::nullopt;
  Incarnation i;
  if (json.has_string_field("incarnation_uuid")) {
    i.uuid = Uuid::Parse(json.at("incarnation_uuid").as_string());
    if (!i.uuid) return std::nullopt;
  }
  i.start_time = StringOr(json, "start_time");
  i.initial_start_time = StringOr(json, "initial_start_time");
  i.resumed_from_checkpoint = json.has_boolean_field("resumed_from_checkpoint") &&
                              json.at("resumed_from_checkpoint").as_bool();
  auto first_seen = ParseTime(StringOr(json, "first_seen"));
  if (!first_seen) return std::nullopt;
  i.first_seen = *first_seen;
  if (json.has_object_field("end")) {
    const value& e = json.at("end");
    auto observed = ParseTime(StringOr(e, "observed_at"));
    if (!observed) return std::nullopt;
    IncarnationEnd end{*observed, StringOr(e, "reason"), std::nullopt, StringOr(e, "finished_at"),
                       StringOr(e, "message")};
    if (e.has_number_field("exit_code") && e.at("exit_code").is_integer()) {
      end.exit_code = e.at("exit_code").as_integer();
    }
    i.end = end;
  }
  if (json.has_object_field("pod")) {
    const value& pod = json.at("pod");
    i.pod_uid = StringOr(pod, "uid");
    i.container_id = StringOr(pod, "container_id");
    if (pod.has_number_field("restart_count") && pod.at("restart_count").is_integer()) {
      i.restart_count = pod.at("restart_count").as_number().to_int64();
    }
  }
  return i;
}

IncarnationHistory IncarnationHistory::FromJson(const value& json, size_t capacity) {
  IncarnationHistory history(capacity);
  if (!json.is_array()) return history;
  for (const auto& entry : json.as_array()) {
    if (history.entries_.size() >= capacity) break;
    if (auto i = Incarnation::FromJson(entry)) history.entries_.push_back(std::move(*i));
  }
  return history;
}

const Incarnation* IncarnationHistory::Current() const {
  if (entries_.empty() || entries_.front().ended()) return nullptr;
  return &entries_.front();
}

const Incarnation* IncarnationHistory::Newest() const {
  return entries_.empty() ? nullptr : &entries_.front();
}

const Incarnation* IncarnationHistory::Find(const Uuid& uuid) const {
  for (const auto& entry : entries_) {
    if (entry.uuid == uuid) return &entry;
  }
  return nullptr;
}

void IncarnationHistory::Begin(Incarnation next, const IncarnationEnd& end_of_previous) {
  EndCurrent(end_of_previous);
  entries_.insert(entries_.begin(), std::move(next));
  if (entries_.size() > capacity_) entries_.resize(capacity_);
}

void IncarnationHistory::EndCurrent(const IncarnationEnd& end) {
  if (!entries_.empty() && !entries_.front().ended()) entries_.front().end = end;
}

value IncarnationHistory::ToJson() const {
  value list = value::array();
  size_t i = 0;
  for (const auto& entry : entries_) list[i++] = entry.ToJson();
  return list;
}

}  // namespace sidecar
