#include "sim/sim_options.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>

namespace sidecar::sim {
namespace {

using R = Result<SimOptions>;

// Steps further apart than this are a typo, not a simulation.
constexpr int64_t kMaxStepMillis = 3'600'000;

// Feldera's pipeline names are at most this long.
constexpr size_t kMaxPipelineNameBytes = 100;

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    items.emplace_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsIdentifier(std::string_view name, std::string_view extra_chars) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           extra_chars.find(c) != std::string_view::npos;
  });
}

Result<std::chrono::milliseconds> ParseStepMillis(std::string_view flag, std::string_view value,
                                                  int64_t minimum) {
  using M = Result<std::chrono::milliseconds>;
  const std::optional<int64_t> millis = ParseInteger(value);
  if (!millis || *millis < minimum || *millis > kMaxStepMillis) {
    return M::Error(std::string(flag) + " must be an integer from " + std::to_string(minimum) +
                    " to " + std::to_string(kMaxStepMillis) + ", got '" + std::string(value) + "'");
  }
  return M::Ok(std::chrono::milliseconds(*millis));
}

// Returns what is wrong with the endpoint lists, if anything.
std::optional<std::string> EndpointListProblem(const SimOptions& options) {
  std::set<std::string> tables;
  for (const std::string& table : options.tables) {
    if (!IsIdentifier(table, "")) {
      return "--tables: '" + table + "' is not a table name (letters, digits, _)";
    }
    if (!tables.insert(table).second) return "--tables: '" + table + "' given twice";
  }
  std::set<std::string> connectors;
  for (const std::string& connector : options.connectors) {
    const size_t dot = connector.find('.');
    const std::string table = connector.substr(0, dot);
    const std::string name = dot == std::string::npos ? "" : connector.substr(dot + 1);
    if (dot == std::string::npos || !IsIdentifier(name, "-")) {
      return "--connectors: '" + connector + "' is not TABLE.CONNECTOR";
    }
    if (tables.count(table) == 0) {
      return "--connectors: '" + connector + "' names a table not in --tables";
    }
    if (name == kIngressConnector) {
      return "--connectors: '" + connector + "' is the table's ingress endpoint";
    }
    if (!connectors.insert(connector).second) {
      return "--connectors: '" + connector + "' given twice";
    }
  }
  return std::nullopt;
}

}  // namespace

Result<SimOptions> ParseSimOptions(const std::vector<std::string>& args) {
  SimOptions options;
  bool listen_given = false;
  const std::set<std::string> flags = {"--listen",           "--tables",        "--connectors",
                                       "--step-interval-ms", "--step-delay-ms", "--manager",
                                       "--tls-cert",         "--tls-key",       "--control-listen"};
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string& flag = args[i];
    if (flags.count(flag) == 0) return R::Error("unknown argument '" + flag + "'");
    if (i + 1 >= args.size()) return R::Error(flag + " needs a value");
    const std::string& value = args[i + 1];

    if (flag == "--listen" || flag == "--control-listen") {
      Result<ListenAddress> listen = ParseListenAddress(flag, value);
      if (!listen.ok()) return R::Error(listen.error());
      if (flag == "--listen") {
        options.listen = listen.value();
        listen_given = true;
      } else {
        options.control_listen = listen.value();
      }
    } else if (flag == "--manager") {
      if (!IsIdentifier(value, "-") || value.size() > kMaxPipelineNameBytes) {
        return R::Error("--manager: '" + value + "' is not a pipeline name (1-" +
                        std::to_string(kMaxPipelineNameBytes) + " of A-Za-z0-9_-)");
      }
      options.manager_pipeline = value;
    } else if (flag == "--tls-cert" || flag == "--tls-key") {
      if (value.empty()) return R::Error(flag + " needs a file");
      (flag == "--tls-cert" ? options.tls_cert_file : options.tls_key_file) = value;
    } else if (flag == "--tables") {
      options.tables = SplitList(value);
    } else if (flag == "--connectors") {
      options.connectors = value.empty() ? std::vector<std::string>{} : SplitList(value);
    } else {
      const bool interval = flag == "--step-interval-ms";
      Result<std::chrono::milliseconds> millis = ParseStepMillis(flag, value, interval ? 1 : 0);
      if (!millis.ok()) return R::Error(millis.error());
      (interval ? options.step_interval : options.step_delay) = millis.value();
    }
  }
  if (!listen_given) return R::Error("--listen HOST:PORT is required");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return R::Error("--tls-cert and --tls-key go together");
  }
  if (options.control_listen && options.control_listen->host == options.listen.host &&
      options.control_listen->port == options.listen.port) {
    return R::Error("--control-listen must differ from --listen");
  }
  if (std::optional<std::string> problem = EndpointListProblem(options)) {
    return R::Error(*problem);
  }
  return R::Ok(std::move(options));
}

std::vector<std::string> InputEndpointNames(const SimOptions& options) {
  std::vector<std::string> names;
  for (const std::string& table : options.tables) {
    names.push_back(table + "." + kIngressConnector);
  }
  names.insert(names.end(), options.connectors.begin(), options.connectors.end());
  return names;
}

}  // namespace sidecar::sim
