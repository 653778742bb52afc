#include "fakes/kube_api/selectors.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

// ---- label selector lexer (the token set of k8s.io/apimachinery/pkg/labels) ----

enum class TokenKind {
  kEnd,
  kIdentifier,
  kIn,
  kNotIn,
  kNot,
  kEquals,
  kDoubleEquals,
  kNotEquals,
  kGreater,
  kLess,
  kOpenParen,
  kCloseParen,
  kComma
};

struct Token {
  TokenKind kind;
  std::string text;
};

bool IsSpecial(char c) {
  return std::string_view("=!(),<>").find(c) != std::string_view::npos;
}

std::vector<Token> Lex(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (IsSpecial(c)) {
      const std::string_view two = text.substr(i, 2);
      if (two == "==") {
        tokens.push_back({TokenKind::kDoubleEquals, "=="});
        i += 2;
      } else if (two == "!=") {
        tokens.push_back({TokenKind::kNotEquals, "!="});
        i += 2;
      } else {
        static const std::map<char, TokenKind> kSingle = {
            {'=', TokenKind::kEquals},     {'!', TokenKind::kNot},   {'(', TokenKind::kOpenParen},
            {')', TokenKind::kCloseParen}, {',', TokenKind::kComma}, {'<', TokenKind::kLess},
            {'>', TokenKind::kGreater}};
        tokens.push_back({kSingle.at(c), std::string(1, c)});
        ++i;
      }
    } else {
      size_t end = i;
      while (end < text.size() && !IsSpecial(text[end]) &&
             !std::isspace(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
      std::string word(text.substr(i, end - i));
      const TokenKind kind = word == "in"      ? TokenKind::kIn
                             : word == "notin" ? TokenKind::kNotIn
                                               : TokenKind::kIdentifier;
      tokens.push_back({kind, std::move(word)});
      i = end;
    }
  }
  tokens.push_back({TokenKind::kEnd, ""});
  return tokens;
}

// ---- validation of label keys and values (qualified names, label values) ----

bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], at most 63 characters; empty allowed when asked.
bool IsLabelName(std::string_view text, bool allow_empty) {
  if (text.empty()) return allow_empty;
  if (text.size() > 63 || !IsAlnum(text.front()) || !IsAlnum(text.back())) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A DNS subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters.
bool IsDnsSubdomain(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  auto lower_alnum = [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  };
  if (!lower_alnum(text.front()) || !lower_alnum(text.back())) return false;
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return lower_alnum(c) || c == '-' || c == '.'; });
}

bool IsQualifiedName(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) return IsLabelName(key, false);
  return IsDnsSubdomain(key.substr(0, slash)) && IsLabelName(key.substr(slash + 1), false);
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// ---- label selector parser ----

class LabelParser {
 public:
  explicit LabelParser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<LabelSelector> Parse() {
    LabelSelector selector;
    if (Peek().kind == TokenKind::kEnd) return Result<LabelSelector>::Ok(selector);
    while (true) {
      auto requirement = ParseRequirement();
      if (!requirement.ok()) return Result<LabelSelector>::Error(requirement.error());
      selector.requirements.push_back(std::move(requirement).value());
      const Token& next = Next();
      if (next.kind == TokenKind::kEnd) return Result<LabelSelector>::Ok(selector);
      if (next.kind != TokenKind::kComma) {
        return Result<LabelSelector>::Error("found '" + next.text +
                                            "', expected: ',' or 'end of string'");
      }
    }
  }

 private:
  const Token& Peek() const { return tokens_[position_]; }
  // Never moves past the final kEnd token.
  const Token& Next() {
    const Token& token = tokens_[position_];
    if (position_ + 1 < tokens_.size()) ++position_;
    return token;
  }

