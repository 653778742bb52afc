// Section 1: completion_status of a token already complete, answered from the frontier, beside
// the ceilings measured in the same run.
#include <string>

#include "runner/load_run.h"
#include "runner/sections.h"
#include "runner/served_pipeline.h"

namespace sidecar::bench {
namespace {

constexpr char kStatusSection[] = "1 status";
// The library's ceiling must be reached this closely (requests/s) ...
constexpr double kMinThroughputRatio = 0.9;
// ... with a p99 latency at most this much worse.
constexpr double kMaxP99Ratio = 1.5;
// cpprestsdk's own pool size, whatever the cores.
constexpr int kLibraryDefaultThreads = 40;

std::string Conns(int connections) {
  return std::to_string(connections) + " conns";
}

double Ratio(double value, double reference) {
  return reference > 0 ? value / reference : 0;
}

void AddServiceRows(int connections, const LoadRun& service, const LoadRun& bare,
                    const LoadRun& nginx, SectionResult& result) {
  const double throughput =
      Ratio(service.load.requests_per_second(), bare.load.requests_per_second());
  const double p99 = Ratio(service.load.p99_ms, bare.load.p99_ms);
  result.rows.push_back(
      {kStatusSection, "service: complete token, from the frontier, " + Conns(connections),
       Describe(service),
       FormatRatio(throughput) + " bare listener req/s; CPU/req " +
           FormatRatio(Ratio(service.cpu_us_per_request(), bare.cpu_us_per_request())),
       "≥ " + FormatRatio(kMinThroughputRatio) + " bare listener",
       AtLeast(throughput, kMinThroughputRatio)});
  result.rows.push_back(
      {kStatusSection, "service p99 latency, " + Conns(connections),
       FormatMillis(service.load.p99_ms),
       FormatRatio(p99) + " bare listener (" + FormatMillis(bare.load.p99_ms) + ")",
       "≤ " + FormatRatio(kMaxP99Ratio) + " bare listener", AtMost(p99, kMaxP99Ratio)});
  result.rows.push_back({kStatusSection,
                         "bare cpprestsdk listener, same body, 2 threads, " + Conns(connections),
                         Describe(bare), "", "", Verdict::kNoTarget});
  result.rows.push_back(
      {kStatusSection, "nginx `return 200`, same body, 1 process, " + Conns(connections),
       Describe(nginx),
       "service = " +
           FormatRatio(
               Ratio(service.load.requests_per_second(), nginx.load.requests_per_second())) +
           " nginx req/s; bare listener = " +
           FormatRatio(Ratio(bare.load.requests_per_second(), nginx.load.requests_per_second())),
       "report", Verdict::kNoTarget});
}

// What clients have without the service: the pipeline's own answer, directly or forwarded.
void AddUpstreamRows(int connections, const LoadRun& service, const LoadRun& proxied,
                     const LoadRun& direct, SectionResult& result) {
  result.rows.push_back(
      {kStatusSection,
       "service proxy path → simulator (completion_token GET), " + Conns(connections),
       Describe(proxied),
       FormatRatio(Ratio(proxied.load.requests_per_second(), direct.load.requests_per_second())) +
           " simulator direct req/s",
       "", Verdict::kNoTarget});
  result.rows.push_back({kStatusSection,
                         "simulator's own /completion_status, direct, " + Conns(connections),
                         Describe(direct),
                         "service from its frontier = " +
                             FormatRatio(Ratio(service.load.requests_per_second(),
                                               direct.load.requests_per_second())) +
                             " this",
                         "", Verdict::kNoTarget});
}

void AddThreadRows(int connections, const LoadRun& service_default, const LoadRun& service,
                   const LoadRun& bare_default, const LoadRun& bare, SectionResult& result) {
  auto versus = [](const LoadRun& many, const LoadRun& two) {
    return FormatRatio(Ratio(many.load.requests_per_second(), two.load.requests_per_second())) +
           " req/s, " + FormatRatio(Ratio(many.load.p99_ms, two.load.p99_ms)) + " p99 of 2 threads";
  };
  result.rows.push_back(
      {kStatusSection, "service, 40 worker threads (cpprestsdk's default), " + Conns(connections),
       Describe(service_default), versus(service_default, service), "", Verdict::kNoTarget});
  result.rows.push_back({kStatusSection, "bare listener, 40 threads, " + Conns(connections),
                         Describe(bare_default), versus(bare_default, bare), "",
                         Verdict::kNoTarget});
}

}  // namespace

SectionResult RunStatusSection(BenchContext& context) {
  const Plan& plan = context.plan;
  Launcher& launcher = context.launcher;
  SectionResult result;

  ServedPipeline served(launcher, {});
  const std::string token = served.Ingest();
  const std::string body = served.WaitComplete(token);
  // The ceilings get the very same request, so that parsing it costs them what it costs the
  // service.
  const std::string target = ServedPipeline::StatusTarget(token);
  const std::string status_url = served.service().url() + target;
  const pid_t service_pid = served.service().pid();
  auto bare = launcher.BareListener(2, body);
  auto nginx = launcher.Nginx(body);

  std::vector<LoadRun> service_runs;
  std::vector<LoadRun> bare_runs;
  for (int connections : plan.status_connections) {
    service_runs.push_back(
        DriveUrl(launcher, status_url, service_pid, connections, plan.main_load));
    bare_runs.push_back(
        DriveUrl(launcher, bare->url() + target, bare->pid(), connections, plan.main_load));
    const LoadRun machine =
        DriveUrl(launcher, nginx->url() + target, nginx->pid(), connections, plan.main_load);
    AddServiceRows(connections, service_runs.back(), bare_runs.back(), machine, result);
  }
  nginx.reset();

  const std::string proxy_url = served.service().url() + "/v0/pipelines/" + ServedPipeline::kName +
                                "/tables/numbers/connectors/api-ingress/completion_token";
  const std::string direct_url = served.sim().url() + "/completion_status?token=" + token;
  for (size_t i = 0; i < plan.status_connections.size(); ++i) {
    const int connections = plan.status_connections[i];
    const LoadRun proxied =
        DriveUrl(launcher, proxy_url, service_pid, connections, plan.other_load);
    const LoadRun direct =
        DriveUrl(launcher, direct_url, served.sim().pid(), connections, plan.other_load);
    AddUpstreamRows(connections, service_runs[i], proxied, direct, result);
  }
  result.notes.push_back(
      "Section 1: the service answers completion_status itself (frontier, coalescing), so it has "
      "no pass-through for it; its proxy path is measured with the completion_token GET it "
      "forwards to the simulator, a request of the same kind and size.");
  if (!plan.tune_threads) return result;

  bare.reset();
  ServedPipelineOptions library_defaults;
  library_defaults.service_threads = kLibraryDefaultThreads;
  ServedPipeline defaults(launcher, library_defaults);
  const std::string default_token = defaults.Ingest();
  defaults.WaitComplete(default_token);
  const std::string default_url =
      defaults.service().url() + ServedPipeline::StatusTarget(default_token);
  auto bare_default = launcher.BareListener(0, body);
  for (size_t i = 0; i < plan.status_connections.size(); ++i) {
    const int connections = plan.status_connections[i];
    const LoadRun service_default =
        DriveUrl(launcher, default_url, defaults.service().pid(), connections, plan.other_load);
    const LoadRun bare_many = DriveUrl(launcher, bare_default->url() + target, bare_default->pid(),
                                       connections, plan.other_load);
    AddThreadRows(connections, service_default, service_runs[i], bare_many, bare_runs[i], result);
  }
  return result;
}

}  // namespace sidecar::bench
