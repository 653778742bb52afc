// SimOptions: the simulator's command line, parsed and validated.
//
//   feldera-sim --listen HOST:PORT [--tables t1,t2] [--connectors t1.c1,t2.kafka]
//               [--step-interval-ms 20] [--step-delay-ms 200] [--manager NAME]
//               [--tls-cert FILE --tls-key FILE] [--control-listen HOST:PORT]
//
// HOST:PORT is an IPv4 address or host name, or [::1] (listen_address.h). Table names are the
// tables' canonical SQL names: lower case for a table declared without quotes, any case for one
// declared in double quotes.
//
// Pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sim/listen_address.h"

namespace sidecar::sim {

// The connector name of the HTTP ingress endpoint every table has.
inline constexpr char kIngressConnector[] = "api-ingress";

struct SimOptions {
  ListenAddress listen;
  std::vector<std::string> tables{"numbers"};
  std::vector<std::string> connectors;  // "table.connector", each naming one of `tables`
  std::chrono::milliseconds step_interval{20};
  std::chrono::milliseconds step_delay{200};
  // Manager mode: serve this pipeline as Feldera's API server would (frontend.h); empty: process
  // mode.
  std::string manager_pipeline;
  // PEM files; both or neither. With them every listener speaks https.
  std::string tls_cert_file;
  std::string tls_key_file;
  // A second listener serving only the control API, which stays open while the pipeline's is
  // closed (/sim/down, /sim/stop in process mode).
  std::optional<ListenAddress> control_listen;

  bool tls() const { return !tls_cert_file.empty(); }
};

// Parses the arguments after the program name. The error is one line naming the bad argument.
Result<SimOptions> ParseSimOptions(const std::vector<std::string>& args);

// The input endpoint names in id order: "table.api-ingress" for every table, then the connectors.
std::vector<std::string> InputEndpointNames(const SimOptions& options);

}  // namespace sidecar::sim
