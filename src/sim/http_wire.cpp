#include "sim/http_wire.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace sidecar::sim {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> Lines(std::string_view head) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= head.size()) {
    size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    lines.push_back(head.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

Result<RequestHead> ParseRequestHead(std::string_view head) {
  using R = Result<RequestHead>;
  const std::vector<std::string_view> lines = Lines(head);
  const std::string_view request_line = lines.front();
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  if (first_space == std::string_view::npos || last_space == first_space) {
    return R::Error("malformed request line");
  }
  RequestHead parsed;
  parsed.method = std::string(request_line.substr(0, first_space));
  parsed.target = std::string(request_line.substr(first_space + 1, last_space - first_space - 1));
  const std::string_view version = request_line.substr(last_space + 1);
  if (parsed.method.empty() || parsed.target.empty() || parsed.target.front() != '/' ||
      version.rfind("HTTP/1.", 0) != 0) {
    return R::Error("malformed request line");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const size_t colon = lines[i].find(':');
    if (colon == std::string_view::npos || colon == 0) return R::Error("malformed header");
    const std::string name = Lower(TrimSpaces(lines[i].substr(0, colon)));
    const std::string_view value = TrimSpaces(lines[i].substr(colon + 1));
    if (name == "content-length") {
      const auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), parsed.content_length);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        return R::Error("malformed Content-Length");
      }
    } else if (name == "transfer-encoding") {
      return R::Error("chunked bodies are not taken");
    }
  }
  return R::Ok(std::move(parsed));
}

std::string SerializeResponse(const ApiResponse& response) {
  std::string content_type = "application/json";
  std::string body;
  if (response.raw_body) {
    content_type = response.raw_content_type;
    body = *response.raw_body;
  } else {
    body = response.body.serialize();
  }
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + ReasonPhrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (!content_type.empty()) out += "Content-Type: " + content_type + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return out + body;
}

}  // namespace sidecar::sim
