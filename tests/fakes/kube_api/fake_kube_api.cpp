#include "fakes/kube_api/fake_kube_api.h"

#include "fakes/kube_api/pod_mutations.h"

#include "fakes/kube_api/cluster.h"
#include "fakes/kube_api/control_api.h"
#include "fakes/kube_api/discovery.h"
#include "fakes/kube_api/http_replies.h"
#include "fakes/kube_api/object_fields.h"
#include "fakes/kube_api/request_info.h"
#include "fakes/kube_api/resource_types.h"
#include "fakes/kube_api/rest_api.h"

namespace sidecar::testing {
namespace {

using kubefake::ApiError;
using kubefake::ResourceType;
using web::json::value;

const ResourceType& Pods() {
  return *kubefake::FindResourceType("pods");
}
const ResourceType& ConfigMaps() {
  return *kubefake::FindResourceType("configmaps");
}

std::string NamespaceOrDefault(const value& object) {
  const std::string ns = kubefake::ObjectNamespace(object);
  return ns.empty() ? "default" : ns;
}

std::string Header(const web::http::http_request& request, const std::string& name) {
  const auto it = request.headers().find(name);
  return it == request.headers().end() ? "" : it->second;
}

}  // namespace

FakeKubeApiServer::FakeKubeApiServer(int port)
    : port_(port), cluster_(std::make_shared<kubefake::Cluster>(kDefaultBookmarkInterval)) {}

FakeKubeApiServer::~FakeKubeApiServer() {
  Stop();
}

void FakeKubeApiServer::Start() {
  std::lock_guard lock(listener_mutex_);
  if (listener_) return;
  auto listener = std::make_unique<web::http::experimental::listener::http_listener>(Url());
  listener->support([this](const web::http::http_request& request) { Handle(request); });
  cluster_->watches().Reopen();
  listener->open().wait();
  listener_ = std::move(listener);
}

void FakeKubeApiServer::Stop() {
  std::lock_guard lock(listener_mutex_);
  if (!listener_) return;
  // The listener's close waits for every response to end, watch streams included, and must not
  // run while a response is still being written.
  cluster_->watches().Close();
  cluster_->watches().WaitUntilDrained(std::chrono::seconds(5));
  listener_->close().wait();
  listener_.reset();
}

std::string FakeKubeApiServer::Url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeKubeApiServer::Handle(const web::http::http_request& request) {
  const std::string path = request.relative_uri().path();
  if (kubefake::IsControlPath(path)) {
    kubefake::ServeControlRequest(*this, request);
    return;
  }
  const std::string raw_query = request.relative_uri().query();
  const kubefake::QueryParams query = kubefake::ParseQuery(raw_query);
  const kubefake::RequestInfo info = kubefake::ResolveRequest(request.method(), path, query);

  kubefake::RequestRecord record{request.method(), path,
                                 raw_query,        info.verb,
                                 info.resource,    info.namespace_name,
                                 info.name,        Header(request, "User-Agent")};
  const auto failure = faults_.Take(info.verb);
  if (failure) record.injected_status = failure->status;
  log_.Add(std::move(record));

  try {
    if (failure) {
      kubefake::ReplyError(request,
                           ApiError::ForCode(failure->status, failure->retry_after_seconds),
                           failure->retry_after_seconds);
    } else if (info.is_resource_request) {
      kubefake::ServeResourceRequest(cluster_, info, query, request);
    } else if (const auto document =
                   kubefake::DiscoveryDocument(path, "127.0.0.1:" + std::to_string(port_))) {
      kubefake::ReplyJson(request, web::http::status_codes::OK, *document);
    } else {
      kubefake::ReplyError(request, ApiError::UnknownResource());
    }
  } catch (const std::exception& error) {
    kubefake::ReplyError(request, ApiError(500, "InternalError", error.what()));
  }
}

value FakeKubeApiServer::CreatePod(value pod) {
  return cluster_->Create(Pods(), "", std::move(pod));
}

value FakeKubeApiServer::ReplacePod(value pod) {
  const std::string ns = NamespaceOrDefault(pod);
  const std::string name = kubefake::ObjectName(pod);
  return cluster_->Update(Pods(), ns, name, std::move(pod));
}

value FakeKubeApiServer::MutatePod(const std::string& namespace_name, const std::string& name,
                                   const std::function<void(value&)>& mutate) {
  return cluster_->Mutate(Pods(), namespace_name, name, mutate);
}

value FakeKubeApiServer::DeletePod(const std::string& namespace_name, const std::string& name) {
  return cluster_->Delete(Pods(), namespace_name, name);
}

std::optional<value> FakeKubeApiServer::GetPod(const std::string& namespace_name,
                                               const std::string& name) const {
  return cluster_->Get(Pods(), namespace_name, name);
}

value FakeKubeApiServer::CreateConfigMap(value config_map) {
  return cluster_->Create(ConfigMaps(), "", std::move(config_map));
}

value FakeKubeApiServer::ReplaceConfigMap(value config_map) {
  const std::string ns = NamespaceOrDefault(config_map);
  const std::string name = kubefake::ObjectName(config_map);
  return cluster_->Update(ConfigMaps(), ns, name, std::move(config_map));
}

value FakeKubeApiServer::MutateConfigMap(const std::string& namespace_name, const std::string& name,
                                         const std::function<void(value&)>& mutate) {
  return cluster_->Mutate(ConfigMaps(), namespace_name, name, mutate);
}

value FakeKubeApiServer::DeleteConfigMap(const std::string& namespace_name,
                                         const std::string& name) {
  return cluster_->Delete(ConfigMaps(), namespace_name, name);
}

std::optional<value> FakeKubeApiServer::GetConfigMap(const std::string& namespace_name,
                                                     const std::string& name) const {
  return cluster_->Get(ConfigMaps(), namespace_name, name);
}

void FakeKubeApiServer::Compact() {
  cluster_->Compact();
}

int64_t FakeKubeApiServer::CurrentResourceVersion() const {
  return cluster_->CurrentVersion();
}

void FakeKubeApiServer::FailRequests(int status, int count, std::chrono::milliseconds duration,
                                     int retry_after_seconds, const std::string& only_verb) {
  faults_.FailRequests(status, count, duration, retry_after_seconds, only_verb);
}

void FakeKubeApiServer::ClearFaults() {
  faults_.Clear();
}

void FakeKubeApiServer::StallWatches(bool stalled) {
  cluster_->watches().SetStalled(stalled);
}

void FakeKubeApiServer::DropWatchStreams(bool mid_event) {
  cluster_->watches().CutAll(mid_event);
}

void FakeKubeApiServer::SetBookmarkInterval(std::chrono::milliseconds interval) {
  cluster_->watches().SetBookmarkInterval(interval);
}

std::vector<KubeRequestRecord> FakeKubeApiServer::RequestLog() const {
  return log_.Records();
}

void FakeKubeApiServer::ClearRequestLog() {
  log_.Clear();
}

FakeKubeApiCounters FakeKubeApiServer::Counters() const {
  const kubefake::RequestCounts requests = log_.Counts();
  const kubefake::WatchHubStats watches = cluster_->watches().Stats();
  FakeKubeApiCounters counters;
  counters.requests = requests.total;
  counters.requests_by_verb = requests.by_verb;
  counters.injected_failures = requests.injected_failures;
  counters.resource_version = cluster_->CurrentVersion();
  counters.watches_open = watches.open_streams;
  counters.watches_opened = watches.streams_opened;
  counters.watch_streams_cut = watches.streams_cut;
  counters.watch_events_sent = watches.events_sent;
  counters.bookmarks_sent = watches.bookmarks_sent;
  counters.bookmark_rounds = watches.bookmark_rounds;
  counters.watch_lines_held = watches.held_lines;
  return counters;
}

std::unique_ptr<FakeKubeApiServer> StartWithPipelinePod(
    int api_port, const std::string& namespace_name, const std::string& pod_name,
    const std::map<std::string, std::string>& labels, const std::string& pod_ip, int port) {
  auto api = std::make_unique<FakeKubeApiServer>(api_port);
  api->Start();
  PipelinePodOptions pod_options;
  pod_options.container_port = port;
  api->CreatePod(MakePipelinePod(namespace_name, pod_name, labels, pod_ip, pod_options));
  return api;
}

}  // namespace sidecar::testing
