#include "sim/connection_reset.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>
#include <string_view>
#include <vector>

namespace sidecar::sim {
namespace {

std::vector<int> OpenDescriptors() {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    int fd = -1;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (ec == std::errc() && end == name.data() + name.size() && fd != own) fds.push_back(fd);
  }
  ::closedir(dir);
  return fds;
}

int LocalPort(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// A connected TCP socket (not a listening one) whose local port is `port`.
bool IsConnectionOnPort(int fd, int port) {
  int type = 0;
  socklen_t type_size = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_size) != 0 || type != SOCK_STREAM)
    return false;
  sockaddr_storage local{};
  socklen_t local_size = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
      LocalPort(local) != port) {
    return false;
  }
  sockaddr_storage peer{};
  socklen_t peer_size = sizeof peer;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) == 0;
}

bool Abort(int fd) {
  sockaddr unspecified{};
  unspecified.sa_family = AF_UNSPEC;
  return ::connect(fd, &unspecified, sizeof unspecified) == 0;
}

}  // namespace

int ResetConnectionsToPort(int port) {
  int reset = 0;
  for (int fd : OpenDescriptors()) {
    if (IsConnectionOnPort(fd, port) && Abort(fd)) ++reset;
  }
  return reset;
}

}  // namespace sidecar::sim
