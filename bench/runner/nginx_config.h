// The configuration of the private nginx the benchmark runs as the machine's ceiling: one
// process, loopback only, every file under its own prefix directory, `return 200` of a fixed
// body. Pure function, safe from any thread.
#pragma once

#include <string>

namespace sidecar::bench {

struct NginxSite {
  std::string prefix_dir;  // pid file, logs and temporary files go here
  int port = 0;
  std::string body;  // JSON; must not hold a quote ' or a $ (nginx would read a variable)
};

// The text of nginx.conf for `site`.
std::string NginxConfig(const NginxSite& site);

}  // namespace sidecar::bench
