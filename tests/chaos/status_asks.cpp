#include "chaos/status_asks.h"

#include <cpprest/base_uri.h>

#include "token/base64url.h"

namespace sidecar::testing::chaos {
namespace {

// Feldera's documented example: an incarnation of May 2025, older than any the test runs.
constexpr char kFelderasExampleToken[] =
    "eyJ1IjoiMDE5NmIxMjAtNjIwMy03YjkwLWI2YmQtMTY4OTBkZjE1ZTI4IiwiZSI6MywiYyI6M30=";

// Far beyond what the clients ingest in a run: such a count never completes.
constexpr uint64_t kUnreachedCount = 1'000'000'000;

int Pick(std::mt19937_64& random, int from, int to) {
  return std::uniform_int_distribution<int>(from, to)(random);
}

// A well-formed token that no real one is: a count never reached, an endpoint the pipeline does
// not have, an incarnation never run (an hour before or after now).
CompletionToken MadeUpToken(std::mt19937_64& random, const std::vector<CompletionToken>& known) {
  CompletionToken token = known.empty() ? CompletionToken{Uuid::NewV7(), 0, 1}
                                        : known[Pick(random, 0, int(known.size()) - 1)];
  switch (Pick(random, 0, 2)) {
    case 0:
      token.count += kUnreachedCount;
      break;
    case 1:
      token.endpoint = static_cast<uint64_t>(Pick(random, 1, 9));
      break;
    default:
      token.incarnation = Uuid::NewV7(std::chrono::system_clock::now() +
                                      std::chrono::minutes(Pick(random, 0, 1) == 0 ? -60 : 60));
      break;
  }
  return token;
}

std::string Target(const std::string& pipeline, const std::optional<std::string>& token,
                   const std::string& wait) {
  std::string target = "/v0/pipelines/" + pipeline + "/completion_status";
  std::string separator = "?";
  if (token) {
    target += "?token=" + web::uri::encode_data_string(*token);
    separator = "&";
  }
  if (!wait.empty()) target += separator + "wait_ms=" + wait;
  return target;
}

}  // namespace

std::vector<std::string> InvalidTokens() {
  const std::string uuid = "0196b120-6203-7b90-b6bd-16890df15e28";
  return {
      "",
      "not-base64!",
      "eyJ1Ijo",  // a cut token
      Base64UrlEncode("[]"),
      Base64UrlEncode("not json at all"),
      Base64UrlEncode(R"({"u":"nope","e":0,"c":1})"),
      Base64UrlEncode(R"({"u":")" + uuid + R"(","e":0})"),
      Base64UrlEncode(R"({"u":")" + uuid + R"(","e":0,"c":-1})"),
      Base64UrlEncode(R"({"u":")" + uuid + R"(","e":"0","c":1})"),
      Base64UrlEncode(R"({"u":")" + uuid + R"(","e":0,"c":18446744073709551616})"),
      std::string(5000, 'A'),
  };
}

PlannedAsk PlanStatusAsk(std::mt19937_64& random, const std::vector<CompletionToken>& known,
                         const std::string& pipeline, int max_wait_ms) {
  PlannedAsk plan;
  const int roll = Pick(random, 0, 99);
  if (roll < 10) {
    plan.ask = StatusAsk::kInvalidToken;
    const std::vector<std::string> invalid = InvalidTokens();
    plan.target = Target(pipeline, invalid[Pick(random, 0, int(invalid.size()) - 1)], "");
    return plan;
  }
  if (roll < 13) {
    plan.ask = StatusAsk::kMissingToken;
    plan.target = Target(pipeline, std::nullopt, "");
    return plan;
  }
  if (roll < 18) {
    plan.ask = StatusAsk::kUnknownPipeline;
    plan.target = Target(pipeline + "-elsewhere", kFelderasExampleToken, "");
    return plan;
  }
  if (roll < 21 && !known.empty()) {
    plan.ask = StatusAsk::kInvalidWait;
    plan.token = known[Pick(random, 0, int(known.size()) - 1)];
    const char* bad_waits[] = {"forever", "-5", "1e3", "999999999"};
    plan.target =
        Target(pipeline, EncodeCompletionToken(*plan.token), bad_waits[Pick(random, 0, 3)]);
    return plan;
  }
  plan.ask = StatusAsk::kToken;
  std::string token_text;
  if (roll < 33 || known.empty()) {
    plan.token = MadeUpToken(random, known);
    token_text = EncodeCompletionToken(*plan.token);
  } else if (roll < 36) {
    plan.token = DecodeCompletionToken(kFelderasExampleToken).value();
    token_text = kFelderasExampleToken;  // padded, as Feldera's documentation writes it
  } else {
    plan.token = known[Pick(random, 0, int(known.size()) - 1)];
    token_text = EncodeCompletionToken(*plan.token);
  }
  if (Pick(random, 0, 3) == 0) plan.wait_ms = Pick(random, 0, max_wait_ms);
  plan.target = Target(pipeline, token_text, plan.wait_ms > 0 ? std::to_string(plan.wait_ms) : "");
  return plan;
}

}  // namespace sidecar::testing::chaos
