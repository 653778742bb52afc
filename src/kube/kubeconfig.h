// Reading a kubeconfig (the file kubectl uses) down to the one context the service connects with.
//
// Pure: the caller reads the files and passes their text; nothing here touches the file system.
// Safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace sidecar::kube {

struct KubeconfigFile {
  std::string path;  // where the text came from: names it in errors, anchors relative paths
  std::string text;
};

// Everything the selected context says about reaching its cluster. For each TLS item and the
// token, either the inline value or an absolute file path is set (inline wins, as in kubectl).
struct KubeconfigContext {
  std::string context_name;
  std::string server;          // https://host:port, possibly with a path prefix
  std::string namespace_name;  // the context's namespace; empty when it names none
  std::string ca_pem;          // certificate-authority-data, decoded
  std::string ca_file;         // certificate-authority
  std::string client_certificate_pem;
  std::string client_certificate_file;
  std::string client_key_pem;
  std::string client_key_file;
  bool insecure_skip_tls_verify = false;
  std::string token;
  std::string token_file;  // tokenFile: re-read periodically, as the token may rotate
};

// Merges `files` as kubectl merges $KUBECONFIG (the first file to define a name wins; the first
// current-context set wins) and resolves `context` (empty: current-context) through its cluster
// and user. Relative paths are made absolute against the directory of the file that holds them.
// Authentication the service cannot perform (exec plugins, auth providers, basic auth) and
// settings it cannot honour (tls-server-name, proxy-url) are errors that say so.
Result<KubeconfigContext> SelectKubeconfigContext(const std::vector<KubeconfigFile>& files,
                                                  const std::string& context = "");

}  // namespace sidecar::kube
