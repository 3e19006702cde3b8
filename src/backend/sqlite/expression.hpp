// How SQLite reads a stretch of SQL, as tokens that canonical text can print without changing
// its meaning: names resolved, synonyms rewritten, parentheses dropped where the parse cannot
// change. Internal header (docs/reference/sqlite.md, "Expressions").
//   Tokens w = read_as_sqlite(tokens, span, scope);  // then printed by canonical_sql
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "backend/sqlite/tokenizer.hpp"

namespace migtest::detail::sqlite {

/// The names a text can reach, lower case. SQLite reads a double-quoted word it cannot
/// resolve to a name as a string literal (its legacy double-quoted strings), so whether
/// "x" is a name or a string depends on them.
struct NameScope {
  const std::set<std::string>* names = nullptr;  // nullptr: none known
  /// True when `names` holds every name the text can reach (a CHECK reaches its table's
  /// columns only): a double-quoted word outside it is then a string. False (a trigger's
  /// statements reach other tables): such a word stays a quoted name, case and all.
  bool complete = false;
};

/// The tokens of `span` (trailing ';' dropped) as SQLite reads them:
///  - every name is an `identifier` token whose value is the name in ASCII lower case
///    (SQLite compares names so): bare words; "x", [x] and `x`; a 'string' where SQLite
///    takes a name (after FROM, INTO, AS, ..., around '.'); a keyword SQLite falls back to
///    reading as a name (`key`, `desc` as a column);
///  - a double-quoted word SQLite reads as a string (see NameScope) is a `string` token; one
///    of unknown role stays a `quoted_identifier` with its value as written;
///  - ISNULL, NOTNULL and a postfix NOT NULL are IS [NOT] NULL; IS [NOT] DISTINCT FROM is
///    IS [NOT]; == is =, <> is !=; the type of a CAST is its affinity (CAST(x AS VARCHAR(9))
///    is CAST(x AS TEXT)); numbers are written by value (0x10 is 16, 1.50 is 1.5);
///  - parentheses are dropped where SQLite's precedence gives the same parse without them:
///    around a single operand at any depth, around an operator expression whose operator
///    binds tighter than its neighbours', never around a subquery or a row value.
Tokens read_as_sqlite(const Tokens& t, Span span, const NameScope& scope);

/// SQLite's column affinity of a declared type, by its substring rules (datatype3.html
/// 3.1): "INTEGER", "TEXT", "BLOB" (also for no type), "REAL" or "NUMERIC".
std::string_view affinity(std::string_view declared);

}  // namespace migtest::detail::sqlite
