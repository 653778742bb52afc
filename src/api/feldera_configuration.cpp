#include "api/feldera_configuration.h"

namespace sidecar {

using web::json::value;

web::json::value OwnFelderaConfiguration() {
  value build = value::object();
  // BuildInformation: nine required strings. The Rust-specific ones do not apply here.
  build["build_timestamp"] = value::string(__DATE__ " " __TIME__);
  build["build_cpu"] = value::string(SIDECAR_BUILD_CPU);
  build["build_os"] = value::string(SIDECAR_BUILD_OS);
  build["cargo_dependencies"] = value::string("");
  build["cargo_features"] = value::string("");
  build["cargo_debug"] = value::string("false");
  build["cargo_opt_level"] = value::string("");
  build["cargo_target_triple"] = value::string("");
  build["rustc_version"] = value::string("");

  value config = value::object();
  // Analytics and onboarding keys of Feldera's web console: empty means disabled.
  config["posthog"] = value::string("");
  config["conceptualhq"] = value::string("");
  config["product_fruits"] = value::string("");
  // Feldera's Python SDK accepts only "Open source" or "Enterprise" here.
  config["edition"] = value::string("Open source");
  config["version"] = value::string(SIDECAR_VERSION);
  config["revision"] = value::string("completion-sidecar");
  config["runtime_revision"] = value::string("");
  config["changelog_url"] = value::string("");
  config["build_info"] = build;
  // "ci" for Feldera's release builds, "source" for any other.
  config["build_source"] = value::string("source");
  config["license_validity"] = value::null();
  config["update_info"] = value::null();
  config["unstable_features"] = value::null();
  return config;
}

}  // namespace sidecar
