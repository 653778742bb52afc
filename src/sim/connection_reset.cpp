#include "sim/connection_reset.h"

#include <sys/socket.h>

#include <optional>

#include "sim/local_sockets.h"

namespace sidecar::sim {
namespace {

bool Abort(int fd) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  return ::connect(fd, &unspecified, sizeof unspecified) == 0;
}

}  // namespace

int ResetConnectionsToPort(int port) {
  int reset = 0;
  for (int fd : OpenDescriptors()) {
    const std::optional<LocalTcpAddress> local = LocalAddressOf(fd);
    if (local && local->connected && !local->listening && local->port == port && Abort(fd)) {
      ++reset;
    }
  }
  return reset;
}

}  // namespace sidecar::sim
