// Small text helpers shared by the revision-file readers (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
bool all_digits(std::string_view s);
/// "a, b" into trimmed non-empty parts.
std::vector<std::string> split_list(std::string_view s);

/// One line of a file: its text (without '\n' and a trailing '\r'), its 1-based
/// number and where it starts in the file.
struct Line {
  std::string_view text;
  int number;
  std::size_t offset;
};
std::vector<Line> lines_of(std::string_view text);

/// For the text of a `--` comment (after the dashes, trimmed): the goose command
/// in lower case with single spaces ("up", "statementbegin", "no transaction"),
/// or "" when it is not a `+goose` annotation.
std::string goose_annotation(std::string_view comment);

/// The whole file as bytes; parse_error when it cannot be read.
std::string read_file(const std::string& path);
/// Bytes without a leading UTF-8 byte order mark.
std::string_view without_bom(std::string_view text);

}  // namespace migtest::detail