  Result<LabelRequirement> ParseRequirement() {
    LabelRequirement requirement;
    bool negated = false;
    if (Peek().kind == TokenKind::kNot) {
      Next();
      negated = true;
    }
    const Token& key = Next();
    if (key.kind != TokenKind::kIdentifier) {
      return Result<LabelRequirement>::Error("found '" + key.text + "', expected: identifier");
    }
    if (!IsQualifiedName(key.text)) {
      return Result<LabelRequirement>::Error("invalid label key \"" + key.text + "\"");
    }
    requirement.key = key.text;
    const TokenKind after_key = Peek().kind;
    if (negated || after_key == TokenKind::kEnd || after_key == TokenKind::kComma) {
      if (negated && after_key != TokenKind::kEnd && after_key != TokenKind::kComma) {
        return Result<LabelRequirement>::Error("found '" + Peek().text +
                                               "', expected: ',' or 'end of string'");
      }
      requirement.op =
          negated ? LabelRequirement::Op::kDoesNotExist : LabelRequirement::Op::kExists;
      return Result<LabelRequirement>::Ok(requirement);
    }
    const Token& op = Next();
    switch (op.kind) {
      case TokenKind::kEquals:
      case TokenKind::kDoubleEquals:
        requirement.op = LabelRequirement::Op::kIn;
        return ParseSingleValue(std::move(requirement));
      case TokenKind::kNotEquals:
        requirement.op = LabelRequirement::Op::kNotIn;
        return ParseSingleValue(std::move(requirement));
      case TokenKind::kGreater:
      case TokenKind::kLess: {
        requirement.op = op.kind == TokenKind::kGreater ? LabelRequirement::Op::kGreaterThan
                                                        : LabelRequirement::Op::kLessThan;
        auto parsed = ParseSingleValue(std::move(requirement));
        if (parsed.ok() && !ParseInteger(parsed->values.front())) {
          return Result<LabelRequirement>::Error(
              "for 'Gt', 'Lt' operators, the value must be an integer");
        }
        return parsed;
      }
      case TokenKind::kIn:
      case TokenKind::kNotIn:
        requirement.op =
            op.kind == TokenKind::kIn ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
        return ParseValueSet(std::move(requirement));
      default:
        return Result<LabelRequirement>::Error("found '" + op.text +
                                               "', expected: in, notin, =, ==, !=, gt, lt");
    }
  }

  Result<LabelRequirement> ParseSingleValue(LabelRequirement requirement) {
    std::string value;
    if (Peek().kind == TokenKind::kIdentifier) {
      value = Next().text;
    } else if (Peek().kind != TokenKind::kEnd && Peek().kind != TokenKind::kComma) {
      return Result<LabelRequirement>::Error("found '" + Peek().text + "', expected: identifier");
    }
    if (!IsLabelName(value, true)) {
      return Result<LabelRequirement>::Error("invalid label value: \"" + value + "\"");
    }
    requirement.values.push_back(std::move(value));
    return Result<LabelRequirement>::Ok(std::move(requirement));
  }

  Result<LabelRequirement> ParseValueSet(LabelRequirement requirement) {
    if (Next().kind != TokenKind::kOpenParen) {
      return Result<LabelRequirement>::Error("expected '(' after 'in' or 'notin'");
    }
    if (Peek().kind == TokenKind::kCloseParen) {
      return Result<LabelRequirement>::Error(
          "for 'in', 'notin' operators, values set can't be empty");
    }
    while (true) {
      std::string value;
      if (Peek().kind == TokenKind::kIdentifier) value = Next().text;
      if (!IsLabelName(value, true)) {
        return Result<LabelRequirement>::Error("invalid label value: \"" + value + "\"");
      }
      requirement.values.push_back(std::move(value));
      const Token& separator = Next();
      if (separator.kind == TokenKind::kCloseParen) break;
      if (separator.kind != TokenKind::kComma) {
        return Result<LabelRequirement>::Error("found '" + separator.text +
                                               "', expected: ',' or ')'");
      }
    }
    return Result<LabelRequirement>::Ok(std::move(requirement));
  }

  std::vector<Token> tokens_;
  size_t position_ = 0;
};

// ---- field selectors ----

// The fields each resource supports (the API server's field label conversion functions).
const std::map<std::string, std::vector<std::string>>& SelectableFields() {
  static const std::map<std::string, std::vector<std::string>> kFields = {
      {"pods",
       {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
        "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
        "status.podIP", "status.nominatedNodeName"}},
      {"configmaps", {"metadata.name", "metadata.namespace"}},
  };
  return kFields;
}

// Splits on `separator` where it is not escaped by a backslash; escapes are kept.
std::vector<std::string> SplitUnescaped(std::string_view text, char separator) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      parts.back() += text.substr(i, 2);
      ++i;
    } else if (text[i] == separator) {
      parts.emplace_back();
    } else {
      parts.back() += text[i];
    }
  }
  return parts;
}

