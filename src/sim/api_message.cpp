#include "sim/api_message.h"

#include <cpprest/base_uri.h>

#include <charconv>

namespace sidecar::sim {
namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Throws web::uri_exception on a malformed escape.
std::string Decode(std::string_view text) {
  return web::uri::decode(std::string(text));
}

}  // namespace

std::optional<std::string> ApiRequest::Param(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Result<ApiRequest> ParseRequestTarget(std::string method, std::string_view target) {
  ApiRequest request;
  request.method = std::move(method);
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  try {
    for (std::string_view segment : Split(path, '/')) {
      if (!segment.empty()) request.path.push_back(Decode(segment));
    }
    if (!query.empty()) {
      for (std::string_view pair : Split(query, '&')) {
        if (pair.empty()) continue;
        const size_t equals = pair.find('=');
        const std::string key = Decode(pair.substr(0, equals));
        const std::string value =
            equals == std::string_view::npos ? "" : Decode(pair.substr(equals + 1));
        request.query.emplace(key, value);
      }
    }
  } catch (const std::exception&) {
    return Result<ApiRequest>::Error("malformed percent-encoding in the request target");
  }
  return Result<ApiRequest>::Ok(std::move(request));
}

std::optional<bool> ParseBoolValue(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

std::optional<uint64_t> ParseUintValue(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace sidecar::sim
