// The README's configuration table, rendered from the config schema (config_schema.h): one row per
// key — its name, default, type and meaning, with the flag that also sets it. A unit test holds
// README.md to this rendering, so the table never drifts from what the service reads.
#pragma once

#include <string>

namespace sidecar {

// The Markdown table, header included, one line per row, each ending in a newline.
std::string ConfigReferenceTable();

}  // namespace sidecar
