#include "chaos/status_clients.h"

#include "chaos/answer_rules.h"
#include "support/http.h"

namespace sidecar::testing::chaos {
namespace {

using Clock = SimulatorTruth::Clock;

// Real tokens kept to ask about again; the newest win.
constexpr size_t kMaxKnownTokens = 300;
// Far above the longest long-poll: a request unanswered this long is unanswered.
constexpr std::chrono::seconds kClientTimeout{30};

std::string Answer(const HttpResult& result, Clock::duration took) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (result.status == 0) return "no answer after " + std::to_string(ms) + " ms: " + result.error;
  return "HTTP " + std::to_string(result.status) + " after " + std::to_string(ms) +
         " ms: " + result.body.substr(0, 400);
}

}  // namespace

StatusClients::StatusClients(ClientOptions options, const SimulatorTruth& truth,
                             CompletionVerifier& verifier, Violations& violations)
    : options_(std::move(options)), truth_(truth), verifier_(verifier), violations_(violations) {}

StatusClients::~StatusClients() {
  Stop();
}

void StatusClients::Start() {
  for (int i = 0; i < options_.threads; ++i)
    threads_.emplace_back([this, seed = options_.seed * 1000 + i] { Run(seed); });
}

void StatusClients::Stop() {
  stopping_ = true;
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void StatusClients::Run(uint64_t seed) {
  std::mt19937_64 random(seed);
  while (!stopping_) {
    if (std::uniform_int_distribution<int>(0, 3)(random) == 0)
      Ingest(random);
    else
      AskStatus(random);
  }
}

std::string StatusClients::Since(Clock::time_point at) const {
  return "+" +
         std::to_string(
             std::chrono::duration_cast<std::chrono::milliseconds>(at - options_.run_started)
                 .count()) +
         " ms";
}

void StatusClients::Ingest(std::mt19937_64& random) {
  const int records = std::uniform_int_distribution<int>(1, 5)(random);
  std::string body;
  for (int i = 0; i < records; ++i) body += "{\"n\":" + std::to_string(i) + "}\n";
  const std::string target =
      "/v0/pipelines/" + options_.pipeline + "/ingress/" + options_.table + "?format=json";
  const Clock::time_point sent_at = Clock::now();
  const HttpResult result =
      HttpCall("POST", options_.service_url + target, body, {}, kClientTimeout);
  ++ingests_;
  if (result.status == 0) {
    violations_.Add({"every request is answered", "POST " + target + " sent at " + Since(sent_at),
                     Answer(result, Clock::now() - sent_at), "the service must answer"});
    return;
  }
  const web::json::value doc = result.Json();
  if (result.status != 200 || !doc.has_string_field("token"))
    return;  // the pipeline's own refusal, or 503 while it is unreachable: passed on as it came
  const Result<CompletionToken> token = DecodeCompletionToken(doc.at("token").as_string());
  if (!token.ok()) return;
  std::lock_guard lock(tokens_mutex_);
  tokens_.push_back(token.value());
  if (tokens_.size() > kMaxKnownTokens) tokens_.erase(tokens_.begin());
}

std::vector<CompletionToken> StatusClients::KnownTokens() const {
  std::lock_guard lock(tokens_mutex_);
  return tokens_;
}

void StatusClients::AskStatus(std::mt19937_64& random) {
  const PlannedAsk plan =
      PlanStatusAsk(random, KnownTokens(), options_.pipeline, options_.max_wait_ms);
  const Clock::time_point sent_at = Clock::now();
  const HttpResult result = HttpGet(options_.service_url + plan.target, kClientTimeout);
  const Clock::time_point answered_at = Clock::now();
  ++answers_by_status_[std::min<size_t>(result.status, answers_by_status_.size() - 1)];

  const std::string request = "GET " + plan.target.substr(0, 300) + " sent at " + Since(sent_at);
  const std::string answer = Answer(result, answered_at - sent_at);
  if (const auto problem = CheckDocumentedAnswer(result))
    violations_.Add({"a documented code with a valid body: " + *problem, request, answer,
                     "README, API reference"});
  if (const auto problem = CheckAnswerFitsAsk(plan.ask, result))
    violations_.Add(
        {"the answer the request deserves: " + *problem, request, answer, "README, API reference"});
  if (plan.ask != StatusAsk::kToken || !plan.token) return;

  const std::string incarnation = plan.token->incarnation.ToString();
  const std::optional<Clock::time_point> taken_in = truth_.EndTakenInAt(incarnation);
  if (const auto problem = CheckNotAliveAfterEnd(result.status, sent_at, taken_in)) {
    violations_.Add({"nothing alive after its end is visible: " + *problem, request, answer,
                     "the service's history showed the end of incarnation " + incarnation + " at " +
                         Since(*taken_in)});
  } else if (result.status == 200 || result.status == 202) {
    CountAliveDuringUptake(incarnation, sent_at);
  }
  if (result.status == 200) verifier_.Add({*plan.token, request, answer, answered_at});
}

void StatusClients::CountAliveDuringUptake(const std::string& incarnation,
                                           Clock::time_point sent_at) {
  const std::optional<Clock::time_point> delivered = truth_.EndDeliveredAt(incarnation);
  if (!delivered || sent_at < *delivered) return;
  ++alive_during_uptake_;
  const int64_t lag =
      std::chrono::duration_cast<std::chrono::milliseconds>(sent_at - *delivered).count();
  int64_t seen = longest_uptake_lag_ms_;
  while (lag > seen && !longest_uptake_lag_ms_.compare_exchange_weak(seen, lag)) {
  }
}

std::string StatusClients::Summary() const {
  uint64_t total = 0;
  std::string codes;
  for (size_t status = 0; status < answers_by_status_.size(); ++status) {
    const uint64_t n = answers_by_status_[status];
    if (n == 0) continue;
    total += n;
    codes += (codes.empty() ? "" : ", ") + std::to_string(status) + " x " + std::to_string(n);
  }
  return std::to_string(total) + " completion_status requests (" + codes + "); " +
         std::to_string(ingests_.load()) + " ingests; " +
         std::to_string(alive_during_uptake_.load()) +
         " answers 200/202 sent after an end was delivered but before the service took it in "
         "(the latest " +
         std::to_string(longest_uptake_lag_ms_.load()) + " ms after delivery)";
}

}  // namespace sidecar::testing::chaos
