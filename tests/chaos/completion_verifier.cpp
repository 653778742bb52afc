#include "chaos/completion_verifier.h"

#include "chaos/answer_rules.h"

namespace sidecar::testing::chaos {
namespace {

std::optional<uint64_t> CountOf(const HighestComplete& counts, uint64_t endpoint) {
  return endpoint < counts.size() ? counts[endpoint] : std::nullopt;
}

std::string Describe(const std::string& source, const HighestComplete& counts) {
  std::string text = source + ": highest complete count by endpoint [";
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) text += ", ";
    text += counts[i] ? std::to_string(*counts[i]) : "none";
  }
  return text + "]";
}

}  // namespace

CompletionVerifier::CompletionVerifier(const SimulatorTruth& truth, Violations& violations)
    : truth_(truth), violations_(violations) {}

void CompletionVerifier::Add(CompleteAnswer answer) {
  std::lock_guard lock(mutex_);
  pending_.push_back(std::move(answer));
}

bool CompletionVerifier::TrySettle(const CompleteAnswer& answer, const SimState* state) {
  const std::string incarnation = answer.token.incarnation.ToString();
  std::optional<uint64_t> highest;
  std::string truth;
  bool known = true;
  // The end counts first: the state may have been read after a restart.
  if (const std::optional<HighestComplete> final_counts = truth_.FinalCounts(incarnation)) {
    highest = CountOf(*final_counts, answer.token.endpoint);
    truth = Describe("at the end of incarnation " + incarnation, *final_counts);
  } else if (state != nullptr && state->incarnation == incarnation) {
    highest = CountOf(state->highest_complete, answer.token.endpoint);
    truth = Describe("read after the answer, incarnation " + incarnation, state->highest_complete);
  } else if (state != nullptr && !truth_.Ran(incarnation)) {
    known = false;
    truth = "the simulator never ran incarnation " + incarnation + " (it runs " +
            state->incarnation + ")";
  } else {
    return false;
  }
  if (const auto problem = CheckCompleteIsTrue(200, answer.token, known, highest))
    violations_.Add({"complete only if the simulator completed it: " + *problem, answer.request,
                     answer.answer, truth});
  ++settled_;
  return true;
}

void CompletionVerifier::Settle(const SimState& state,
                                SimulatorTruth::Clock::time_point read_started) {
  std::lock_guard lock(mutex_);
  std::vector<CompleteAnswer> left;
  for (CompleteAnswer& answer : pending_) {
    const bool before_read = answer.answered_at <= read_started;
    if (!before_read || !TrySettle(answer, &state)) left.push_back(std::move(answer));
  }
  pending_ = std::move(left);
}

size_t CompletionVerifier::SettleWithEnds() {
  std::lock_guard lock(mutex_);
  std::vector<CompleteAnswer> left;
  for (CompleteAnswer& answer : pending_) {
    if (!TrySettle(answer, nullptr)) left.push_back(std::move(answer));
  }
  pending_ = std::move(left);
  return pending_.size();
}

uint64_t CompletionVerifier::settled() const {
  std::lock_guard lock(mutex_);
  return settled_;
}

size_t CompletionVerifier::pending() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

}  // namespace sidecar::testing::chaos
