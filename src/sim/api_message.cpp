#include "sim/api_message.h"

#include <algorithm>
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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A query key or value: '+' is a space, then percent-decoding.
std::string FormDecode(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  return PercentDecode(spaced);
}

}  // namespace

std::optional<std::string> ApiRequest::Param(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string PercentDecode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      decoded += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
      continue;
    }
    decoded += text[i];
  }
  return decoded;
}

ApiRequest ParseRequestTarget(std::string method, std::string_view target) {
  ApiRequest request;
  request.method = std::move(method);
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  for (std::string_view segment : Split(path, '/')) {
    if (!segment.empty()) request.path.push_back(PercentDecode(segment));
  }
  request.query_string = std::string(query);
  if (!query.empty()) {
    for (std::string_view pair : Split(query, '&')) {
      if (pair.empty()) continue;
      const size_t equals = pair.find('=');
      const std::string key = FormDecode(pair.substr(0, equals));
      const std::string value =
          equals == std::string_view::npos ? "" : FormDecode(pair.substr(equals + 1));
      request.query.emplace(key, value);
    }
  }
  return request;
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
