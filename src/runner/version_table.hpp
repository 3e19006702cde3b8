// The version table: one row per applied revision, with the checksum it was applied with, a
// flag on the heads, and the dirty state of a revision that ran outside a transaction. This
// class is the only code that reads or writes it (the runner, the fixtures); offline SQL
// prints the same statements. Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/graph.hpp"
#include "migtest/runner.hpp"

namespace migtest::detail {

/// The version table's name quoted: "migtest_version", or "audit"."migtest_version" for
/// "audit.migtest_version" (a dot separates the schema from the table).
std::string quote_table(std::string_view table);
/// CREATE SCHEMA IF NOT EXISTS for the schema of a "schema.table" version table (PostgreSQL),
/// "" for an unqualified one.
std::string version_schema_ddl(std::string_view table);
/// CREATE TABLE IF NOT EXISTS for the version table `table`.
std::string version_table_ddl(std::string_view table);
/// "<base>" for no revision, else "a1b2, c3d4".
std::string heads_text(const std::vector<std::string>& ids);
/// The current UTC time as "2026-12-03T12:00:00Z".
std::string utc_now();

/// The INSERT that records `row` (with literal values, for offline SQL and for the runner).
std::string insert_row_sql(std::string_view table, const AppliedRevision& row);
/// The UPDATEs that move the head flags from `before` to `after`, leaving `except` alone
/// (a row the caller inserted or deleted itself).
std::vector<std::string> move_heads_sql(std::string_view table,
                                        const std::vector<std::string>& before,
                                        const std::vector<std::string>& after,
                                        std::string_view except);

class VersionTable {
 public:
  enum class Shape {
    missing,  // no table: the database is at base
    legacy,   // written by migtest 0.1: version_num only, one row per head
    current,  // this version's columns
  };

  VersionTable(Connection& connection, std::string name);

  /// What the table looks like (probed once, then remembered). config_error when a table of
  /// that name exists without a version_num column (another tool's).
  Shape shape();
  /// Every row, by revision id; nothing is created. A legacy table's rows are its heads,
  /// without checksums.
  std::vector<AppliedRevision> read();

  /// Creates the table, or upgrades a legacy one in place: its rows are kept as the heads and
  /// the revisions below them (from `graph`) are added without a checksum. Runs in its own
  /// transaction; call it under the migration lock and only when something will be written.
  void prepare(const RevisionGraph& graph);

  // Writes, inside the caller's transaction.
  void record_up(const AppliedRevision& row, const std::vector<std::string>& before,
                 const std::vector<std::string>& after);
  /// A dirty upgrade that finished: clean, and a head if it is one.
  void finish_up(const std::string& revision, const std::vector<std::string>& before,
                 const std::vector<std::string>& after);
  void record_down(const std::string& revision, const std::vector<std::string>& before,
                   const std::vector<std::string>& after);
  /// A revision about to run outside a transaction: inserted (up) or flagged (down) as dirty.
  void mark_started(const AppliedRevision& row, Direction direction);
  /// The dirty revision's failure: the 1-based statement (0: in C++ code) and the error.
  void mark_failed(const std::string& revision, int statement, const std::string& message);
  void set_checksum(const std::string& revision, const std::string& checksum);
  /// Replaces every row: what stamp and repair write.
  void replace(const std::vector<AppliedRevision>& rows);

  const std::string& name() const { return name_; }

 private:
  Connection& c_;
  std::string name_, quoted_;
  std::optional<Shape> shape_;
};

}  // namespace migtest::detail
