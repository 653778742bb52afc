// Where a pipeline's API lives relative to its base URL. The base is either the pipeline process
// itself (`http://{pod}:8080`) or Feldera's API server for the pipeline
// (`{manager}/v0/pipelines/{name}`). Both serve /stats, /completion_status and /ingress/{table}
// alike, but name an input connector's completion_token differently. Pure functions.
#pragma once

#include <string>

namespace sidecar {

enum class PipelineBase {
  kProcess,  // the pipeline process: /input_endpoints/{table}.{connector}/completion_token
  kManager,  // Feldera's API server: /tables/{table}/connectors/{connector}/completion_token
};

// kManager when the URL's path ends in /v0/pipelines/{name} (a trailing slash allowed).
PipelineBase PipelineBaseOf(const std::string& base_url);

// The base URL of a pipeline pod: `{scheme}://{ip}:{port}`, an IPv6 address in brackets.
std::string PodPipelineUrl(const std::string& scheme, const std::string& ip, int port);

// POST target for ingress into `table`: passed on as the client named it, since the pipeline
// resolves the table itself (as Feldera's API server does, which forwards it unchanged).
std::string IngressTarget(const std::string& table);

// GET target for a connector's completion token. For the process, `table` is first brought to
// Feldera's canonical form (unquoted: lower case; quoted: as written), as the API server does
// before it names the endpoint `{table}.{connector}`; the API server does that itself.
std::string CompletionTokenTarget(PipelineBase base, const std::string& table,
                                  const std::string& connector);

}  // namespace sidecar
