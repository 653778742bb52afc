#include "config/config_schema.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace sidecar {
namespace {

TEST(ConfigSchema, EachKeyAndFlagIsDeclaredOnceAndDescribed) {
  std::set<std::string> names;
  std::set<std::string> flags;
  for (const ConfigKey& key : ConfigSchema()) {
    EXPECT_TRUE(names.insert(key.name).second) << key.name << " is declared twice";
    if (!key.flag.empty()) {
      EXPECT_TRUE(flags.insert(key.flag).second) << key.flag << " sets two keys";
    }
    EXPECT_FALSE(key.help.empty()) << key.name;
    EXPECT_FALSE(key.type.description.empty()) << key.name;
    EXPECT_TRUE(key.type.set) << key.name;
    EXPECT_EQ(FindConfigKey(key.name), &key);
  }
  EXPECT_EQ(FindConfigKey("pipelines"), nullptr);  // a section, not a key
  EXPECT_EQ(FindConfigFlag("--listen"), FindConfigKey("listen"));
}

// Config's member initialisers, which code building a Config by hand relies on, are the schema's
// defaults: each key's default, read into a default Config, changes nothing.
TEST(ConfigSchema, ConfigsInitialisersAreTheSchemasDefaults) {
  for (const ConfigKey& key : ConfigSchema()) {
    if (key.default_value.empty()) continue;
    Config config;
    key.type.set(config, YAML::Load(key.default_value), key.name);
    EXPECT_TRUE(config == Config{})
        << key.name << ": Config's initialiser is not the schema's " << key.default_value;
  }
  EXPECT_TRUE(DefaultConfig() == Config{});
}

// Every key is read from the file by its dotted name, and its default is a value it allows.
TEST(ConfigSchema, EveryKeyIsReadFromTheFileByItsDottedName) {
  for (const ConfigKey& key : ConfigSchema()) {
    if (key.default_value.empty()) continue;
    YAML::Node root(YAML::NodeType::Map);
    YAML::Node node = root;
    std::string rest = key.name;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) {
      YAML::Node child = node[rest.substr(0, dot)];
      child = YAML::Node(YAML::NodeType::Map);
      node.reset(child);
    }
    node[rest] = YAML::Load(key.default_value);
    const auto parsed = ParseConfigYaml(YAML::Dump(root));
    EXPECT_TRUE(parsed.ok()) << key.name << ": " << parsed.error();
  }
}

}  // namespace
}  // namespace sidecar
