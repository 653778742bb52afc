// SimOptions: the simulator's command line, parsed and validated.
//
//   feldera-sim --listen 127.0.0.1:PORT [--tables t1,t2] [--connectors t1.c1,t2.kafka]
//               [--step-interval-ms 20] [--step-delay-ms 200]
//
// Pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace sidecar::sim {

// The connector name of the HTTP ingress endpoint every table has.
inline constexpr char kIngressConnector[] = "api-ingress";

struct SimOptions {
  std::string host;
  int port = 0;
  std::vector<std::string> tables{"numbers"};
  std::vector<std::string> connectors;  // "table.connector", each naming one of `tables`
  std::chrono::milliseconds step_interval{20};
  std::chrono::milliseconds step_delay{200};
};

// Parses the arguments after the program name. The error is one line naming the bad argument.
Result<SimOptions> ParseSimOptions(const std::vector<std::string>& args);

// The input endpoint names in id order: "table.api-ingress" for every table, then the connectors.
std::vector<std::string> InputEndpointNames(const SimOptions& options);

}  // namespace sidecar::sim
