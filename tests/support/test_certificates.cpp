#include "support/test_certificates.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support/process.h"

namespace sidecar::testing {
namespace {

// The openssl binary on PATH; empty when there is none.
std::string FindOpenSsl() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path) << content;
}

constexpr char kCaConfig[] = R"([req]
distinguished_name = dn
prompt = no
x509_extensions = ca_ext
[dn]
CN = completion-sidecar test CA
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
)";

constexpr char kServerConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
)";

}  // namespace

TestCertificates::TestCertificates(const std::string& subject_alt_names) {
  char dir_template[] = "/tmp/completion-sidecar-tls-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = dir_template;
  const std::string openssl = FindOpenSsl();
  if (openssl.empty()) {
    error_ = "no openssl on PATH (scripts/setup installs it)";
    return;
  }
  WriteFile(dir_ + "/ca.cnf", kCaConfig);
  WriteFile(dir_ + "/server.cnf",
            std::string(kServerConfig) + "subjectAltName = " + subject_alt_names + "\n");
  const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt",
                                           "ec_paramgen_curve:prime256v1", "-nodes"};
  auto with_key = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, ec_key.begin(), ec_key.end());
    return args;
  };
  OpenSsl(openssl, with_key({"req", "-x509", "-config", dir_ + "/ca.cnf", "-keyout",
                             dir_ + "/ca.key", "-out", ca_file(), "-days", "2"})) &&
      OpenSsl(openssl, with_key({"req", "-new", "-config", dir_ + "/server.cnf", "-keyout",
                                 key_file(), "-out", dir_ + "/server.csr"})) &&
      OpenSsl(openssl, {"x509", "-req", "-in", dir_ + "/server.csr", "-CA", ca_file(), "-CAkey",
                        dir_ + "/ca.key", "-CAcreateserial", "-out", cert_file(), "-days", "2",
                        "-extfile", dir_ + "/server.cnf", "-extensions", "server_ext"}) &&
      OpenSsl(openssl, {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-out", other_key_file()});
}

TestCertificates::~TestCertificates() {
  if (dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool TestCertificates::OpenSsl(const std::string& openssl, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {openssl};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess process(argv);
  const int status = process.Wait(std::chrono::seconds(30));
  if (status == 0) return true;
  error_ =
      "openssl " + args[0] + " exited with " + std::to_string(status) + ": " + process.Output();
  return false;
}

}  // namespace sidecar::testing
