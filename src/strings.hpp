// The library's text helpers, one of each: ASCII case folding and comparison, trimming,
// prefixes and suffixes, splitting and joining. Core: every module may include it. Internal.
//   detail::iequals("Text", "TEXT");                  // true
//   detail::join({"a", "b"}, ", ");                    // "a, b"
// Case folding is ASCII only on purpose: SQL keywords and identifiers fold that way in both
// databases, and a locale must never change what a name compares equal to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail {

/// `s` with A-Z as a-z; other bytes (UTF-8 included) unchanged.
std::string lower(std::string_view s);
/// `s` with a-z as A-Z; other bytes unchanged.
std::string upper(std::string_view s);
/// Equal when ASCII case is ignored.
bool iequals(std::string_view a, std::string_view b);

/// `s` without leading and trailing white space (std::isspace).
std::string_view trim(std::string_view s);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
/// ends_with, ASCII case ignored.
bool iends_with(std::string_view s, std::string_view suffix);

/// The parts of `s` between each `sep` (empty parts kept: "a,,b" has three).
std::vector<std::string> split(std::string_view s, char sep);
/// "a, b" into trimmed non-empty parts.
std::vector<std::string> split_list(std::string_view s);
/// The parts with `sep` between each two.
std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ");

}  // namespace migtest::detail
