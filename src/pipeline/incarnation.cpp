#include "pipeline/incarnation.h"

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
  return v;
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
  entries_.push_front(std::move(next));
  while (entries_.size() > capacity_) entries_.pop_back();
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
