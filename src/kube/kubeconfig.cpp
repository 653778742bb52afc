#include "kube/kubeconfig.h"

#include <cpprest/asyncrt_utils.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>

namespace sidecar::kube {
namespace {

// A named entry (cluster, user or context) and the file that defined it.
struct NamedEntry {
  YAML::Node body;
  std::string file;
};

struct MergedKubeconfig {
  std::string current_context;
  std::map<std::string, NamedEntry> clusters;
  std::map<std::string, NamedEntry> users;
  std::map<std::string, NamedEntry> contexts;
};

// Thrown inside this file only, turned into a Result at the boundary.
struct KubeconfigError {
  std::string message;
};

std::string ScalarOrEmpty(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) {
    return "";
  }
  YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) {
    return "";
  }
  if (!value.IsScalar()) {
    throw KubeconfigError{"'" + key + "' must be a string"};
  }
  return value.Scalar();
}

// `name:`-keyed lists: clusters, users, contexts. `body_key` holds the entry itself.
void MergeNamedList(const YAML::Node& root, const std::string& list_key,
                    const std::string& body_key, const std::string& file,
                    std::map<std::string, NamedEntry>& into) {
  YAML::Node list = root[list_key];
  if (!list.IsDefined() || list.IsNull()) {
    return;
  }
  if (!list.IsSequence()) {
    throw KubeconfigError{"'" + list_key + "' must be a list"};
  }
  for (const YAML::Node& entry : list) {
    std::string name = ScalarOrEmpty(entry, "name");
    if (name.empty()) {
      throw KubeconfigError{"an entry of '" + list_key + "' has no name"};
    }
    YAML::Node body = entry[body_key];
    if (body.IsDefined() && !body.IsNull() && !body.IsMap()) {
      throw KubeconfigError{"'" + list_key + "' entry '" + name + "' must be a map"};
    }
    into.emplace(name, NamedEntry{body.IsMap() ? body : YAML::Node(YAML::NodeType::Map), file});
  }
}

void MergeFile(const KubeconfigFile& file, MergedKubeconfig& merged) {
  YAML::Node root;
  try {
    root = YAML::Load(file.text);
  } catch (const YAML::ParserException& error) {
    throw KubeconfigError{"not valid YAML: " + std::string(error.what())};
  }
  if (root.IsNull() || !root.IsDefined()) {
    return;  // an empty file, as kubectl allows
  }
  if (!root.IsMap()) {
    throw KubeconfigError{"the top level must be a map"};
  }
  if (merged.current_context.empty()) {
    merged.current_context = ScalarOrEmpty(root, "current-context");
  }
  MergeNamedList(root, "clusters", "cluster", file.path, merged.clusters);
  MergeNamedList(root, "users", "user", file.path, merged.users);
  MergeNamedList(root, "contexts", "context", file.path, merged.contexts);
}

std::string AbsoluteTo(const std::string& file, const std::string& path) {
  if (path.empty()) {
    return "";
  }
  std::filesystem::path candidate(path);
  if (candidate.is_absolute()) {
    return path;
  }
  return (std::filesystem::path(file).parent_path() / candidate).lexically_normal().string();
}

std::string DecodeBase64Field(const NamedEntry& entry, const std::string& key) {
  std::string text = ScalarOrEmpty(entry.body, key);
  std::erase_if(text, [](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; });
  if (text.empty()) {
    return "";
  }
  try {
    std::vector<unsigned char> bytes = utility::conversions::from_base64(text);
    return std::string(bytes.begin(), bytes.end());
  } catch (const std::exception& error) {
    throw KubeconfigError{"'" + key + "' is not valid base64: " + error.what()};
  }
}

bool BoolOrFalse(const YAML::Node& map, const std::string& key) {
  std::string text = ScalarOrEmpty(map, key);
  if (text.empty() || text == "false") {
    return false;
  }
  if (text == "true") {
    return true;
  }
  throw KubeconfigError{"'" + key + "' must be true or false"};
}

void RejectUnsupported(const YAML::Node& map, const std::vector<std::string>& keys,
                       const std::string& why) {
  for (const std::string& key : keys) {
    if (map[key].IsDefined() && !map[key].IsNull()) {
      throw KubeconfigError{"'" + key + "' is not supported: " + why};
    }
  }
}

