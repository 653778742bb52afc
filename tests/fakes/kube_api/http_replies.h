// Answers in the API server's format: JSON bodies, and every error as a `Status` object.
//
// Safe from any thread; each call replies to one request once.
#pragma once

#include <cpprest/http_msg.h>
#include <cpprest/json.h>

#include "fakes/kube_api/api_error.h"

namespace sidecar::testing::kubefake {

void ReplyJson(const web::http::http_request& request, web::http::status_code status,
               const web::json::value& body);

// The error's Status, with a Retry-After header when `retry_after_seconds` is positive.
void ReplyError(const web::http::http_request& request, const ApiError& error,
                int retry_after_seconds = 0);

}  // namespace sidecar::testing::kubefake
