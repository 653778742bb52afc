// The benchmark's one table: a row per measurement, with the reference it is compared with (a
// ratio against a figure measured in the same run), the target and whether it was met.
// Formatting helpers keep every figure in one style. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace sidecar::bench {

enum class Verdict { kNoTarget, kMet, kMissed };

struct ResultRow {
  std::string section;      // e.g. "1 status"
  std::string measurement;  // what was measured, and how
  std::string result;       // the figures
  std::string comparison;   // against the same run's reference, e.g. "0.93× bare listener"
  std::string target;       // the target, if the row has one
  Verdict verdict = Verdict::kNoTarget;
};

Verdict AtLeast(double value, double bound);
Verdict AtMost(double value, double bound);

std::string FormatCount(double value);   // 21345.6 -> "21,346"
std::string FormatNumber(double value);  // three significant figures: "40.8", "0.412", "113"
std::string FormatMillis(double ms);     // "3.92 ms", "0.41 ms", "112 ms"
std::string FormatMib(double mib);       // "11.4 MB" (MiB, as RSS is counted)
std::string FormatRatio(double ratio);   // "0.93×"
std::string FormatNanos(double ns);      // "182 ns"

// The rows as one Markdown table (also readable as plain text).
std::string RenderTable(const std::vector<ResultRow>& rows);

// Rows whose verdict is kMissed.
std::vector<ResultRow> Missed(const std::vector<ResultRow>& rows);

}  // namespace sidecar::bench
