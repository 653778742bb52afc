// JSON merge patch (RFC 7386), the `application/merge-patch+json` PATCH of the Kubernetes API.
//
// Pure function, safe from any thread.
#pragma once

#include <cpprest/json.h>

namespace sidecar::testing::kubefake {

// `target` with `patch` merged in: members of an object patch replace or (when null) remove the
// target's members, recursively; any other patch replaces the target.
web::json::value ApplyMergePatch(web::json::value target, const web::json::value& patch);

}  // namespace sidecar::testing::kubefake
