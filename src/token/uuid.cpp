#include "token/uuid.h"

#include <random>

namespace sidecar {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid uuid;
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    uuid.bytes_[byte++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return uuid;
}

Uuid Uuid::NewV7(std::chrono::system_clock::time_point now) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t millis = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  Uuid uuid;
  for (int i = 0; i < 6; ++i) uuid.bytes_[i] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  const uint64_t r1 = rng();
  const uint64_t r2 = rng();
  for (int i = 6; i < 16; ++i) {
    uuid.bytes_[i] = static_cast<uint8_t>((i < 12 ? r1 : r2) >> (8 * (i % 6)));
  }
  uuid.bytes_[6] = static_cast<uint8_t>(0x70 | (uuid.bytes_[6] & 0x0F));  // version 7
  uuid.bytes_[8] = static_cast<uint8_t>(0x80 | (uuid.bytes_[8] & 0x3F));  // RFC 9562 variant
  return uuid;
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes_[i] >> 4];
    out += kHex[bytes_[i] & 0x0F];
  }
  return out;
}

std::optional<uint64_t> Uuid::V7UnixMillis() const {
  if (Version() != 7) return std::nullopt;
  uint64_t millis = 0;
  for (int i = 0; i < 6; ++i) millis = millis << 8 | bytes_[i];
  return millis;
}

}  // namespace sidecar
