#include "sim/listen_address.h"

#include <charconv>
#include <cstdint>
#include <optional>

namespace sidecar::sim {
namespace {

std::optional<int64_t> ParsePort(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Scheme(bool tls) {
  return tls ? "https://" : "http://";
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view flag, std::string_view value) {
  using R = Result<ListenAddress>;
  const std::string given(value);
  const std::string f(flag);
  const size_t colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return R::Error(f + " wants HOST:PORT or [::1]:PORT, got '" + given + "'");
  }
  std::string_view host = value.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') {
      return R::Error(f + ": an IPv6 address needs its closing ']', got '" + given + "'");
    }
    host = host.substr(1, host.size() - 2);
    if (host != "::1") {
      return R::Error(f + ": the only IPv6 address the simulator can listen on is [::1], got '" +
                      given + "'");
    }
  } else if (host.find(':') != std::string_view::npos || host.find(']') != std::string_view::npos) {
    return R::Error(f + ": an IPv6 address goes in brackets, as [::1]:PORT, got '" + given + "'");
  }
  const std::optional<int64_t> port = ParsePort(value.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) {
    return R::Error(f + " port must be 1-65535, got '" + given + "'");
  }
  return R::Ok(ListenAddress{std::string(host), static_cast<int>(*port)});
}

std::string ClientUrl(const ListenAddress& address, bool tls) {
  const std::string host = address.ipv6() ? "[" + address.host + "]" : address.host;
  return Scheme(tls) + host + ":" + std::to_string(address.port);
}

std::string ListenerUrl(const ListenAddress& address, bool tls) {
  const std::string host = address.ipv6() ? "+" : address.host;
  return Scheme(tls) + host + ":" + std::to_string(address.port);
}

}  // namespace sidecar::sim
