// The config schema: every key of the config file, declared once — its dotted name, the values it
// takes, its default and what it means, with the flag or environment variable that also set it —
// and bound to the Config field it sets. Reading the file, --set and the flags (config.cpp), the
// unknown-key check, the check of each value, the usage and the README's configuration table
// (config_reference.h) all come from it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"

namespace YAML {
class Node;
}

namespace sidecar {

// The values a key takes: how one is read into a Config, and how they are described.
struct ValueType {
  std::string description;  // for the README: "integer 50–600000", "`text` or `json`"
  std::string syntax;       // for the usage: "N", "HOST:PORT", "text|json"
  // Sets the field from `value` (a node of the file, or a flag's text as a scalar). A value that
  // is not allowed throws ConfigError (config_error.h) naming `key`: the key, or the flag given.
  std::function<void(Config&, const YAML::Node& value, const std::string& key)> set;
};

// One key of the config file: everything the service and its README say about it.
struct ConfigKey {
  std::string name;  // dotted, as in the file: "limits.max_body_bytes"
  ValueType type;
  std::string default_value;  // as the file would say it (YAML); empty: the field's empty value
  std::string help;           // what it means, for the README
  std::string flag = "";      // a flag that sets it ("--listen"); every key has --set KEY=VALUE
  // A flag whose value is not the key's (--pipeline NAME=URL adds one of pipelines.static), with
  // its syntax for the usage; none: the flag's value is read as the key's.
  std::function<void(Config&, const std::string& value, const std::string& flag)> from_flag =
      nullptr;
  std::string flag_syntax = "";
  std::string env = "";            // an environment variable ConfigFromArgs takes as the default
  std::string shown_default = "";  // the README's default when no value says it ("own namespace")
};

// Every key, in the README's order.
const std::vector<ConfigKey>& ConfigSchema();

// The key named `name` (dotted), or the one set by `flag`; null when there is none.
const ConfigKey* FindConfigKey(const std::string& name);
const ConfigKey* FindConfigFlag(const std::string& flag);

// Every key at its schema default (environment variables are not read).
Config DefaultConfig();

}  // namespace sidecar
