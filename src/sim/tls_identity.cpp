#include "sim/tls_identity.h"

#include <openssl/ssl.h>

#include <fstream>
#include <sstream>

namespace sidecar::sim {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Applies the identity to `context`; the error names what did not load.
std::optional<std::string> Configure(const TlsIdentity& identity,
                                     boost::asio::ssl::context& context) {
  boost::system::error_code error;
  context.set_options(boost::asio::ssl::context::default_workarounds |
                          boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3,
                      error);
  context.use_certificate_chain(boost::asio::buffer(identity.certificate_chain_pem), error);
  if (error) return "certificate: " + error.message();
  context.use_private_key(boost::asio::buffer(identity.private_key_pem),
                          boost::asio::ssl::context::pem, error);
  if (error) return "private key: " + error.message();
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return "private key: it does not belong to the certificate";
  }
  return std::nullopt;
}

}  // namespace

Result<TlsIdentity> LoadTlsIdentity(const std::string& certificate_file,
                                    const std::string& private_key_file) {
  using R = Result<TlsIdentity>;
  TlsIdentity identity;
  std::optional<std::string> certificate = ReadFile(certificate_file);
  if (!certificate) return R::Error("--tls-cert: cannot read '" + certificate_file + "'");
  std::optional<std::string> key = ReadFile(private_key_file);
  if (!key) return R::Error("--tls-key: cannot read '" + private_key_file + "'");
  identity.certificate_chain_pem = std::move(*certificate);
  identity.private_key_pem = std::move(*key);

  boost::asio::ssl::context scratch(boost::asio::ssl::context::tls_server);
  if (std::optional<std::string> problem = Configure(identity, scratch)) {
    return R::Error("TLS identity from '" + certificate_file + "' and '" + private_key_file +
                    "': " + *problem);
  }
  return R::Ok(std::move(identity));
}

void ApplyTlsIdentity(const TlsIdentity& identity, boost::asio::ssl::context& context) {
  Configure(identity, context);
}

}  // namespace sidecar::sim
