#include "runner/nginx_config.h"

namespace sidecar::bench {

std::string NginxConfig(const NginxSite& site) {
  const std::string& dir = site.prefix_dir;
  std::string config;
  // One process that serves (no master and workers), so that stopping it by PID stops all.
  config += "daemon off;\nmaster_process off;\n";
  config += "pid " + dir + "/nginx.pid;\n";
  config += "error_log " + dir + "/error.log warn;\n";
  config += "events { worker_connections 8192; }\n";
  config += "http {\n";
  config += "  access_log off;\n";
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    config += "  " + std::string(temp) + "_temp_path " + dir + "/" + temp + ";\n";
  }
  // nginx closes a keep-alive connection after 1,000 requests by default; cpprestsdk never does.
  config += "  keepalive_requests 100000000;\n";
  config += "  server {\n";
  config += "    listen 127.0.0.1:" + std::to_string(site.port) + ";\n";
  config += "    default_type application/json;\n";
  config += "    location / { return 200 '" + site.body + "'; }\n";
  config += "  }\n";
  config += "}\n";
  return config;
}

}  // namespace sidecar::bench
