// Feldera's canonical form of a SQL identifier, as its API server applies it to a table name in a
// URL before it names an input endpoint (`{table}.{connector}`).
//
// An identifier in double quotes keeps its case and loses the quotes; any other is
// case-insensitive and becomes lower case (feldera-types, program_schema.rs: SqlIdentifier::name).
// Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace sidecar::feldera {

// `"T1"` -> `T1`, `T1` -> `t1`, `t1` -> `t1`. Lower case is Unicode's simple lower-case mapping
// (plus U+0130's two-code-point one), as Rust's str::to_lowercase gives for all but the
// context-dependent Greek final sigma. Bytes that are not UTF-8 are kept as they are.
std::string CanonicalSqlIdentifier(std::string_view identifier);

}  // namespace sidecar::feldera
