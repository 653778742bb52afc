#include "sim/fault_answer.h"

#include <string>

#include "sim/error_response.h"

namespace sidecar::sim {
namespace {

using web::json::value;

std::string HtmlErrorPage(int status) {
  const std::string code = std::to_string(status);
  return "<html><head><title>" + code + "</title></head><body><h1>" + code +
         "</h1><p>simulated fault: this is not JSON</p></body></html>\n";
}

// Each is valid JSON that a careless reader could take for the real answer.
value WrongShapeBody(PipelineRequestKind request) {
  value body = value::object();
  switch (request) {
    case PipelineRequestKind::kCompletionStatus:
      body["status"] = value::string("Complete");  // Feldera's word is "complete"
      body["step"] = value::string("7");
      break;
    case PipelineRequestKind::kStats: {
      value global = value::object();
      global["state"] = value::string("Running");
      global["incarnation_uuid"] = value::number(7);
      global["total_completed_steps"] = value::string("7");
      body["global_metrics"] = std::move(global);
      body["inputs"] = value::object();
      break;
    }
    case PipelineRequestKind::kIngress:
    case PipelineRequestKind::kCompletionToken:
      body["token"] = value::number(7);
      break;
  }
  return body;
}

}  // namespace

ApiResponse FaultAnswer(const Fault& fault, PipelineRequestKind request) {
  switch (fault.kind) {
    case FaultKind::kError:
      return InjectedFaultError(fault.status);
    case FaultKind::kNonJson: {
      ApiResponse answer{fault.status, value::null()};
      answer.raw_body = HtmlErrorPage(fault.status);
      return answer;
    }
    case FaultKind::kWrongShape:
      return ApiResponse{fault.status, WrongShapeBody(request)};
    case FaultKind::kReset: {
      ApiResponse answer;
      answer.reset_connection = true;
      return answer;
    }
  }
  return InjectedFaultError(fault.status);
}

}  // namespace sidecar::sim
