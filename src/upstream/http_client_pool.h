// HttpClientPool: one OriginClient per origin (scheme, host, port), shared by every
// PipelineClient whose base URL is on that origin.
//
// A cpprestsdk client is a few kilobytes and keeps its own pool of idle connections: one per
// pipeline was a large cost of a service following thousands of pipelines, and pipelines reached
// through Feldera's API server all share its origin. A client lives as long as a PipelineClient
// uses it (the pool holds it weakly). Every client gets the same configuration (timeout, trusted
// CAs). Thread-safe; creating a client does no I/O.
#pragma once

#include <cpprest/http_client.h>

#include <map>
#include <memory>
#include <string>

#include "common/mutex.h"
#include "upstream/origin_client.h"

namespace sidecar {

class HttpClientPool {
 public:
  explicit HttpClientPool(web::http::client::http_client_config config);

  // The client for `url`'s origin; `url` must be absolute. cpprestsdk's resolver is given an
  // IPv6 literal without its brackets (see ConnectableUri).
  std::shared_ptr<OriginClient> ClientFor(const web::uri& url) EXCLUDES(mu_);

  // The number of origins with a client in use.
  size_t size() const EXCLUDES(mu_);
  // The number of origins the pool has an entry for, in use or not (bounded: unused ones are
  // dropped as the map grows).
  size_t entries() const EXCLUDES(mu_);

 private:
  const web::http::client::http_client_config config_;
  mutable Mutex mu_;
  std::map<std::string, std::weak_ptr<OriginClient>> clients_ GUARDED_BY(mu_);
  size_t sweep_at_ GUARDED_BY(mu_) = 64;  // drop unused entries once the map reaches this size
};

}  // namespace sidecar
