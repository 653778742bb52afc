#include "kube/reflector.h"

#include <spdlog/spdlog.h>

#include "kube/api_call.h"

namespace sidecar::kube {
namespace {

using Clock = std::chrono::steady_clock;

// A Status body is small; more than this is not worth reading.
constexpr size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr size_t kReadChunkBytes = 64 * 1024;
// How much of a bad line goes into the log.
constexpr size_t kLoggedLineBytes = 200;

RequestOutcome OutcomeOf(int status) {
  if (status >= 200 && status < 300) {
    return RequestOutcome::kOk;
  }
  if (status == 410) {
    return RequestOutcome::kGone;
  }
  if (status == 429) {
    return RequestOutcome::kThrottled;
  }
  if (status >= 500) {
    return RequestOutcome::kServerError;
  }
  return RequestOutcome::kClientError;
}

std::optional<std::chrono::seconds> RetryAfterOf(const web::http::http_headers& headers) {
  auto it = headers.find("Retry-After");
  return it == headers.end() ? std::nullopt : ParseRetryAfter(it->second);
}

// What a failed answer's body says, for the log.
std::string DescribeFailure(int status, const std::string& body) {
  std::error_code error;
  std::optional<ApiStatus> api_status = ParseApiStatus(web::json::value::parse(body, error));
  std::string text = "HTTP " + std::to_string(status);
  if (!error && api_status) {
    text += " " + api_status->reason + ": " + api_status->message.substr(0, kLoggedLineBytes);
  }
  return text;
}

}  // namespace

Reflector::Reflector(KubeConnection connection, ReflectorOptions options, ReflectorHandler& handler,
                     ReflectorObserver* observer)
    : connection_(std::move(connection)),
      options_(std::move(options)),
      handler_(handler),
      observer_(observer != nullptr ? *observer : default_observer_),
      random_(options_.random ? options_.random : SeededUniformRandom()) {}

Reflector::~Reflector() {
  Stop();
}

void Reflector::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (thread_.joinable() || stopping()) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void Reflector::Stop() {
  {
    std::lock_guard<std::mutex> lock(pause_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  stop_source_.cancel();
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
}

void Reflector::Run() {
  web::http::client::http_client list_client = connection_.MakeClient(options_.request_timeout);
  // The watch client's read timeout is what detects a stalled stream.
  web::http::client::http_client watch_client = connection_.MakeClient(options_.stall_timeout);
  Backoff backoff(options_.backoff, random_);
  bool need_list = true;
  while (!stopping()) {
    const Attempt attempt = need_list ? ListAll(list_client) : Watch(watch_client);
    if (stopping()) {
      break;
    }
    need_list = attempt.relist;
    if (!attempt.healthy) {
      Pause(backoff.NextDelay(Clock::now(), attempt.retry_after));
    }
  }
}

Reflector::Attempt Reflector::ListAll(web::http::client::http_client& client) {
  const std::string& path = options_.query.resource_path;
  std::vector<web::json::value> items;
  std::string continue_token;
  std::string resource_version;
  int limit = options_.page_size;
  while (!stopping()) {
    web::http::http_request request(web::http::methods::GET);
    request.set_request_uri(ListRequestTarget(options_.query, limit, continue_token));
    request.headers().add("Accept", "application/json");
    connection_.Authorize(request);
    Result<ApiResponse> answer = CallApi(client, request, stop_source_.get_token());
    if (stopping()) {
      break;
    }
    if (!answer.ok()) {
      observer_.OnListRequest(RequestOutcome::kTransportError);
      spdlog::warn("list {} failed: {}", path, answer.error());
      return {false, true, std::nullopt};
    }
    const ApiResponse& response = answer.value();
    observer_.OnListRequest(OutcomeOf(response.status));
    if (response.status == 410 && !continue_token.empty()) {
      // The continue token expired between pages, which then came from different revisions. As
      // client-go's pager does, one unpaginated list gets a consistent result instead.
      spdlog::info("list {}: continue token expired, listing again without pages", path);
      items.clear();
      continue_token.clear();
      limit = 0;
      continue;
    }
    if (response.status != 200) {
      spdlog::warn("list {} failed: {}", path, DescribeFailure(response.status, response.body));
      return {false, true, RetryAfterOf(response.headers)};
    }
    std::error_code error;
    Result<ListPage> page = ParseListPage(web::json::value::parse(response.body, error));
    if (error || !page.ok()) {
      observer_.OnListRequest(RequestOutcome::kMalformed);
      spdlog::warn("list {}: unusable answer: {}", path, error ? error.message() : page.error());
      return {false, true, std::nullopt};
    }
    ListPage listed = std::move(page).value();
    std::move(listed.items.begin(), listed.items.end(), std::back_inserter(items));
    resource_version = listed.resource_version;
    if (listed.continue_token.empty()) {
      Emit(store_.Replace(items));
      resource_version_ = resource_version;
      synced_ = true;
      spdlog::info("listed {}: {} objects at resourceVersion {}", path, items.size(),
                   resource_version);
      try {
        handler_.OnSynced();
      } catch (const std::exception& failure) {
        spdlog::error("reflector handler failed on sync of {}: {}", path, failure.what());
      }
      return {true, false, std::nullopt};
    }
    if (listed.continue_token == continue_token) {
      spdlog::warn("list {}: the server repeated its continue token", path);
      return {false, true, std::nullopt};
    }
    continue_token = listed.continue_token;
  }
  return {true, true, std::nullopt};
}

Reflector::Attempt Reflector::Watch(web::http::client::http_client& client) {
  const std::string& path = options_.query.resource_path;
  const std::chrono::seconds timeout =
      options_.watch_timeout.count() > 0 ? options_.watch_timeout : RandomWatchTimeout(random_);
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(WatchRequestTarget(options_.query, resource_version_, timeout));
  request.headers().add("Accept", "application/json");
  connection_.Authorize(request);
  const Clock::time_point started = Clock::now();

  Result<std::unique_ptr<StreamingRequest>> sent =
      StreamingRequest::Send(client, request, stop_source_.get_token());
  if (stopping()) {
    return {};
  }
  if (!sent.ok()) {
    observer_.OnWatchRequest(RequestOutcome::kTransportError);
    spdlog::warn("watch {} failed: {}", path, sent.error());
    return {false, false, std::nullopt};
  }
  StreamingRequest& stream = *sent.value();
  observer_.OnWatchRequest(OutcomeOf(stream.status()));
  if (stream.status() != 200) {
    const std::string body = stream.ReadAll(kMaxErrorBodyBytes);
    spdlog::warn("watch {} from resourceVersion {} failed: {}", path, resource_version_,
                 DescribeFailure(stream.status(), body));
    return {false, stream.status() == 410, RetryAfterOf(stream.headers())};
  }

  WatchLineSplitter splitter(options_.max_line_bytes);
  Attempt attempt;
  std::optional<WatchRestartReason> restart;
  size_t progress = 0;  // events other than ERROR
  while (!restart) {
    const std::string chunk = stream.Read(kReadChunkBytes);
    if (stopping()) {
      return {};
    }
    if (chunk.empty()) {
      // A partial line left in the splitter is an event cut in half: the next watch starts
      // from the last complete event, so the server sends it again.
      switch (stream.end()) {
        case StreamingRequest::End::kComplete:
          restart = WatchRestartReason::kClosed;
          break;
        case StreamingRequest::End::kTimedOut:
          restart = WatchRestartReason::kStalled;
          break;
        case StreamingRequest::End::kFailed:
          restart = WatchRestartReason::kDropped;
          break;
      }
      break;
    }
    WatchLineSplitter::Lines lines = splitter.Feed(chunk);
    for (const std::string& line : lines.complete) {
      if (!line.empty() && !ApplyWatchLine(line, attempt, restart, progress)) {
        break;
      }
    }
    if (!restart && lines.overflow) {
      spdlog::warn("watch {}: a line exceeds {} bytes", path, options_.max_line_bytes);
      restart = WatchRestartReason::kMalformed;
      attempt.healthy = false;
    }
  }
  stream.Cancel();
  if (stopping()) {
    return {};
  }
  observer_.OnWatchRestart(*restart);
  // As in client-go: a watch that ends within a second having received nothing is a failure.
  if (progress == 0 && Clock::now() - started < options_.min_healthy_watch) {
    attempt.healthy = false;
  }
  const auto level =
      *restart == WatchRestartReason::kClosed ? spdlog::level::debug : spdlog::level::info;
  spdlog::log(level, "watch {} ended ({}{}), resuming from resourceVersion {}", path,
              ToString(*restart), stream.end_error().empty() ? "" : ": " + stream.end_error(),
              attempt.relist ? "(none: listing again)" : resource_version_);
  return attempt;
}

bool Reflector::ApplyWatchLine(const std::string& line, Attempt& attempt,
                               std::optional<WatchRestartReason>& restart, size_t& progress) {
  Result<WatchEvent> parsed = ParseWatchEvent(line);
  if (!parsed.ok()) {
    spdlog::warn("watch {}: {}: {}", options_.query.resource_path, parsed.error(),
                 line.substr(0, kLoggedLineBytes));
    restart = WatchRestartReason::kMalformed;
    attempt.healthy = false;
    return false;
  }
  const WatchEvent& event = parsed.value();
  observer_.OnWatchEvent(event.type);
  if (event.type == WatchEventType::kError) {
    std::optional<ApiStatus> status = ParseApiStatus(event.object);
    if (status && status->code == 410) {
      restart = WatchRestartReason::kGone;
      attempt.relist = true;
    } else {
      restart = WatchRestartReason::kErrorEvent;
      attempt.healthy = false;
      spdlog::warn("watch {}: ERROR event: {}", options_.query.resource_path,
                   event.object.serialize().substr(0, kLoggedLineBytes));
    }
    return false;
  }
  ++progress;
  if (event.type != WatchEventType::kBookmark) {
    Emit(store_.Apply(event));
  }
  resource_version_ = event.resource_version;
  return true;
}

void Reflector::Emit(const std::vector<StoreChange>& changes) {
  for (const StoreChange& change : changes) {
    try {
      switch (change.type) {
        case StoreChange::Type::kAdded:
          handler_.OnAdded(change.object);
          break;
        case StoreChange::Type::kModified:
          handler_.OnModified(change.object);
          break;
        case StoreChange::Type::kDeleted:
          handler_.OnDeleted(change.object);
          break;
      }
    } catch (const std::exception& failure) {
      spdlog::error("reflector handler failed on {}: {}", ObjectKey(change.object), failure.what());
    }
  }
}

void Reflector::Pause(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(pause_mutex_);
  wake_.wait_for(lock, delay, [this] { return stopping(); });
}

}  // namespace sidecar::kube
