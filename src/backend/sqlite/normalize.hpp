// Canonical SQLite spellings of types, defaults, expressions and names: what reflection and
// expected_schema both store, so equal things compare equal (docs/reference/sqlite.md).
//   canonical_type("VARCHAR ( 255 )") == "varchar(255)";  canonical_expression("((A>0))") == "a >
//   0"
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "backend/sqlite/expression.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/schema.hpp"
#include "sql_quote.hpp"  // quote_ident, quote_literal: DDL rendering quotes with them
#include "strings.hpp"    // lower, upper, iequals: the library's one set of text helpers

namespace migtest::detail::sqlite {

/// Tokens as SQLite reads them (read_as_sqlite: names resolved and in lower case,
/// synonyms rewritten, redundant parentheses dropped at any depth) re-joined: keywords upper
/// case; names bare when they need no quotes; collation names upper case; strings in single
/// quotes; blobs X'..' upper case; one space between tokens except inside parentheses,
/// before `,`, around `.`, after a unary sign and before a call's `(`. Valid SQL with the
/// meaning of the input (`scope`: see NameScope).
std::string canonical_sql(const Tokens& t, Span span, const NameScope& scope = {});
std::string canonical_sql(std::string_view sql, const NameScope& scope = {});

/// canonical_sql of an expression (a CHECK, an index term, a WHERE, a generated column).
std::string canonical_expression(const Tokens& t, Span span, const NameScope& scope = {});
std::string canonical_expression(std::string_view sql, const NameScope& scope = {});

/// A whole CREATE TRIGGER statement, canonical_sql, with the header SQLite reads alike
/// written one way: no IF NOT EXISTS (SQLite drops it from the stored text), BEFORE when
/// no time is given (the default), no FOR EACH ROW (the only kind there is).
std::string canonical_trigger(std::string_view sql, const NameScope& scope = {});

/// The names a table's CHECKs, index expressions and generated columns can reach, for a
/// complete NameScope: its columns and the rowid's names, lower case.
std::set<std::string> table_scope(const std::vector<std::string>& columns);

/// A DEFAULT operand: canonical_expression (a default reaches no name: a double-quoted
/// word is a string), plus SQLite's literal rules: NULL (or nothing) is no default,
/// TRUE/FALSE are 1/0, a lone identifier (`DEFAULT abc`) is the string 'abc', `+1` is 1.
std::optional<std::string> canonical_default(std::string_view sql);

/// A declared type: lower case, quotes dropped, one space between words, no space around
/// parentheses and commas: "VARCHAR ( 255 )" -> "varchar(255)", "NUMERIC(10, 2)" ->
/// "numeric(10,2)". No two spellings are merged (INT stays int): see the docs.
std::string canonical_type(std::string_view declared);

/// What a declared type means to SQLite (Column::type_key): "rowid" for the rowid alias;
/// in a STRICT table its type ("int" is "integer"); else its affinity in lower case, and for
/// NUMERIC affinity "numeric " + the type's name without arguments ("numeric datetime"):
/// the name applications convert by. `canonical` is canonical_type's text.
std::string type_key(std::string_view canonical, bool strict, bool rowid_alias);

/// canonical_type, canonical_default and type_key, each computed once per spelling: a
/// schema repeats a few types and defaults thousands of times, and reflecting 1,000 tables
/// must not pay the canonical rules per column. One per reflection or expected schema.
class CanonicalCache {
 public:
  const std::string& type(const std::string& declared);
  /// Throws what canonical_default throws (and remembers nothing then).
  const std::optional<std::string>& default_value(const std::string& sql);
  const std::string& key(const std::string& canonical, bool strict, bool rowid_alias);

 private:
  std::unordered_map<std::string, std::string> types_;
  std::unordered_map<std::string, std::optional<std::string>> defaults_;
  std::map<std::tuple<std::string, bool, bool>, std::string> keys_;
};

/// A collation name: "" for none or BINARY (the default), otherwise upper case ("NOCASE").
std::string canonical_collation(std::string_view name);

/// Bare when it needs no quotes (a plain word that is no keyword), double-quoted otherwise:
/// what canonical expression text uses.
std::string identifier_text(std::string_view name);

/// ASCII case-insensitive equality: how SQLite compares names.
bool same_name(std::string_view a, std::string_view b);
// The core ASCII folds, under the names this namespace has long offered.
using detail::lower;
using detail::upper;

/// Puts a Schema in the one order reflect() and expected_schema() share (Schema::sort():
/// everything by name, then content; columns keep their database order).
void canonical_order(Schema& s);

}  // namespace migtest::detail::sqlite
