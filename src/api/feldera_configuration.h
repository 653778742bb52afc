// The service's own answer to GET /v0/config when no Feldera API server is configured: a
// `Configuration` object with every field Feldera's OpenAPI marks required, so that Feldera's
// SDKs (which fetch it when they connect) work unchanged against the service. The required set
// follows Feldera's openapi.json (tests/fixtures/feldera/openapi-excerpt.json), which tests check
// this object against.
#pragma once

#include <cpprest/json.h>

namespace sidecar {

web::json::value OwnFelderaConfiguration();

}  // namespace sidecar
