#include "support/http.h"

#include <cpprest/http_client.h>

#include <algorithm>

namespace sidecar::testing {

web::json::value HttpResult::Json() const {
  try {
    return web::json::value::parse(body);
  } catch (const std::exception&) {
    return web::json::value::null();
  }
}

std::string HttpResult::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

HttpResult HttpCall(const std::string& method, const std::string& url, const std::string& body,
                    const std::map<std::string, std::string>& headers,
                    std::chrono::milliseconds timeout, const std::string& ca_file) {
  HttpResult result;
  try {
    web::http::client::http_client_config config;
    config.set_timeout(timeout);
    if (!ca_file.empty()) {
      config.set_ssl_context_callback(
          [ca_file](boost::asio::ssl::context& context) { context.load_verify_file(ca_file); });
    }
    web::uri uri(url);
    web::http::client::http_client client(web::uri_builder(uri).set_path("").set_query("").to_uri(),
                                          config);
    web::http::http_request request(method);
    request.set_request_uri(uri.resource());
    for (const auto& [name, value] : headers) request.headers().add(name, value);
    if (!body.empty() || method == "POST" || method == "PUT") request.set_body(body);
    web::http::http_response response = client.request(request).get();
    result.status = response.status_code();
    result.body = response.extract_utf8string(true).get();
    for (const auto& [name, value] : response.headers()) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      result.headers[lower] = value;
    }
  } catch (const std::exception& e) {
    result.status = 0;
    result.error = e.what();
  }
  return result;
}

}  // namespace sidecar::testing
