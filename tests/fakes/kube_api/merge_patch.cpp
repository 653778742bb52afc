#include "fakes/kube_api/merge_patch.h"

namespace sidecar::testing::kubefake {

web::json::value ApplyMergePatch(web::json::value target, const web::json::value& patch) {
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = web::json::value::object();
  for (const auto& [key, value] : patch.as_object()) {
    if (value.is_null()) {
      if (target.has_field(key)) target.erase(key);
    } else {
      web::json::value member = target.has_field(key) ? target.at(key) : web::json::value::null();
      target[key] = ApplyMergePatch(std::move(member), value);
    }
  }
  return target;
}

}  // namespace sidecar::testing::kubefake
