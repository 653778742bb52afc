// Paged lists: the opaque `continue` token and the cutting of one page out of a snapshot, as the
// API server pages lists read from etcd.
//
// Pure functions over plain structs, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fakes/kube_api/object_store.h"
#include "fakes/kube_api/selectors.h"

namespace sidecar::testing::kubefake {

// Where the next page starts: the snapshot revision and the first key not yet listed.
struct ContinueToken {
  // Negative (-1) in the token of an expiry answer: the rest of the list at the latest revision,
  // no longer consistent with the pages before.
  int64_t resource_version = 0;
  std::string start_key;
};

// Base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>"}, the real server's encoding.
std::string EncodeContinueToken(const ContinueToken& token);
// The error says why the token is not one this server made.
Result<ContinueToken> DecodeContinueToken(std::string_view text);

struct ListPage {
  // Without kind and apiVersion, as list items are served.
  std::vector<web::json::value> items;
  std::string continue_token;  // "" on the last page
  // Set, with a continue token, when the list has no selector (as the real server does).
  std::optional<int64_t> remaining_item_count;
};

// The objects of `snapshot` (taken at `version`) matching `filter`, from `start_key` on, at most
// `limit` of them.
ListPage CutPage(const ObjectMap& snapshot, const std::string& resource, const ObjectFilter& filter,
                 const std::string& start_key, std::optional<int64_t> limit, int64_t version);

}  // namespace sidecar::testing::kubefake
