// Throwaway TLS material for HTTPS tests, made at test time with the openssl command-line tool: a
// certificate authority, a server certificate it signed (by default for 127.0.0.1, ::1 and
// localhost), and an unrelated private key. support/http.h's HttpCall takes the CA to trust.
#pragma once

#include <string>
#include <vector>

namespace sidecar::testing {

class TestCertificates {
 public:
  // The server certificate's default subjectAltName.
  static constexpr char kLoopbackNames[] = "IP:127.0.0.1,IP:::1,DNS:localhost";

  // Makes everything in a new temporary directory, the server certificate for
  // `subject_alt_names` (openssl's syntax); ok() says whether it worked.
  explicit TestCertificates(const std::string& subject_alt_names = kLoopbackNames);
  ~TestCertificates();  // removes the directory
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  bool ok() const { return error_.empty(); }
  // What failed, with openssl's output.
  const std::string& error() const { return error_; }

  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string cert_file() const { return dir_ + "/server.pem"; }
  std::string key_file() const { return dir_ + "/server.key"; }
  std::string other_key_file() const { return dir_ + "/other.key"; }

 private:
  // Runs openssl with `args`; on failure records why and returns false.
  bool OpenSsl(const std::string& openssl, const std::vector<std::string>& args);

  std::string dir_;
  std::string error_;
};

}  // namespace sidecar::testing
