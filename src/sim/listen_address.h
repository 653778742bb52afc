// ListenAddress: a HOST:PORT the simulator listens on, as given on its command line — an IPv4
// address or host name, or the IPv6 loopback in brackets ("[::1]:8080") — and the URLs for it.
//
// cpprestsdk's listener splits its URL's host from the port at the first ':', so it cannot be
// given an IPv6 literal. Its host "+" instead binds the first address the resolver gives for no
// host name, a loopback address: ::1 on a machine with IPv6 loopback. The simulator listens on
// [::1] that way, and checks once listening that it got ::1 (sim_listener.h); other IPv6
// addresses are refused.
//
// Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sidecar::sim {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "localhost", ... or "::1" (given as "[::1]")
  int port = 0;

  bool ipv6() const { return host.find(':') != std::string::npos; }
};

// Parses `value` given for `flag`; the error is one line naming both.
Result<ListenAddress> ParseListenAddress(std::string_view flag, std::string_view value);

// "http://127.0.0.1:8080", "https://[::1]:8080": what a client calls.
std::string ClientUrl(const ListenAddress& address, bool tls);

// The URL cpprestsdk's listener is opened with ("http://+:8080" for [::1]).
std::string ListenerUrl(const ListenAddress& address, bool tls);

}  // namespace sidecar::sim
