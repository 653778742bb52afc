#include "feldera/pipeline_paths.h"

#include <cpprest/base_uri.h>

#include "feldera/sql_identifier.h"

namespace sidecar {
namespace {

std::string Encode(const std::string& segment) {
  return web::uri::encode_data_string(segment);
}

}  // namespace

PipelineBase PipelineBaseOf(const std::string& base_url) {
  std::string path;
  try {
    path = web::uri(base_url).path();
  } catch (const std::exception&) {
    return PipelineBase::kProcess;
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t name_start = path.rfind('/');
  if (name_start == std::string::npos || name_start + 1 == path.size()) {
    return PipelineBase::kProcess;
  }
  const std::string prefix = path.substr(0, name_start);
  const std::string kPipelines = "/v0/pipelines";
  return prefix.ends_with(kPipelines) ? PipelineBase::kManager : PipelineBase::kProcess;
}

std::string PodPipelineUrl(const std::string& scheme, const std::string& ip, int port) {
  const bool ipv6 = ip.find(':') != std::string::npos;
  return scheme + "://" + (ipv6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string IngressTarget(const std::string& table) {
  return "/ingress/" + Encode(table);
}

std::string CompletionTokenTarget(PipelineBase base, const std::string& table,
                                  const std::string& connector) {
  if (base == PipelineBase::kManager) {
    return "/tables/" + Encode(table) + "/connectors/" + Encode(connector) + "/completion_token";
  }
  return "/input_endpoints/" + Encode(feldera::CanonicalSqlIdentifier(table) + "." + connector) +
         "/completion_token";
}

}  // namespace sidecar
