#include "runner/results_table.h"

#include <cmath>
#include <cstdio>

namespace sidecar::bench {
namespace {

std::string Printf(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// Three significant figures at most, never scientific notation.
std::string Significant(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 100) return Printf("%.0f", value);
  if (magnitude >= 10) return Printf("%.1f", value);
  if (magnitude >= 1) return Printf("%.2f", value);
  return Printf("%.3f", value);
}

const char* VerdictText(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMet:
      return "met";
    case Verdict::kMissed:
      return "**missed**";
    case Verdict::kNoTarget:
      return "";
  }
  return "";
}

// Table cells may not hold a pipe or a line break.
std::string Cell(const std::string& text) {
  std::string cell;
  for (char c : text) {
    if (c == '|') {
      cell += "\\|";
    } else if (c == '\n') {
      cell += ' ';
    } else {
      cell += c;
    }
  }
  return cell;
}

}  // namespace

Verdict AtLeast(double value, double bound) {
  return value >= bound ? Verdict::kMet : Verdict::kMissed;
}

Verdict AtMost(double value, double bound) {
  return value <= bound ? Verdict::kMet : Verdict::kMissed;
}

std::string FormatCount(double value) {
  std::string digits = Printf("%.0f", std::round(value));
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.erase(0, 1);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return negative ? "-" + grouped : grouped;
}

std::string FormatNumber(double value) {
  return Significant(value);
}

std::string FormatMillis(double ms) {
  return Significant(ms) + " ms";
}

std::string FormatMib(double mib) {
  return Printf("%.1f", mib) + " MB";
}

std::string FormatRatio(double ratio) {
  return Significant(ratio) + "×";
}

std::string FormatNanos(double ns) {
  return ns >= 1000 ? Printf("%.0f", ns) + " ns" : Significant(ns) + " ns";
}

std::string RenderTable(const std::vector<ResultRow>& rows) {
  std::string table =
      "| # | measurement | result | vs. reference (same run) | target | verdict |\n"
      "|---|---|---|---|---|---|\n";
  for (const ResultRow& row : rows) {
    table += "| " + Cell(row.section) + " | " + Cell(row.measurement) + " | " + Cell(row.result) +
             " | " + Cell(row.comparison) + " | " + Cell(row.target) + " | " +
             VerdictText(row.verdict) + " |\n";
  }
  return table;
}

std::vector<ResultRow> Missed(const std::vector<ResultRow>& rows) {
  std::vector<ResultRow> missed;
  for (const ResultRow& row : rows) {
    if (row.verdict == Verdict::kMissed) missed.push_back(row);
  }
  return missed;
}

}  // namespace sidecar::bench
