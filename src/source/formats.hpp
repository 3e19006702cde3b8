// Readers of one revision file per format, and the directory scan (internal).
#pragma once

#include <cstdint>
#include <optional>
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

/// A foreign revision's version, read from its file or folder name by its own tool's rule
/// (docs/reference/revision-files.md, "How each layout is ordered").
struct ForeignVersion {
  std::string id;            // the version as the tool writes it into its version table
  std::string message;       // the rest of the name, '_' read as spaces
  std::string name;          // the file or folder name
  std::uint64_t number = 0;  // golang-migrate and goose: the version as a number
};

/// Diesel: any folder holding up.sql is a migration; its version is the folder name up to
/// the first '_', dashes removed (`2024-03-13_170000_x` is version "20240313"). A string.
ForeignVersion diesel_version(std::string_view folder_name);

/// golang-migrate: `<digits>_<name>.<up|down>.<any extension>`, the digits read as an
/// unsigned 64-bit number (`fits` false when they do not fit: golang-migrate skips the
/// file). nullopt for any other name.
struct GolangMigrateFile {
  ForeignVersion version;
  bool up = true;
  bool fits = true;
};
std::optional<GolangMigrateFile> golang_migrate_file(std::string_view file_name);

/// dbmate: a name `<digits><anything>.sql`; the version is the leading digits as written
/// ("001" and "1" are two versions). nullopt for any other name.
std::optional<ForeignVersion> dbmate_version(std::string_view file_name);

/// goose: every `.sql` file (and versioned `.go` file) of the folder; the version is the
/// text before the first '_' read as a signed 64-bit number (an optional sign, decimal
/// digits), which must be at least 1. nullopt with `refused` set to goose's reason otherwise.
std::optional<ForeignVersion> goose_version(std::string_view file_name, std::string& refused);

/// Each tool's run order (what its `up` applies first), one function per tool.
/// Diesel: versions as strings, byte by byte (`20240313` before `20240313000000`).
bool diesel_before(const ForeignVersion& a, const ForeignVersion& b);
/// golang-migrate: versions as numbers.
bool golang_migrate_before(const ForeignVersion& a, const ForeignVersion& b);
/// dbmate: file names as strings, byte by byte (`10_x.sql` before `2_y.sql`).
bool dbmate_before(const ForeignVersion& a, const ForeignVersion& b);
/// goose: versions as numbers.
bool goose_before(const ForeignVersion& a, const ForeignVersion& b);

}  // namespace migtest::detail
