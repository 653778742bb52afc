#include "kube/reflector.h"

#include <spdlog/spdlog.h>

#include "kube/api_call.h"

namespace sidecar::kube {
namespace {

using Clock = std::chrono::steady_clock;

// A Status body is small; more than this is not worth reading.
constexpr size_t kMaxErrorBodyBytes = size_t{64} * 1024;
constexpr size_t kReadChunkBytes = size_t{64} * 1024;
// How much of a bad line goes into the log.
constexpr size_t kLoggedLineBytes = 200;

// A prefix of untrusted text fit for a log line: control and non-ASCII bytes become '?'.
std::string Printable(std::string_view text) {
  std::string out(text.substr(0, kLoggedLineBytes));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) {
      c = '?';
    }
  }
  return out;
}

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
    text += " " + Printable(api_status->reason) + ": " + Printable(api_status->message);
  }
  return text;
}

// A handler's failure is logged and otherwise ignored: it must not end the watch.
template <typename Call>
void CallHandler(const std::string& what, Call call) {
  try {
    call();
  } catch (const std::exception& failure) {
    spdlog::error("reflector handler failed on {}: {}", what, failure.what());
  } catch (...) {
    spdlog::error("reflector handler failed on {}", what);
  }
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
  MutexLock lock(&lifecycle_mutex_);
  if (thread_.joinable() || stopping()) {
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void Reflector::Stop() {
  {
    MutexLock lock(&pause_mutex_);
    stopping_ = true;
  }
  wake_.SignalAll();
  stop_source_.cancel();
  MutexLock lock(&lifecycle_mutex_);
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

Reflector::PageAnswer Reflector::FetchListPage(web::http::client::http_client& client, int limit,
                                               const std::string& continue_token) {
  const std::string& path = options_.query.resource_path;
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri(ListRequestTarget(options_.query, limit, continue_token));
  request.headers().add("Accept", "application/json");
  connection_.Authorize(request);
  Result<ApiResponse> answer = CallApi(client, request, stop_source_.get_token());
  PageAnswer result;
  if (stopping()) {
    return result;
  }
  if (!answer.ok()) {
    observer_.OnListRequest(RequestOutcome::kTransportError);
    spdlog::warn("list {} failed: {}", path, answer.error());
    return result;
  }
  const ApiResponse& response = answer.value();
  result.status = response.status;
  if (response.status != 200) {
    observer_.OnListRequest(OutcomeOf(response.status));
    spdlog::warn("list {} failed: {}", path, DescribeFailure(response.status, response.body));
    result.retry_after = RetryAfterOf(response.headers);
    return result;
  }
  std::error_code error;
  Result<ListPage> page = ParseListPage(web::json::value::parse(response.body, error));
  if (error || !page.ok()) {
    observer_.OnListRequest(RequestOutcome::kMalformed);
    spdlog::warn("list {}: unusable answer: {}", path, error ? error.message() : page.error());
    return result;
  }
  observer_.OnListRequest(RequestOutcome::kOk);
  result.page = std::move(page).value();
  return result;
}

Reflector::Attempt Reflector::ListAll(web::http::client::http_client& client) {
  const std::string& path = options_.query.resource_path;
  std::vector<web::json::value> items;
  std::string continue_token;
  int limit = options_.page_size;
  while (!stopping()) {
    PageAnswer answer = FetchListPage(client, limit, continue_token);
    if (stopping()) {
      break;
    }
    if (answer.status == 410 && !continue_token.empty()) {
      // The continue token expired between pages, which then came from different revisions. As
      // client-go's pager does, one unpaginated list gets a consistent result instead.
      spdlog::info("list {}: continue token expired, listing again without pages", path);
      items.clear();
      continue_token.clear();
      limit = 0;
      continue;
    }
    if (!answer.page) {
      return {false, true, answer.retry_after};
    }
    ListPage& page = *answer.page;
    if (options_.transform) {
      // Projected page by page: what is dropped is never held beyond its page.
      for (const web::json::value& item : page.items) {
        if (std::optional<web::json::value> kept = options_.transform(item)) {
          items.push_back(std::move(*kept));
        }
      }
    } else {
      std::move(page.items.begin(), page.items.end(), std::back_inserter(items));
    }
    if (page.continue_token.empty()) {
      ApplyList(items, page.resource_version);
      return {true, false, std::nullopt};
    }
    if (page.continue_token == continue_token) {
      spdlog::warn("list {}: the server repeated its continue token", path);
      return {false, true, std::nullopt};
    }
    continue_token = page.continue_token;
  }
  return {true, true, std::nullopt};
}

void Reflector::ApplyList(const std::vector<web::json::value>& items,
                          const std::string& resource_version) {
  Emit(store_.Replace(items));
  resource_version_ = resource_version;
  synced_ = true;
  spdlog::info("listed {}: {} objects at resourceVersion {}", options_.query.resource_path,
               items.size(), resource_version);
  CallHandler("sync", [this] { handler_.OnSynced(); });
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
  const std::string start_version = resource_version_;
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
      if (!line.empty() && !ApplyWatchLine(line, attempt, restart)) {
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
  // As in client-go, a watch that ends within a second having achieved nothing is a failure;
  // "nothing" is judged by the resourceVersion, so a server replaying old events is paced too.
  if (resource_version_ == start_version && Clock::now() - started < options_.min_healthy_watch) {
    attempt.healthy = false;
  }
  const auto level =
      *restart == WatchRestartReason::kClosed ? spdlog::level::debug : spdlog::level::info;
  const bool transport_ended =
      *restart == WatchRestartReason::kDropped || *restart == WatchRestartReason::kStalled;
  spdlog::log(level, "watch {} ended ({}{}), resuming from resourceVersion {}", path,
              ToString(*restart), transport_ended ? ": " + stream.end_error() : "",
              attempt.relist ? "(none: listing again)" : resource_version_);
  return attempt;
}

bool Reflector::ApplyWatchLine(const std::string& line, Attempt& attempt,
                               std::optional<WatchRestartReason>& restart) {
  Result<WatchEvent> parsed = ParseWatchEvent(line);
  if (!parsed.ok()) {
    spdlog::warn("watch {}: {}: {}", options_.query.resource_path, Printable(parsed.error()),
                 Printable(line));
    restart = WatchRestartReason::kMalformed;
    attempt.healthy = false;
    return false;
  }
  WatchEvent event = std::move(parsed).value();
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
                   Printable(event.object.serialize()));
    }
    return false;
  }
  if (event.type != WatchEventType::kBookmark) {
    std::optional<web::json::value> kept =
        options_.transform ? options_.transform(event.object) : std::move(event.object);
    if (kept) {
      event.object = std::move(*kept);
      Emit(store_.Apply(event));
    }
  }
  resource_version_ = event.resource_version;
  return true;
}

void Reflector::Emit(const std::vector<StoreChange>& changes) {
  for (const StoreChange& change : changes) {
    CallHandler(ObjectKey(change.object), [this, &change] {
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
    });
  }
}

void Reflector::Pause(std::chrono::milliseconds delay) {
  const auto deadline = std::chrono::steady_clock::now() + delay;
  MutexLock lock(&pause_mutex_);
  while (!stopping() && wake_.WaitUntil(&pause_mutex_, deadline)) {
  }
}

}  // namespace sidecar::kube
