// ConfigError: why a configuration cannot be used, as the one line start-up prints. Reading a
// configuration throws it at the first bad key or value; ParseConfigYaml and ConfigFromArgs
// return it as their error.
#pragma once

#include <string>

namespace sidecar {

struct ConfigError {
  std::string line;
};

// A value `key` cannot take: "config: KEY: 'VALUE' is not allowed; expected ALLOWED".
[[noreturn]] inline void RejectValue(const std::string& key, const std::string& value,
                                     const std::string& allowed) {
  throw ConfigError{"config: " + key + ": '" + value + "' is not allowed; expected " + allowed};
}

}  // namespace sidecar
