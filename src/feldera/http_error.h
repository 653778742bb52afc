// An ApiError as the HTTP answer the service sends: its status, its JSON body, and Retry-After
// when it has one. The only place an ApiError becomes a cpprestsdk response; kept apart from
// api_error.h so that the pure rules never see HTTP types.
#pragma once

#include <cpprest/http_msg.h>

#include "feldera/api_error.h"

namespace sidecar {

web::http::http_response ToHttpResponse(const ApiError& error);

}  // namespace sidecar
