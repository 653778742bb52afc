#include "upstream/http_client_pool.h"

#include <cpprest/uri_builder.h>

#include <utility>

namespace sidecar {

HttpClientPool::HttpClientPool(web::http::client::http_client_config config)
    : config_(std::move(config)) {}

std::shared_ptr<OriginClient> HttpClientPool::ClientFor(const web::uri& url) {
  web::uri_builder origin;
  origin.set_scheme(url.scheme()).set_host(url.host()).set_port(url.port());
  const web::uri origin_uri = origin.to_uri();
  const std::string key = origin_uri.to_string();

  MutexLock lock(&mu_);
  std::weak_ptr<OriginClient>& slot = clients_[key];
  if (auto client = slot.lock()) return client;
  auto client = std::make_shared<OriginClient>(origin_uri, config_);
  slot = client;
  if (clients_.size() >= sweep_at_) {
    std::erase_if(clients_, [](const auto& entry) { return entry.second.expired(); });
    sweep_at_ = 2 * clients_.size() + 64;
  }
  return client;
}

size_t HttpClientPool::size() const {
  MutexLock lock(&mu_);
  size_t live = 0;
  for (const auto& [key, client] : clients_) live += client.expired() ? 0 : 1;
  return live;
}

size_t HttpClientPool::entries() const {
  MutexLock lock(&mu_);
  return clients_.size();
}

}  // namespace sidecar
