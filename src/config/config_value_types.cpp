#include "config/config_value_types.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>

#include "config/config_error.h"

namespace sidecar {
namespace {

int64_t ParseInteger(const std::string& key, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    RejectValue(key, text, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

bool IsBaseUrl(const std::string& url) {
  for (const std::string scheme : {"http://", "https://"}) {
    if (url.rfind(scheme, 0) == 0) return url.size() > scheme.size() && url[scheme.size()] != '/';
  }
  return false;
}

// A pipeline name as Feldera allows it: letters, digits, '_' and '-', at most 100 characters.
bool IsPipelineName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

void Append(std::vector<StaticPipeline>& pipelines, const std::string& key, const std::string& name,
            const std::string& url) {
  if (!IsPipelineName(name))
    RejectValue(key + ".name", name, "1 to 100 letters, digits, '_' or '-'");
  if (!IsBaseUrl(url)) RejectValue(key + ".url", url, "an http:// or https:// base URL");
  for (const auto& p : pipelines) {
    if (p.name == name) RejectValue(key + ".name", name, "a name not given twice");
  }
  std::string base = url;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  pipelines.push_back({name, base});
}

}  // namespace

std::string NodeText(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsSequence()) return "<list>";
  if (node.IsMap()) return "<map>";
  return "<null>";
}

std::string ReadString(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) RejectValue(key, NodeText(node), "a string");
  return node.Scalar();
}

int64_t ReadInteger(const YAML::Node& node, const std::string& key, int64_t min, int64_t max) {
  if (!node.IsScalar()) RejectValue(key, NodeText(node), "an integer");
  return ParseInteger(key, node.Scalar(), min, max);
}

size_t ReadOneOf(const YAML::Node& node, const std::string& key,
                 const std::vector<std::string>& allowed) {
  const std::string value = ReadString(node, key);
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (value == allowed[i]) return i;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
  RejectValue(key, value, "one of " + list);
}

ValueType Text(FieldOf<std::string> field, std::string description) {
  return {
      std::move(description), "TEXT",
      [field = std::move(field)](Config& config, const YAML::Node& value, const std::string& key) {
        field(config) = ReadString(value, key);
      }};
}

ValueType Url(FieldOf<std::string> field) {
  return {
      "`http://` or `https://` URL", "URL",
      [field = std::move(field)](Config& config, const YAML::Node& value, const std::string& key) {
        const std::string url = ReadString(value, key);
        if (!url.empty() && !IsBaseUrl(url)) {
          RejectValue(key, url, "an http:// or https:// URL");
        }
        field(config) = url;
      }};
}

ValueType OneOf(const std::vector<std::string>& words, FieldOf<std::string> field) {
  std::vector<std::pair<std::string, std::string>> choices;
  choices.reserve(words.size());
  for (const auto& word : words) choices.emplace_back(word, word);
  return Choice(std::move(choices), std::move(field));
}

ValueType Address(std::function<void(Config&, const ListenAddress&)> set) {
  return {"`HOST:PORT`", "HOST:PORT",
          [set = std::move(set)](Config& config, const YAML::Node& value, const std::string& key) {
            const std::string text = ReadString(value, key);
            const size_t colon = text.rfind(':');
            if (colon == std::string::npos || colon == 0) RejectValue(key, text, "HOST:PORT");
            set(config, {text.substr(0, colon),
                         static_cast<int>(ParseInteger(key, text.substr(colon + 1), 1, 65535))});
          }};
}

ValueType PipelineList(FieldOf<std::vector<StaticPipeline>> field) {
  return {
      "list of `{name, url}`", "",
      [field = std::move(field)](Config& config, const YAML::Node& list, const std::string& key) {
        if (!list.IsSequence()) RejectValue(key, NodeText(list), "a list of {name, url}");
        for (size_t i = 0; i < list.size(); ++i) {
          const std::string item = key + "[" + std::to_string(i) + "]";
          if (!list[i].IsMap()) RejectValue(item, NodeText(list[i]), "a map");
          for (const auto& entry : list[i]) {
            const std::string name = entry.first.Scalar();
            if (name != "name" && name != "url") {
              throw ConfigError{"config: unknown key '" + item + "." + name +
                                "'; known keys here: name, url"};
            }
          }
          if (!list[i]["name"] || !list[i]["url"]) {
            RejectValue(item, "<incomplete>", "both name and url");
          }
          Append(field(config), item, ReadString(list[i]["name"], item + ".name"),
                 ReadString(list[i]["url"], item + ".url"));
        }
      }};
}

std::function<void(Config&, const std::string&, const std::string&)> AddPipeline(
    FieldOf<std::vector<StaticPipeline>> field) {
  return [field = std::move(field)](Config& config, const std::string& value,
                                    const std::string& flag) {
    const size_t eq = value.find('=');
    if (eq == std::string::npos) RejectValue(flag, value, "NAME=URL");
    Append(field(config), flag, value.substr(0, eq), value.substr(eq + 1));
  };
}

}  // namespace sidecar
