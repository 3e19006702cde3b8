// Quoting names and text into SQL the way SQLite and PostgreSQL both read them, and text into
// a C-style string literal; a statement cut to one line for messages. Internal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail {

/// "name", any " inside doubled: an identifier, whatever its case or characters.
std::string quote_ident(std::string_view name);

/// "a", "b": each name quoted_ident'ed, joined with ", " (column lists).
std::string quote_ident_list(const std::vector<std::string>& names);

/// 'text', any ' inside doubled: a string literal (PostgreSQL with
/// standard_conforming_strings, its default since 9.1).
std::string quote_literal(std::string_view text);

/// "text" with \" and \\ escaped and newlines as \n: a C++ string literal (autogenerate's
/// C++ revisions) and a Graphviz DOT ID (migtest graph) alike.
std::string c_string_literal(std::string_view text);

/// A statement cut to one line of at most `max` characters (runs of white space as one
/// space, "..." at a cut), for messages.
std::string shorten(const std::string& statement, std::size_t max = 120);

}  // namespace migtest::detail
