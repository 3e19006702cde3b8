// Small text helpers shared by the revision-file readers (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "strings.hpp"  // trim, lower, ends_with, split_list: the core text helpers

namespace migtest::detail {

bool all_digits(std::string_view s);

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

/// What `path` is when it is not a regular file, after following symbolic links: "a FIFO",
/// "a socket", "a character device", "a block device", "a directory", "a symbolic link to a
/// missing file", ...; "" for a regular file. Looks without opening: opening a FIFO blocks.
std::string not_a_regular_file(const std::string& path);
/// The parse_error for a revision's path that is `kind` (not_a_regular_file's word for it).
[[noreturn]] void refuse_not_regular_file(const std::string& path, const std::string& kind);

/// The bytes of a revision file (of any layout), refused with a parse_error naming the file
/// when they could run as something other than what the file shows:
/// - not a regular file (never opened, so a FIFO cannot block the loader);
/// - a control character other than tab, LF, CR and FF (a NUL ends a statement early in
///   both databases' C APIs), by byte offset, line and column;
/// - invalid UTF-8 (a leading byte order mark is fine).
std::string read_revision_file(const std::string& path);
/// The text check of read_revision_file on bytes already in memory.
void check_revision_text(const std::string& path, std::string_view bytes);
/// Bytes without a leading UTF-8 byte order mark.
std::string_view without_bom(std::string_view text);

}  // namespace migtest::detail
