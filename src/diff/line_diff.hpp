// diff/line_diff.hpp: a long definition that differs (view, function, trigger, check, default)
// shown as a line diff of its two sides, not as two long lines to compare by eye.
//   for (const auto& line : detail::difference_lines(d, "database", "model")) out += line + "\n";
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migtest/diff.hpp"

namespace migtest::detail {

/// A definition cut into lines to compare: its own line breaks, then, since reflection gives
/// definitions on one line, a break before each top-level clause (SELECT, FROM, WHERE, JOIN,
/// AND, OR, BEGIN, ...) and after each ',' and ';', outside quotes. Lines are trimmed.
std::vector<std::string> definition_lines(std::string_view text);

/// Unified-style lines of the longest common subsequence of `a` and `b`: "  same", "- only
/// in a", "+ only in b", with `context` unchanged lines around each change and "  ..." where
/// unchanged lines are left out. Empty when a == b.
std::vector<std::string> line_diff(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b, std::size_t context = 2);

/// Difference::describe() as one line, or for a changed definition of which a side is long
/// (over 72 characters or several lines), a header line "view v differs (- database, + model):"
/// followed by the line diff of the two sides, each line indented by two spaces.
std::vector<std::string> difference_lines(const Difference& d, std::string_view actual_label,
                                          std::string_view expected_label);

}  // namespace migtest::detail
