#include "fakes/kube_api/random_ids.h"

#include <ctime>
#include <random>

namespace sidecar::testing::kubefake {
namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 generator(std::random_device{}());
  return generator;
}

std::string RandomFrom(std::string_view alphabet, size_t length) {
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (size_t i = 0; i < length; ++i) out.push_back(alphabet[pick(Generator())]);
  return out;
}

}  // namespace

std::string NewUid() {
  std::string hex = RandomHex(32);
  hex[12] = '4';                                                            // version 4
  hex[16] = "89ab"[std::uniform_int_distribution<int>(0, 3)(Generator())];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string RandomNameSuffix(size_t length) {
  // The API server leaves out vowels and easily confused characters.
  return RandomFrom("bcdfghjklmnpqrstvwxz2456789", length);
}

std::string RandomHex(size_t length) {
  return RandomFrom("0123456789abcdef", length);
}

std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace sidecar::testing::kubefake
