// ControlServer: the simulator's control listener (--control-listen), serving the control API
// over plain HTTP/1.1 on a socket of its own: one request per connection, one connection at a
// time, on its own thread.
//
// It is not a cpprestsdk listener on purpose: cpprestsdk's listeners share one process-wide
// server that keeps every port bound until the last of them closes, so a second one would keep
// the pipeline's port accepting while the pipeline's listener is "closed" (/sim/down, /sim/stop).
//
// Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <thread>

#include "sim/api_message.h"
#include "sim/listen_address.h"

namespace sidecar::sim {

class ControlServer {
 public:
  struct Reply {
    ApiResponse response;
    std::function<void()> after_reply;  // run once the response is written (may be empty)
  };
  // Called on the server's thread, one request at a time.
  using Handler = std::function<Reply(const ApiRequest&)>;

  ControlServer(ListenAddress address, Handler handler);
  ~ControlServer();  // Close()s
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds and starts serving; throws std::runtime_error when it cannot listen at the address.
  void Open();
  // Stops serving and closes the socket. Idempotent.
  void Close();

  std::string url() const { return ClientUrl(address_, false); }

 private:
  void Serve();
  void ServeConnection(int fd);

  const ListenAddress address_;
  const Handler handler_;
  std::mutex mutex_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd that ends Serve
  std::thread thread_;
};

}  // namespace sidecar::sim
