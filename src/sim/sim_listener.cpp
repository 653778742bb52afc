#include "sim/sim_listener.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "sim/local_sockets.h"

namespace sidecar::sim {

using web::http::experimental::listener::http_listener;
using web::http::experimental::listener::http_listener_config;

SimListener::SimListener(ListenAddress address, std::shared_ptr<const TlsIdentity> tls,
                         Handler handler)
    : address_(std::move(address)), tls_(std::move(tls)), handler_(std::move(handler)) {}

SimListener::~SimListener() {
  Close();
}

void SimListener::Open() {
  std::lock_guard lock(mutex_);
  if (listener_) return;
  http_listener_config config;
  if (tls_) {
    config.set_ssl_context_callback(
        [tls = tls_](boost::asio::ssl::context& context) { ApplyTlsIdentity(*tls, context); });
  }
  auto listener =
      std::make_unique<http_listener>(ListenerUrl(address_, tls_ != nullptr), std::move(config));
  listener->support([this](const web::http::http_request& request) { handler_(request); });
  listener->open().wait();
  if (address_.ipv6()) {
    const std::vector<std::string> bound = ListeningAddresses(address_.port);
    if (std::find(bound.begin(), bound.end(), address_.host) == bound.end()) {
      listener->close().wait();
      throw std::runtime_error("the loopback address the resolver gave is not " + address_.host +
                               " (this machine has no IPv6 loopback?)");
    }
  }
  listener_ = std::move(listener);
}

void SimListener::Close() {
  std::unique_ptr<http_listener> listener;
  {
    std::lock_guard lock(mutex_);
    listener = std::move(listener_);
  }
  if (!listener) return;
  try {
    listener->close().wait();
  } catch (const std::exception& e) {
    spdlog::warn("closing the listener on {}: {}", url(), e.what());
  }
}

}  // namespace sidecar::sim
