// The TCP sockets of this process, as /proc/self/fd lists them: for resetting a listener's
// connections (connection_reset.h) and for checking what a listener is bound to
// (sim_listener.h), both of which cpprestsdk gives no handle on.
//
// Thread-safe (reads only).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sidecar::sim {

// The descriptors open in this process.
std::vector<int> OpenDescriptors();

struct LocalTcpAddress {
  std::string address;  // numeric: "127.0.0.1", "::1"
  int port;
  bool listening;  // a listening socket, not a connection
  bool connected;  // a connection with a peer
};

// The local address of `fd`, when it is a TCP socket over IPv4 or IPv6.
std::optional<LocalTcpAddress> LocalAddressOf(int fd);

// The local addresses this process's listening sockets on `port` are bound to.
std::vector<std::string> ListeningAddresses(int port);

}  // namespace sidecar::sim
