#include "config/config_reference.h"

#include "config/config_schema.h"

namespace sidecar {
namespace {

std::string Code(const std::string& text) {
  return "`" + text + "`";
}

std::string DefaultColumn(const ConfigKey& key) {
  if (!key.shown_default.empty()) return key.shown_default;
  if (!key.env.empty()) return Code("$" + key.env);
  if (key.default_value.empty()) return "empty";
  return Code(key.default_value);
}

std::string MeaningColumn(const ConfigKey& key) {
  if (key.flag.empty()) return key.help;
  const std::string flag = key.from_flag ? key.flag + " " + key.flag_syntax : key.flag;
  return key.help + " (flag " + Code(flag) + ")";
}

}  // namespace

std::string ConfigReferenceTable() {
  std::string table = "| key | default | type | meaning |\n|---|---|---|---|\n";
  for (const ConfigKey& key : ConfigSchema()) {
    table += "| " + Code(key.name) + " | " + DefaultColumn(key) + " | " + key.type.description +
             " | " + MeaningColumn(key) + " |\n";
  }
  return table;
}

}  // namespace sidecar