void ReadCluster(const NamedEntry& cluster, KubeconfigContext& out) {
  out.server = ScalarOrEmpty(cluster.body, "server");
  if (out.server.empty()) {
    throw KubeconfigError{"it has no server"};
  }
  RejectUnsupported(cluster.body, {"tls-server-name", "proxy-url"},
                    "connect to the server's own address directly");
  out.ca_pem = DecodeBase64Field(cluster, "certificate-authority-data");
  if (out.ca_pem.empty()) {
    out.ca_file = AbsoluteTo(cluster.file, ScalarOrEmpty(cluster.body, "certificate-authority"));
  }
  out.insecure_skip_tls_verify = BoolOrFalse(cluster.body, "insecure-skip-tls-verify");
}

void ReadUser(const NamedEntry& user, KubeconfigContext& out) {
  RejectUnsupported(user.body, {"exec", "auth-provider"},
                    "use a token, a token file or a client certificate");
  RejectUnsupported(user.body, {"username", "password"},
                    "basic authentication was removed from Kubernetes");
  out.client_certificate_pem = DecodeBase64Field(user, "client-certificate-data");
  if (out.client_certificate_pem.empty()) {
    out.client_certificate_file =
        AbsoluteTo(user.file, ScalarOrEmpty(user.body, "client-certificate"));
  }
  out.client_key_pem = DecodeBase64Field(user, "client-key-data");
  if (out.client_key_pem.empty()) {
    out.client_key_file = AbsoluteTo(user.file, ScalarOrEmpty(user.body, "client-key"));
  }
  const bool has_certificate =
      !out.client_certificate_pem.empty() || !out.client_certificate_file.empty();
  const bool has_key = !out.client_key_pem.empty() || !out.client_key_file.empty();
  if (has_certificate != has_key) {
    throw KubeconfigError{"a client certificate needs its key and a key its certificate"};
  }
  out.token = ScalarOrEmpty(user.body, "token");
  if (out.token.empty()) {
    out.token_file = AbsoluteTo(user.file, ScalarOrEmpty(user.body, "tokenFile"));
  }
}

const NamedEntry& Lookup(const std::map<std::string, NamedEntry>& entries, const std::string& kind,
                         const std::string& name, const std::string& referrer) {
  auto it = entries.find(name);
  if (it == entries.end()) {
    const std::string entry = kind + " '" + name + "'";
    throw KubeconfigError{referrer.empty()
                              ? entry + " is not defined in any kubeconfig file"
                              : referrer + entry + ", which no kubeconfig file defines"};
  }
  return it->second;
}

// Prefixes an error with what was being read.
template <typename Step>
void Within(const std::string& what, Step step) {
  try {
    step();
  } catch (const KubeconfigError& error) {
    throw KubeconfigError{what + ": " + error.message};
  } catch (const YAML::Exception& error) {
    throw KubeconfigError{what + ": " + error.what()};
  }
}

}  // namespace

Result<KubeconfigContext> SelectKubeconfigContext(const std::vector<KubeconfigFile>& files,
                                                  const std::string& context) {
  try {
    if (files.empty()) {
      throw KubeconfigError{"no kubeconfig file given"};
    }
    MergedKubeconfig merged;
    for (const KubeconfigFile& file : files) {
      Within("kubeconfig " + file.path, [&] { MergeFile(file, merged); });
    }
    KubeconfigContext out;
    out.context_name = context.empty() ? merged.current_context : context;
    if (out.context_name.empty()) {
      throw KubeconfigError{"kubeconfig has no current-context and no context was chosen"};
    }
    const NamedEntry& selected = Lookup(merged.contexts, "context", out.context_name, "");
    std::string cluster_name;
    std::string user_name;
    Within("context '" + out.context_name + "'", [&] {
      cluster_name = ScalarOrEmpty(selected.body, "cluster");
      user_name = ScalarOrEmpty(selected.body, "user");
      out.namespace_name = ScalarOrEmpty(selected.body, "namespace");
      if (cluster_name.empty()) {
        throw KubeconfigError{"it names no cluster"};
      }
    });
    const std::string referrer = "context '" + out.context_name + "' uses ";
    const NamedEntry& cluster = Lookup(merged.clusters, "cluster", cluster_name, referrer);
    Within("cluster '" + cluster_name + "'", [&] { ReadCluster(cluster, out); });
    if (!user_name.empty()) {
      const NamedEntry& user = Lookup(merged.users, "user", user_name, referrer);
      Within("user '" + user_name + "'", [&] { ReadUser(user, out); });
    }
    return Result<KubeconfigContext>::Ok(std::move(out));
  } catch (const KubeconfigError& error) {
    return Result<KubeconfigContext>::Error(error.message);
  } catch (const YAML::Exception& error) {
    return Result<KubeconfigContext>::Error(std::string("kubeconfig: ") + error.what());
  }
}

}  // namespace sidecar::kube
