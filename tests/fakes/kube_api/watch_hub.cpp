#include "fakes/kube_api/watch_hub.h"

#include <algorithm>
#include <map>

#include "fakes/kube_api/watch_events.h"

namespace sidecar::testing::kubefake {

using Clock = std::chrono::steady_clock;

WatchHub::WatchHub(std::chrono::milliseconds bookmark_interval)
    : bookmark_interval_(bookmark_interval), last_bookmark_round_(Clock::now()) {
  timer_thread_ = std::thread([this] { RunTimers(); });
}

WatchHub::~WatchHub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  timer_thread_.join();
  Close();
}

void WatchHub::Add(std::shared_ptr<WatchStream> stream, WatchSpec spec,
                   const std::vector<std::string>& initial_lines, int64_t version) {
  std::lock_guard lock(mutex_);
  stream->SetStalled(stalled_ && !closed_ && !spec.ends_after_initial_lines);
  for (const std::string& line : initial_lines) stream->Send(line);
  if (closed_ || spec.ends_after_initial_lines) {
    stream->Finish();
    ending_.push_back(std::move(stream));
    return;
  }
  stats_.events_sent += static_cast<int64_t>(initial_lines.size());
  ++stats_.streams_opened;
  version_ = std::max(version_, version);
  watches_.push_back({std::move(stream), std::move(spec)});
  wake_.notify_all();  // a new deadline may be the nearest
}

void WatchHub::Publish(const StoredEvent& event) {
  std::lock_guard lock(mutex_);
  version_ = event.resource_version;
  // One write looks the same to every watch that sees it as the same type: serialize it once
  // per type.
  std::map<std::string, std::string> line_by_type;
  for (const Watch& watch : watches_) {
    const auto seen = EventForWatch(event, watch.spec.type->resource, watch.spec.filter);
    if (!seen) continue;
    auto line = line_by_type.find(seen->type);
    if (line == line_by_type.end())
      line = line_by_type.emplace(seen->type, WatchEventLine(*seen)).first;
    if (watch.stream->Send(line->second)) ++stats_.events_sent;
  }
  ReapLocked();
}

void WatchHub::SetBookmarkInterval(std::chrono::milliseconds interval) {
  std::lock_guard lock(mutex_);
  bookmark_interval_ = interval;
  last_bookmark_round_ = Clock::now();
  wake_.notify_all();
}

void WatchHub::SetStalled(bool stalled) {
  std::lock_guard lock(mutex_);
  stalled_ = stalled;
  for (const Watch& watch : watches_) watch.stream->SetStalled(stalled);
  wake_.notify_all();  // released streams may be past their deadline
}

void WatchHub::CutAll(bool mid_event) {
  std::lock_guard lock(mutex_);
  for (const Watch& watch : watches_) {
    std::string fragment;
    if (mid_event) {
      const std::string line = WatchEventLine(BookmarkEvent(*watch.spec.type, version_, false));
      fragment = line.substr(0, line.size() / 2);
    }
    watch.stream->Cut(fragment);
    ++stats_.streams_cut;
  }
  ReapLocked();
}

void WatchHub::Close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (const Watch& watch : watches_) watch.stream->Finish();
  ReapLocked();
}

void WatchHub::Reopen() {
  std::lock_guard lock(mutex_);
  closed_ = false;
}

WatchHubStats WatchHub::Stats() const {
  std::lock_guard lock(mutex_);
  WatchHubStats stats = stats_;
  stats.open_streams = 0;
  stats.held_lines = 0;
  for (const Watch& watch : watches_) {
    if (watch.stream->Ended()) continue;
    ++stats.open_streams;
    stats.held_lines += static_cast<int64_t>(watch.stream->HeldLines());
  }
  return stats;
}

void WatchHub::RunTimers() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const bool bookmarks_on = bookmark_interval_.count() > 0;
    auto wake_at = bookmarks_on ? last_bookmark_round_ + bookmark_interval_
                                : Clock::now() + std::chrono::seconds(1);
    for (const Watch& watch : watches_) {
      if (watch.spec.deadline) wake_at = std::min(wake_at, *watch.spec.deadline);
    }
    wake_.wait_until(lock, wake_at);
    if (stopping_) break;
    const auto now = Clock::now();
    if (bookmark_interval_.count() > 0 && now >= last_bookmark_round_ + bookmark_interval_) {
      SendBookmarksLocked();
      last_bookmark_round_ = now;
    }
    EndExpiredLocked(now);
    ReapLocked();
  }
}

void WatchHub::SendBookmarksLocked() {
  ++stats_.bookmark_rounds;
  for (const Watch& watch : watches_) {
    if (!watch.spec.bookmarks) continue;
    const std::string line = WatchEventLine(BookmarkEvent(*watch.spec.type, version_, false));
    if (watch.stream->SendIfFlowing(line)) ++stats_.bookmarks_sent;
  }
}

void WatchHub::EndExpiredLocked(Clock::time_point now) {
  for (const Watch& watch : watches_) {
    // A stalled stream sends nothing, its end included, until released.
    if (watch.spec.deadline && now >= *watch.spec.deadline && !watch.stream->Stalled()) {
      watch.stream->Finish();
    }
  }
}

bool WatchHub::WaitUntilDrained(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      ReapLocked();
      if (watches_.empty() && ending_.empty()) return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void WatchHub::ReapLocked() {
  for (auto it = watches_.begin(); it != watches_.end();) {
    if (it->stream->Ended()) {
      ending_.push_back(it->stream);
      it = watches_.erase(it);
    } else {
      ++it;
    }
  }
  std::erase_if(ending_, [](const auto& stream) { return stream->Settled(); });
}

}  // namespace sidecar::testing::kubefake
