// TlsIdentity: the simulator's certificate chain and private key (PEM), read once at start-up,
// checked, and handed to each TLS connection's context.
//
// Thread-safe once loaded (immutable).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <string>

#include "common/result.h"

namespace sidecar::sim {

struct TlsIdentity {
  std::string certificate_chain_pem;
  std::string private_key_pem;
};

// Reads both files and checks that they parse and that the key belongs to the certificate; the
// error is one line naming the file at fault.
Result<TlsIdentity> LoadTlsIdentity(const std::string& certificate_file,
                                    const std::string& private_key_file);

// Configures a server context with the identity. Never throws: the identity was checked when
// loaded.
void ApplyTlsIdentity(const TlsIdentity& identity, boost::asio::ssl::context& context);

}  // namespace sidecar::sim
