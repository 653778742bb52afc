// ResetConnectionsToPort: aborts, with a TCP RST to the peer, every connection of this process
// whose local port is `port` — the connections a listener on that port has accepted. The
// listening socket itself is left alone.
//
// The descriptors are found in /proc/self/fd and each is disconnected with connect(AF_UNSPEC),
// which on Linux aborts a TCP connection but keeps the descriptor open: its owner (cpprestsdk)
// sees its reads and writes fail and closes it as usual, so no descriptor is closed behind its
// back.
//
// Thread-safe. Returns how many connections were reset.
#pragma once

namespace sidecar::sim {

int ResetConnectionsToPort(int port);

}  // namespace sidecar::sim
