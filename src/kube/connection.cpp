#include "kube/connection.h"

#include <boost/asio/ssl.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kube/kubeconfig.h"

namespace sidecar::kube {
namespace {

// Kubeconfigs and certificates are kilobytes; a larger file is a mistake, not something to load.
constexpr std::streamsize kMaxConfigFileBytes = std::streamsize{4} * 1024 * 1024;

Result<std::string> ReadSmallFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Result<std::string>::Error("cannot read " + what + " " + path);
  }
  std::string bytes(kMaxConfigFileBytes + 1, '\0');
  in.read(bytes.data(), kMaxConfigFileBytes + 1);
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > static_cast<size_t>(kMaxConfigFileBytes)) {
    return Result<std::string>::Error(what + " " + path + " is larger than 4 MiB");
  }
  return Result<std::string>::Ok(std::move(bytes));
}

// Validates an API server URL and drops a trailing slash.
Result<std::string> NormalizeServer(const std::string& url) {
  if (!web::uri::validate(url)) {
    return Result<std::string>::Error("API server URL '" + url + "' is not a valid URL");
  }
  web::uri parsed(url);
  if ((parsed.scheme() != "http" && parsed.scheme() != "https") || parsed.host().empty()) {
    return Result<std::string>::Error("API server URL '" + url +
                                      "' must be http:// or https:// with a host");
  }
  if (!parsed.query().empty() || !parsed.fragment().empty()) {
    return Result<std::string>::Error("API server URL '" + url +
                                      "' must not have a query or fragment");
  }
  std::string normalized = url;
  while (!normalized.empty() && normalized.back() == '/') {
    normalized.pop_back();
  }
  return Result<std::string>::Ok(std::move(normalized));
}

// Inline PEM wins; else the file, when one is named.
Result<std::string> PemFromInlineOrFile(const std::string& pem, const std::string& file,
                                        const std::string& what) {
  if (!pem.empty() || file.empty()) {
    return Result<std::string>::Ok(pem);
  }
  return ReadSmallFile(file, what);
}

std::vector<std::string> SplitPathList(const std::string& list) {
  std::vector<std::string> paths;
  std::stringstream stream(list);
  for (std::string path; std::getline(stream, path, ':');) {
    if (!path.empty()) {
      paths.push_back(path);
    }
  }
  return paths;
}

void ApplyTls(const TlsMaterial& tls, boost::asio::ssl::context& context) {
  if (!tls.ca_pem.empty()) {
    context.add_certificate_authority(boost::asio::buffer(tls.ca_pem));
  }
  if (!tls.client_certificate_pem.empty()) {
    context.use_certificate_chain(boost::asio::buffer(tls.client_certificate_pem));
    context.use_private_key(boost::asio::buffer(tls.client_key_pem),
                            boost::asio::ssl::context::pem);
  }
}

}  // namespace

KubeEnvironment KubeEnvironment::FromProcess() {
  KubeEnvironment environment;
  environment.get_env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
  return environment;
}

Result<bool> ValidateTlsMaterial(const TlsMaterial& tls) {
  if (tls.client_certificate_pem.empty() != tls.client_key_pem.empty()) {
    return Result<bool>::Error("a client certificate needs its key and a key its certificate");
  }
  boost::asio::ssl::context context(boost::asio::ssl::context::tls_client);
  boost::system::error_code error;
  auto unusable = [&error](const std::string& what) {
    return Result<bool>::Error("the " + what + " is not usable PEM: " + error.message());
  };
  if (!tls.ca_pem.empty() &&
      context.add_certificate_authority(boost::asio::buffer(tls.ca_pem), error)) {
    return unusable("certificate authority");
  }
  if (!tls.client_certificate_pem.empty() &&
      context.use_certificate_chain(boost::asio::buffer(tls.client_certificate_pem), error)) {
    return unusable("client certificate");
  }
  if (!tls.client_key_pem.empty()) {
    // Loaded alone first: next to the certificate, a valid key that does not match it fails too.
    boost::asio::ssl::context key_only(boost::asio::ssl::context::tls_client);
    if (key_only.use_private_key(boost::asio::buffer(tls.client_key_pem),
                                 boost::asio::ssl::context::pem, error)) {
      return unusable("client key");
    }
    if (context.use_private_key(boost::asio::buffer(tls.client_key_pem),
                                boost::asio::ssl::context::pem, error)) {
      return Result<bool>::Error("the client key does not match the client certificate");
    }
  }
  return Result<bool>::Ok(true);
}

Result<KubeConnection> KubeConnection::ForUrl(const std::string& url) {
  Result<std::string> server = NormalizeServer(url);
  if (!server.ok()) {
    return Result<KubeConnection>::Error(server.error());
  }
  KubeConnection connection;
  connection.server_ = std::move(server).value();
  connection.description_ = "API URL " + connection.server_;
  return Result<KubeConnection>::Ok(std::move(connection));
}

