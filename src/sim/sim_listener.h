// SimListener: one listening socket of the simulator (a cpprestsdk listener) that can be closed
// and opened again, over http or, with a TLS identity, https; on an IPv4 address or host name,
// or on [::1] (listen_address.h says how, and Open checks it got there).
//
// Thread-safe.
#pragma once

#include <cpprest/http_listener.h>

#include <functional>
#include <memory>
#include <mutex>

#include "sim/listen_address.h"
#include "sim/tls_identity.h"

namespace sidecar::sim {

class SimListener {
 public:
  using Handler = std::function<void(const web::http::http_request&)>;

  // `tls` null: plain http. The handler must outlive the listener.
  SimListener(ListenAddress address, std::shared_ptr<const TlsIdentity> tls, Handler handler);
  ~SimListener();  // Close()s
  SimListener(const SimListener&) = delete;
  SimListener& operator=(const SimListener&) = delete;

  // Starts listening; throws std::exception when it cannot listen at the address. Does nothing
  // when open.
  void Open();
  // Stops listening (connections are refused). Idempotent.
  void Close();

  int port() const { return address_.port; }
  // What a client calls: "https://[::1]:8080".
  std::string url() const { return ClientUrl(address_, tls_ != nullptr); }

 private:
  const ListenAddress address_;
  const std::shared_ptr<const TlsIdentity> tls_;
  const Handler handler_;
  std::mutex mutex_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

}  // namespace sidecar::sim
