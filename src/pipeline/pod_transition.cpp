#include "pipeline/pod_transition.h"

#include <variant>

#include "common/time.h"

namespace sidecar {
namespace {

bool ContainerRunning(const PodObservation& pod) {
  return pod.container && std::holds_alternative<RunningState>(pod.container->state);
}

const TerminatedState* ContainerTerminated(const PodObservation& pod) {
  return pod.container ? std::get_if<TerminatedState>(&pod.container->state) : nullptr;
}

IncarnationEnd EndFrom(const TerminatedState& t, WallClock::time_point now, std::string message) {
  IncarnationEnd end{now, t.reason.empty() ? "Terminated" : t.reason, std::nullopt, t.finished_at,
                     std::move(message)};
  if (t.exit_code) end.exit_code = static_cast<int>(*t.exit_code);
  return end;
}

// Why the process of `pod` is over now, if it is: evicted or failed, deleting, or its container
// terminated. nullopt while it may still run.
std::optional<IncarnationEnd> TerminalEnd(const PodObservation& pod, WallClock::time_point now) {
  if (pod.reason == "Evicted" || pod.phase == "Failed" || pod.phase == "Succeeded") {
    IncarnationEnd end{now, pod.reason.empty() ? pod.phase : pod.reason, std::nullopt, "",
                       pod.message};
    if (const TerminatedState* t = ContainerTerminated(pod)) {
      end.exit_code =
          t->exit_code ? std::optional<int>(static_cast<int>(*t->exit_code)) : std::nullopt;
      end.finished_at = t->finished_at;
    }
    return end;
  }
  if (const TerminatedState* t = ContainerTerminated(pod)) return EndFrom(*t, now, pod.message);
  if (pod.deleting)
    return IncarnationEnd{now, "Deleted", std::nullopt, "", "the pod is being deleted"};
  return std::nullopt;
}

// How the process before the current container ended: lastState.terminated when Kubernetes kept it.
IncarnationEnd PreviousContainerEnd(const PodObservation& pod, WallClock::time_point now) {
  if (pod.container && pod.container->last_terminated) {
    return EndFrom(*pod.container->last_terminated, now, "the container restarted");
  }
  return IncarnationEnd{now, "Restarted", std::nullopt, "", "the container restarted"};
}

bool SameProcess(const Incarnation& i, const PodObservation& pod) {
  if (i.pod_uid != pod.uid) return false;
  if (!pod.container) return true;  // no container news: nothing says it changed
  if (!i.container_id.empty() && !pod.container->container_id.empty() &&
      i.container_id != pod.container->container_id) {
    return false;
  }
  return pod.container->restart_count <= i.restart_count;
}

PodTransition Identity(const PodObservation& pod) {
  PodTransition t;
  t.pod_uid = pod.uid;
  if (pod.container) {
    t.container_id = pod.container->container_id;
    t.restart_count = pod.container->restart_count;
  }
  t.running =
      ContainerRunning(pod) && !pod.deleting && pod.phase != "Failed" && !pod.pod_ip.empty();
  t.pod_ip = pod.pod_ip;
  t.port = pod.port;
  return t;
}

// Whether `incarnation` (begun from /stats, without a pod identity) certainly started before the
// current container did — before the last one finished, or before this one started: then it ran
// in the old container (an in-process restart) and ended with it. Kubernetes' times have whole
// seconds, rounded down, so `started < t` can only hold when it is true; a start within the same
// second stays undecided, and the incarnation is taken for the new container's process.
bool StartedBeforeCurrentContainer(const Incarnation& incarnation, const PodObservation& pod) {
  const auto started = ParseTime(incarnation.start_time);
  if (!started || !pod.container) return false;
  auto before = [&](const std::string& time) {
    const auto t = ParseTime(time);
    return t && *started < *t;
  };
  if (pod.container->last_terminated && before(pod.container->last_terminated->finished_at))
    return true;
  const auto* running = std::get_if<RunningState>(&pod.container->state);
  return running && before(running->started_at);
}

}  // namespace

PodTransition ApplyPodChange(const IncarnationHistory& history, const PodObservation& pod,
                             WallClock::time_point now) {
  PodTransition t = Identity(pod);
  const Incarnation* newest = history.Newest();
  const std::optional<IncarnationEnd> terminal = TerminalEnd(pod, now);

  if (newest && newest->has_pod_identity() && SameProcess(*newest, pod)) {
    if (!newest->ended() && terminal) t.end = terminal;
    return t;
  }
  const auto& entries = history.entries();
  const Incarnation* previous = entries.size() > 1 ? &entries[1] : nullptr;
  // The container Kubernetes last reported, from the newest incarnation bound to one (those
  // begun from /stats in between are not).
  const Incarnation* last_bound = nullptr;
  for (size_t i = 1; i < entries.size() && !last_bound; ++i) {
    if (entries[i].has_pod_identity()) last_bound = &entries[i];
  }
  const bool new_container = last_bound && !SameProcess(*last_bound, pod);
  if (newest && !newest->has_pod_identity() && !newest->ended() &&
      !(new_container && StartedBeforeCurrentContainer(*newest, pod))) {
    // Begun from /stats (the pipeline answered before Kubernetes reported): this is its process.
    // If Kubernetes shows a new container, it also tells how the one before ended.
    t.adopt = true;
    if (new_container && previous == last_bound) t.previous_end = PreviousContainerEnd(pod, now);
    if (terminal) t.end = terminal;
    return t;
  }
  // A process the history has not seen: the newest one, if still running, is over; if it already
  // ended (the pipeline said so first), Kubernetes now tells how.
  if (newest && newest->ended() && newest->pod_uid == pod.uid && !newest->end->exit_code &&
      pod.container && pod.container->last_terminated) {
    t.previous_end = PreviousContainerEnd(pod, now);
  }
  if (newest && !newest->ended()) {
    if (newest->has_pod_identity() && newest->pod_uid != pod.uid) {
      t.end = IncarnationEnd{now, "Deleted", std::nullopt, "",
                             "the pod was replaced by one with a new uid"};
    } else {
      t.end = PreviousContainerEnd(pod, now);
    }
  }
  t.begin = t.running;
  return t;
}

PodTransition ApplyPodDeletion(const IncarnationHistory& history, const PodObservation& pod,
                               WallClock::time_point now) {
  PodTransition t = Identity(pod);
  t.running = false;
  const Incarnation* newest = history.Newest();
  if (newest && !newest->ended() && (newest->pod_uid == pod.uid || !newest->has_pod_identity())) {
    t.end = TerminalEnd(pod, now);
    if (!t.end || t.end->reason == "Deleted") {
      t.end = IncarnationEnd{now, "Deleted", std::nullopt, "", "the pod was deleted"};
    }
  }
  return t;
}

void ApplyToHistory(IncarnationHistory& history, const PodTransition& t,
                    WallClock::time_point now) {
  // Kubernetes tells how an ended incarnation ended; when the service learned of it stays.
  auto refine = [&](Incarnation* ended) {
    if (!t.previous_end || !ended || !ended->end) return;
    const auto observed = ended->end->observed_at;
    ended->end = t.previous_end;
    ended->end->observed_at = observed;
  };
  if (t.adopt) {
    Incarnation* newest = history.MutableNewest();
    newest->pod_uid = t.pod_uid;
    newest->container_id = t.container_id;
    newest->restart_count = t.restart_count;
    refine(history.MutablePrevious());
  } else {
    refine(history.MutableNewest());
  }
  if (t.end) history.EndCurrent(*t.end);
  if (t.begin) {
    Incarnation next;
    next.first_seen = now;
    next.pod_uid = t.pod_uid;
    next.container_id = t.container_id;
    next.restart_count = t.restart_count;
    history.Begin(next, t.end.value_or(IncarnationEnd{now, "Restarted", std::nullopt, "", ""}));
  }
}

}  // namespace sidecar
