#include "sim/control_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/error_response.h"
#include "sim/http_wire.h"

namespace sidecar::sim {
namespace {

// A client gets this long for each read and write before its connection is dropped.
constexpr int kIoTimeoutMs = 5000;
// Control requests carry small bodies, if any.
constexpr uint64_t kMaxBodyBytes = 1 << 20;

int BindAndListen(const ListenAddress& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int error = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found)) {
    throw std::runtime_error(std::string("resolving: ") + ::gai_strerror(error));
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  const bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 64) == 0;
  const int saved = errno;
  ::freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error(std::strerror(saved));
  }
  return fd;
}

// Waits until `fd` is ready for `events`; false on timeout or error.
bool WaitFor(int fd, short events) {
  pollfd ready{fd, events, 0};
  return ::poll(&ready, 1, kIoTimeoutMs) == 1 && (ready.revents & (events | POLLHUP)) != 0;
}

// Reads until `buffer` holds the head's blank line; false when the client stops short.
bool ReadHead(int fd, std::string& buffer, size_t& head_end) {
  char chunk[4096];
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (buffer.size() > kMaxRequestHeadBytes || !WaitFor(fd, POLLIN)) return false;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

bool ReadBody(int fd, std::string& body, uint64_t length) {
  char chunk[4096];
  while (body.size() < length) {
    if (!WaitFor(fd, POLLIN)) return false;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    body.append(chunk, static_cast<size_t>(n));
  }
  body.resize(length);
  return true;
}

void WriteAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size() && WaitFor(fd, POLLOUT)) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

ControlServer::ControlServer(ListenAddress address, Handler handler)
    : address_(std::move(address)), handler_(std::move(handler)) {}

ControlServer::~ControlServer() {
  Close();
}

void ControlServer::Open() {
  std::lock_guard lock(mutex_);
  if (listen_fd_ >= 0) return;
  const int fd = BindAndListen(address_);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
  listen_fd_ = fd;
  thread_ = std::thread([this] { Serve(); });
}

void ControlServer::Close() {
  std::lock_guard lock(mutex_);
  if (listen_fd_ < 0) return;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
  listen_fd_ = wake_fd_ = -1;
}

void ControlServer::Serve() {
  while (true) {
    pollfd ready[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(ready, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (ready[1].revents != 0) return;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ServeConnection(fd);
    ::close(fd);
  }
}

void ControlServer::ServeConnection(int fd) {
  std::string buffer;
  size_t head_end = 0;
  if (!ReadHead(fd, buffer, head_end)) return;
  const Result<RequestHead> head = ParseRequestHead(std::string_view(buffer).substr(0, head_end));
  if (!head.ok()) {
    WriteAll(fd, SerializeResponse(ErrorReply(400, "InvalidRequest", head.error())));
    return;
  }
  if (head->content_length > kMaxBodyBytes) {
    WriteAll(fd,
             SerializeResponse(ErrorReply(413, "PayloadTooLarge", "control request too large")));
    return;
  }
  std::string body = buffer.substr(head_end + 4);
  if (!ReadBody(fd, body, head->content_length)) return;
  ApiRequest request = ParseRequestTarget(head->method, head->target);
  request.body = std::move(body);
  const Reply reply = handler_(request);
  WriteAll(fd, SerializeResponse(reply.response));
  ::shutdown(fd, SHUT_WR);
  if (reply.after_reply) reply.after_reply();
}

}  // namespace sidecar::sim
