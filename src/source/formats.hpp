// Readers of one revision file per format, and the directory scan (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migtest/source.hpp"

namespace migtest::detail {

/// migtest's own format: header fields, then -- migrate:up/down [dialect] sections.
RevisionScript parse_migtest_file(const std::string& path, std::string_view bytes);
/// dbmate: -- migrate:up / -- migrate:down [transaction:false]. The caller sets id,
/// message and parent.
RevisionScript parse_dbmate_file(const std::string& path, std::string_view bytes);
/// goose: -- +goose Up / Down / StatementBegin / StatementEnd / NO TRANSACTION.
RevisionScript parse_goose_file(const std::string& path, std::string_view bytes,
                                std::vector<std::string>& warnings);

/// True when the section holds a statement. Splits it for its dialect (a
/// generic one for both, failing only when neither can split it): the
/// splitter's parse_error on an unterminated quote or comment.
bool section_has_statements(const SqlSection& section, const std::string& file);

/// A scanned directory: its layout and revisions (parents not yet linked for
/// foreign layouts: load_directory links them).
struct LoadedDirectory {
  std::string layout;
  std::vector<RevisionScript> scripts;
  std::vector<std::string> warnings;
};
LoadedDirectory load_directory(const std::string& directory);

/// "YYYY-MM-DDTHH:MM:SS" for a plausible 14-digit timestamp version, else "".
std::string created_from_version(std::string_view version);

}  // namespace migtest::detail