Result<KubeConnection> KubeConnection::FromKubeconfig(const std::vector<std::string>& paths,
                                                      const std::string& context,
                                                      const KubeEnvironment& environment) {
  using R = Result<KubeConnection>;
  std::vector<KubeconfigFile> files;
  for (const std::string& path : paths) {
    Result<std::string> text = ReadSmallFile(path, "kubeconfig");
    if (!text.ok()) {
      return R::Error(text.error());
    }
    files.push_back({path, std::move(text).value()});
  }
  Result<KubeconfigContext> selected = SelectKubeconfigContext(files, context);
  if (!selected.ok()) {
    return R::Error(selected.error());
  }
  const KubeconfigContext& config = selected.value();
  const std::string where = "kubeconfig context '" + config.context_name + "'";

  Result<KubeConnection> connection = ForUrl(config.server);
  if (!connection.ok()) {
    return R::Error(where + ": " + connection.error());
  }
  KubeConnection result = std::move(connection).value();
  result.namespace_ = config.namespace_name;
  result.description_ = where + " (server " + result.server_ + ")";

  Result<std::string> ca =
      PemFromInlineOrFile(config.ca_pem, config.ca_file, "certificate authority");
  Result<std::string> certificate = PemFromInlineOrFile(
      config.client_certificate_pem, config.client_certificate_file, "client certificate");
  Result<std::string> key =
      PemFromInlineOrFile(config.client_key_pem, config.client_key_file, "client key");
  for (const auto* item : {&ca, &certificate, &key}) {
    if (!item->ok()) {
      return R::Error(where + ": " + item->error());
    }
  }
  result.tls_ = {ca.value(), certificate.value(), key.value(), config.insecure_skip_tls_verify};
  if (Result<bool> valid = ValidateTlsMaterial(result.tls_); !valid.ok()) {
    return R::Error(where + ": " + valid.error());
  }

  if (!config.token.empty()) {
    result.token_ = BearerTokenSource::Fixed(config.token);
  } else if (!config.token_file.empty()) {
    auto token = BearerTokenSource::FromFile(config.token_file, environment.token_refresh);
    if (!token.ok()) {
      return R::Error(where + ": " + token.error());
    }
    result.token_ = token.value();
  }
  return R::Ok(std::move(result));
}

Result<KubeConnection> KubeConnection::InCluster(const KubeEnvironment& environment) {
  using R = Result<KubeConnection>;
  const std::string host = environment.get_env("KUBERNETES_SERVICE_HOST").value_or("");
  const std::string port = environment.get_env("KUBERNETES_SERVICE_PORT").value_or("443");
  if (host.empty()) {
    return R::Error("not in a cluster: KUBERNETES_SERVICE_HOST is not set");
  }
  // An IPv6 service address needs brackets in a URL.
  const std::string authority =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
  Result<KubeConnection> connection = ForUrl("https://" + authority);
  if (!connection.ok()) {
    return R::Error("in-cluster: " + connection.error());
  }
  KubeConnection result = std::move(connection).value();
  result.description_ = "in-cluster service account (server " + result.server_ + ")";

  const std::string& dir = environment.service_account_dir;
  Result<std::string> ca = ReadSmallFile(dir + "/ca.crt", "service account CA");
  if (!ca.ok()) {
    return R::Error("in-cluster: " + ca.error());
  }
  result.tls_.ca_pem = std::move(ca).value();
  if (Result<bool> valid = ValidateTlsMaterial(result.tls_); !valid.ok()) {
    return R::Error("in-cluster: " + valid.error());
  }
  auto token = BearerTokenSource::FromFile(dir + "/token", environment.token_refresh);
  if (!token.ok()) {
    return R::Error("in-cluster: " + token.error());
  }
  result.token_ = token.value();
  // The namespace file is optional: without it, callers must name a namespace.
  if (Result<std::string> ns = ReadSmallFile(dir + "/namespace", "namespace"); ns.ok()) {
    std::string text = ns.value();
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.pop_back();
    }
    result.namespace_ = text;
  }
  return R::Ok(std::move(result));
}

Result<KubeConnection> KubeConnection::Resolve(const KubeConnectionOptions& options,
                                               const KubeEnvironment& environment) {
  if (!options.api_url.empty()) {
    return ForUrl(options.api_url);
  }
  if (!options.kubeconfig.empty()) {
    return FromKubeconfig({options.kubeconfig}, options.context, environment);
  }
  if (auto list = environment.get_env("KUBECONFIG"); list && !list->empty()) {
    // As kubectl does, files named in $KUBECONFIG that do not exist are skipped.
    std::vector<std::string> existing;
    for (const std::string& path : SplitPathList(*list)) {
      if (std::filesystem::exists(path)) {
        existing.push_back(path);
      }
    }
    if (existing.empty()) {
      return Result<KubeConnection>::Error("none of the files in KUBECONFIG (" + *list +
                                           ") exists");
    }
    return FromKubeconfig(existing, options.context, environment);
  }
  if (!environment.get_env("KUBERNETES_SERVICE_HOST").value_or("").empty()) {
    return InCluster(environment);
  }
  if (auto home = environment.get_env("HOME"); home && !home->empty()) {
    const std::string path = *home + "/.kube/config";
    if (std::filesystem::exists(path)) {
      return FromKubeconfig({path}, options.context, environment);
    }
  }
  return Result<KubeConnection>::Error(
      "no Kubernetes API configured: give an API URL or a kubeconfig, set KUBECONFIG, or run in a "
      "pod with a service account");
}

web::http::client::http_client KubeConnection::MakeClient(
    std::chrono::milliseconds read_timeout) const {
  web::http::client::http_client_config config;
  config.set_timeout(read_timeout);
  config.set_validate_certificates(!tls_.insecure_skip_verify);
  if (!tls_.ca_pem.empty() || !tls_.client_certificate_pem.empty()) {
    TlsMaterial tls = tls_;
    config.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& context) { ApplyTls(tls, context); });
  }
  return web::http::client::http_client(server_, config);
}

std::string KubeConnection::AuthorizationHeader() const {
  if (token_ == nullptr) {
    return "";
  }
  return "Bearer " + token_->Token();
}

void KubeConnection::Authorize(web::http::http_request& request) const {
  if (std::string header = AuthorizationHeader(); !header.empty()) {
    request.headers().add(web::http::header_names::authorization, header);
  }
}

}  // namespace sidecar::kube
