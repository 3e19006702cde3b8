// Canonical SQLite spellings of types, defaults, expressions and names: what reflection and
// expected_schema both store, so equal things compare equal (docs/reference/sqlite.md).
//   canonical_type("VARCHAR ( 255 )") == "varchar(255)";  canonical_expression("((a>0))") == "a > 0"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backend/sqlite/tokenizer.hpp"
#include "migtest/schema.hpp"
#include "sql_quote.hpp"  // quote_ident, quote_literal: DDL rendering quotes with them

namespace migtest::detail::sqlite {

/// Tokens re-joined: keywords upper case; identifiers as written but unquoted when they
/// need no quotes; names before "(" (functions) lower case; collation names upper case;
/// strings in single quotes; blobs X'..' upper case; `==` -> `=`, `<>` -> `!=`; one space
/// between tokens except inside parentheses, before `,`, around `.`, after a unary sign and
/// before a call's `(`.
std::string canonical_sql(const Tokens& t, Span span);
std::string canonical_sql(std::string_view sql);

/// canonical_sql without redundant outer parentheses: "((a > 0))" -> "a > 0".
std::string canonical_expression(const Tokens& t, Span span);
std::string canonical_expression(std::string_view sql);

/// A whole CREATE TRIGGER statement, canonical_sql, without IF NOT EXISTS (SQLite drops
/// it from the stored text; a text given by hand may keep it).
std::string canonical_trigger(std::string_view sql);

/// A DEFAULT operand: canonical_expression, plus SQLite's literal rules: NULL (or nothing)
/// is no default, TRUE/FALSE are 1/0, a lone identifier (`DEFAULT abc`, `DEFAULT "abc"`) is
/// the string 'abc', `+1` is 1.
std::optional<std::string> canonical_default(std::string_view sql);

/// A declared type: lower case, quotes dropped, one space between words, no space around
/// parentheses and commas: "VARCHAR ( 255 )" -> "varchar(255)", "NUMERIC(10, 2)" ->
/// "numeric(10,2)". No two spellings are merged (INT stays int): see the docs.
std::string canonical_type(std::string_view declared);

/// A collation name: "" for none or BINARY (the default), otherwise upper case ("NOCASE").
std::string canonical_collation(std::string_view name);

/// Bare when it needs no quotes (a plain word that is no keyword), double-quoted otherwise:
/// what canonical expression text uses.
std::string identifier_text(std::string_view name);

/// ASCII case-insensitive equality: how SQLite compares names.
bool same_name(std::string_view a, std::string_view b);
std::string lower(std::string_view s);
std::string upper(std::string_view s);

/// Puts a Schema in the one order reflect() and expected_schema() share (Schema::sort():
/// everything by name, then content; columns keep their database order).
void canonical_order(Schema& s);

}  // namespace migtest::detail::sqlite
