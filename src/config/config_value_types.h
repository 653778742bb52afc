// The kinds of value a config key takes — text, a URL, an integer in a range, one of a few words,
// HOST:PORT, the list of static pipelines — each made a ValueType bound to a Config field: how a
// value is read and checked, and how the allowed values are described. A kind words its errors
// the same whatever the key ("an integer from 50 to 600000", "one of text | json").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/config_schema.h"

namespace sidecar {

// A Config field, reached from a Config.
template <typename T>
using FieldOf = std::function<T&(Config&)>;

template <typename T>
FieldOf<T> Field(T Config::*member) {
  return [member](Config& config) -> T& { return config.*member; };
}

template <typename Section, typename T>
FieldOf<T> Field(Section Config::*section, T Section::*member) {
  return [section, member](Config& config) -> T& { return (config.*section).*member; };
}

// The text of a node, for errors: its scalar, or what it is instead.
std::string NodeText(const YAML::Node& node);

// Readers of one value, throwing ConfigError naming `key`.
std::string ReadString(const YAML::Node& node, const std::string& key);
int64_t ReadInteger(const YAML::Node& node, const std::string& key, int64_t min, int64_t max);
// The index in `allowed` of the node's text.
size_t ReadOneOf(const YAML::Node& node, const std::string& key,
                 const std::vector<std::string>& allowed);

// Any text; `description` says what it is ("string", "file path", ...).
ValueType Text(FieldOf<std::string> field, std::string description = "string");

// Empty, or an http:// or https:// URL.
ValueType Url(FieldOf<std::string> field);

// An integer from `min` to `max`.
template <typename T>
ValueType Integer(int64_t min, int64_t max, FieldOf<T> field) {
  return {"integer " + std::to_string(min) + "–" + std::to_string(max), "N",
          [min, max, field = std::move(field)](Config& config, const YAML::Node& value,
                                               const std::string& key) {
            field(config) = static_cast<T>(ReadInteger(value, key, min, max));
          }};
}

// One of the words of `choices`, each standing for a value of the field.
template <typename T>
ValueType Choice(std::vector<std::pair<std::string, T>> choices, FieldOf<T> field) {
  std::vector<std::string> words;
  words.reserve(choices.size());
  for (const auto& choice : choices) words.push_back(choice.first);
  std::string description;
  std::string syntax;
  for (size_t i = 0; i < words.size(); ++i) {
    description += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + ("`" + words[i] + "`");
    syntax += (i == 0 ? "" : "|") + words[i];
  }
  return {description, syntax,
          [words = std::move(words), choices = std::move(choices), field = std::move(field)](
              Config& config, const YAML::Node& value, const std::string& key) {
            field(config) = choices[ReadOneOf(value, key, words)].second;
          }};
}

// One of `words`, kept as the word.
ValueType OneOf(const std::vector<std::string>& words, FieldOf<std::string> field);

// HOST:PORT.
ValueType Address(std::function<void(Config&, const ListenAddress&)> set);

// A list of {name, url}: pipelines by URL.
ValueType PipelineList(FieldOf<std::vector<StaticPipeline>> field);
// One more pipeline of that list, given as NAME=URL (the --pipeline flag).
std::function<void(Config&, const std::string&, const std::string&)> AddPipeline(
    FieldOf<std::vector<StaticPipeline>> field);

}  // namespace sidecar
