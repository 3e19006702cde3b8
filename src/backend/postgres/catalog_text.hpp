// The few rules reflection applies on top of the server's own text (format_type, pg_get_expr,
// pg_get_indexdef, pg_get_viewdef): what the server prints is the canonical form, these only
// read its output or equate spellings the server keeps apart although they mean the same.
// Internal header (docs/reference/postgresql.md, "Canonical forms").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail::pg {

/// Elements of a one-dimensional PostgreSQL array literal in text form: {a,"b c",NULL}.
std::vector<std::optional<std::string>> parse_text_array(std::string_view text);

/// A column default as pg_get_expr prints it, or nullopt for no default: DEFAULT NULL is
/// stored as `NULL::type` and means none. `CURRENT_TIMESTAMP` and `transaction_timestamp()`
/// are `now()`, which they equal (the transaction's start time), wherever they appear
/// outside quotes.
std::optional<std::string> column_default(std::string_view expression);

/// pg_get_expr's outermost parentheses removed when they enclose the whole text:
/// "(a > 0)" -> "a > 0", "(a > 0) AND (b > 0)" stays.
std::string strip_outer_parens(std::string_view expression);

/// Runs of whitespace outside quotes as one space, trimmed, a trailing ';' dropped: a view's
/// pg_get_viewdef on one line.
std::string one_line(std::string_view text);

/// The items of a parenthesised, comma-separated list starting at the first '(' outside
/// double quotes: pg_get_indexdef's key list ("CREATE INDEX i ON t USING btree (a, lower(b))"
/// gives "a", "lower(b)"). Quotes and nested parentheses are skipped over.
std::vector<std::string> first_list(std::string_view text);

/// The parameters of a sequence that are not PostgreSQL's defaults for its type and
/// direction, as CREATE SEQUENCE spells them: "MINVALUE 5 MAXVALUE 100 CACHE 20 CYCLE".
/// With `with_start`, START WITH and INCREMENT BY too (an identity column's sequence, whose
/// start and increment are not listed elsewhere).
struct SequenceParameters {
  std::string type;  // "smallint", "integer" or "bigint"
  long long start = 1, increment = 1, min = 1, max = 0, cache = 1;
  bool cycle = false;
};
std::string sequence_options(const SequenceParameters& p, bool with_start);

}  // namespace migtest::detail::pg
