// UUIDs as Feldera uses them for pipeline incarnations.
//
// Incarnation UUIDs are version 7: the first 48 bits are the Unix time in milliseconds at which
// the pipeline process started, so two incarnations of one pipeline order by start time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sidecar {

class Uuid {
 public:
  // Parses the hyphenated 8-4-4-4-12 form, either case. Anything else is nullopt.
  static std::optional<Uuid> Parse(std::string_view text);

  // A fresh version-7 UUID for `now` (random bits from a per-thread generator).
  static Uuid NewV7(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

  // Lower-case hyphenated form.
  std::string ToString() const;

  int Version() const { return bytes_[6] >> 4; }

  // For a version-7 UUID, the Unix time in milliseconds it carries; nullopt for other versions.
  std::optional<uint64_t> V7UnixMillis() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace sidecar
