#include "config/config_reference.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sidecar {
namespace {

// The table of README.md's "Configuration reference": its lines from the header row on.
std::string ReadmeTable() {
  std::ifstream in(SIDECAR_README);
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t section = readme.find("\n## Configuration reference\n");
  if (section == std::string::npos) return "";
  size_t line = readme.find("\n| key |", section);
  const size_t next_section = readme.find("\n## ", section + 1);
  if (line == std::string::npos || line > next_section) return "";
  std::string table;
  for (++line; line < readme.size() && readme[line] == '|';) {
    const size_t end = readme.find('\n', line);
    table += readme.substr(line, end - line) + "\n";
    if (end == std::string::npos) break;
    line = end + 1;
  }
  return table;
}

TEST(ConfigReference, ReadmeTableIsTheSchemas) {
  const std::string expected = ConfigReferenceTable();
  const std::string readme = ReadmeTable();
  EXPECT_TRUE(readme == expected)
      << "README.md's configuration table is not the config schema's "
         "(src/config/config_schema.cpp). Replace the table under \"## Configuration reference\" "
         "with:\n\n"
      << expected;
}

}  // namespace
}  // namespace sidecar