std::optional<std::string> UnescapeFieldValue(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 == text.size()) return std::nullopt;
    const char escaped = text[++i];
    if (escaped != '\\' && escaped != ',' && escaped != '=') return std::nullopt;
    out += escaped;
  }
  return out;
}

}  // namespace

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& requirement : requirements) {
    const auto it = labels.find(requirement.key);
    const bool present = it != labels.end();
    const auto& values = requirement.values;
    const bool listed =
        present && std::find(values.begin(), values.end(), it->second) != values.end();
    bool holds = false;
    switch (requirement.op) {
      case LabelRequirement::Op::kIn:
        holds = listed;
        break;
      case LabelRequirement::Op::kNotIn:
        holds = !listed;
        break;
      case LabelRequirement::Op::kExists:
        holds = present;
        break;
      case LabelRequirement::Op::kDoesNotExist:
        holds = !present;
        break;
      case LabelRequirement::Op::kGreaterThan:
      case LabelRequirement::Op::kLessThan: {
        const auto actual = present ? ParseInteger(it->second) : std::nullopt;
        const auto bound = ParseInteger(values.front());
        holds = actual && bound &&
                (requirement.op == LabelRequirement::Op::kGreaterThan ? *actual > *bound
                                                                      : *actual < *bound);
        break;
      }
    }
    if (!holds) return false;
  }
  return true;
}

Result<LabelSelector> ParseLabelSelector(std::string_view text) {
  auto parsed = LabelParser(Lex(text)).Parse();
  if (!parsed.ok()) {
    return Result<LabelSelector>::Error("unable to parse requirement: " + parsed.error());
  }
  return parsed;
}

Result<FieldSelector> ParseFieldSelector(std::string_view text, const std::string& resource) {
  FieldSelector selector;
  for (const std::string& term : SplitUnescaped(text, ',')) {
    if (term.empty()) continue;
    // The first operator found from the left wins; at one position "!=" and "==" beat "=".
    size_t op_at = std::string::npos;
    size_t op_length = 0;
    bool negated = false;
    for (size_t i = 0; i < term.size() && op_at == std::string::npos; ++i) {
      if (term[i] == '\\') {
        ++i;
      } else if (term.compare(i, 2, "!=") == 0 || term.compare(i, 2, "==") == 0) {
        op_at = i;
        op_length = 2;
        negated = term[i] == '!';
      } else if (term[i] == '=') {
        op_at = i;
        op_length = 1;
      }
    }
    if (op_at == std::string::npos) {
      return Result<FieldSelector>::Error("invalid selector: '" + std::string(text) +
                                          "'; can't understand '" + term + "'");
    }
    const std::string field = term.substr(0, op_at);
    const auto value = UnescapeFieldValue(std::string_view(term).substr(op_at + op_length));
    if (!value) {
      return Result<FieldSelector>::Error("invalid field selector value escape in '" + term + "'");
    }
    const auto fields = SelectableFields().find(resource);
    if (fields == SelectableFields().end() ||
        std::find(fields->second.begin(), fields->second.end(), field) == fields->second.end()) {
      return Result<FieldSelector>::Error("field label not supported: " + field);
    }
    selector.requirements.push_back({field, negated, *value});
  }
  return Result<FieldSelector>::Ok(selector);
}

std::optional<std::string> SelectableFieldValue(const std::string& resource,
                                                const web::json::value& object,
                                                const std::string& field) {
  const auto fields = SelectableFields().find(resource);
  if (fields == SelectableFields().end() ||
      std::find(fields->second.begin(), fields->second.end(), field) == fields->second.end()) {
    return std::nullopt;
  }
  if (field == "spec.hostNetwork") {
    const web::json::value* host_network = FindField(object, {"spec", "hostNetwork"});
    return host_network != nullptr && host_network->is_boolean() && host_network->as_bool()
               ? "true"
               : "false";
  }
  const size_t dot = field.find('.');
  return StringField(
      object, {std::string_view(field).substr(0, dot), std::string_view(field).substr(dot + 1)});
}

bool ObjectFilter::Matches(const std::string& resource, const web::json::value& object) const {
  if (!namespace_name.empty() && ObjectNamespace(object) != namespace_name) return false;
  if (!labels.Matches(ObjectLabels(object))) return false;
  for (const auto& requirement : fields.requirements) {
    const bool equal =
        SelectableFieldValue(resource, object, requirement.field).value_or("") == requirement.value;
    if (equal == requirement.negated) return false;
  }
  return true;
}

}  // namespace sidecar::testing::kubefake
