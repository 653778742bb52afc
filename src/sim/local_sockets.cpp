#include "sim/local_sockets.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <string_view>

namespace sidecar::sim {

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

std::optional<LocalTcpAddress> LocalAddressOf(int fd) {
  int type = 0;
  socklen_t type_size = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_size) != 0 || type != SOCK_STREAM)
    return std::nullopt;
  sockaddr_storage local{};
  socklen_t local_size = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) return std::nullopt;
  LocalTcpAddress result{"", 0, false, false};
  char text[INET6_ADDRSTRLEN] = {};
  if (local.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(local);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    result.port = ntohs(v4.sin_port);
  } else if (local.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(local);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    result.port = ntohs(v6.sin6_port);
  } else {
    return std::nullopt;
  }
  result.address = text;
  int accepting = 0;
  socklen_t accepting_size = sizeof accepting;
  result.listening =
      ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &accepting_size) == 0 &&
      accepting != 0;
  sockaddr_storage peer{};
  socklen_t peer_size = sizeof peer;
  result.connected = ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) == 0;
  return result;
}

std::vector<std::string> ListeningAddresses(int port) {
  std::vector<std::string> addresses;
  for (int fd : OpenDescriptors()) {
    const std::optional<LocalTcpAddress> local = LocalAddressOf(fd);
    if (local && local->listening && local->port == port) addresses.push_back(local->address);
  }
  return addresses;
}

}  // namespace sidecar::sim
