// SQLite's documented table rebuild ("Making Other Kinds Of Table Schema Changes",
// https://www.sqlite.org/lang_altertable.html): what ALTER TABLE cannot do. Internal header.
//   run_rebuild(conn, Rebuild{desired, {"id", "name"}, {"ix_user_name"}, "alter column"}, sink);
#pragma once

#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/operations.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail::sqlite {

/// One rebuild: the table as it must be afterwards, and what carries over.
struct Rebuild {
  Table desired;                          // named as the live table
  std::vector<std::string> copy_columns;  // copied by name (generated columns never)
  std::vector<std::string> keep_indexes;  // live indexes recreated from their stored SQL
  std::vector<Index> new_indexes;         // indexes rendered afresh
  std::vector<std::string> not_null;      // columns that become NOT NULL: NULLs fail early
  std::string reason;                     // for the comment: "alter column user.name"
};

/// Runs the rebuild on `connection` (inside the caller's transaction when there is one):
/// foreign key enforcement is switched off for its duration (sqlite3_db_config, which, unlike
/// PRAGMA foreign_keys, works inside a transaction), legacy_alter_table is on for the rename
/// (views and triggers naming the table stay valid), then PRAGMA foreign_key_check runs on the
/// table and on every table that refers to it; a violation throws and nothing is kept.
/// Each statement goes to `sink` when given.
void run_rebuild(Connection& connection, const Rebuild& rebuild, const StatementSink& sink);

/// The table as `rebuild` leaves it, its new indexes included: what an operation after it
/// sees.
Table rebuilt_table(const Rebuild& rebuild);

/// One rebuild that does what `earlier` and then `later` do, `later` having been made from
/// rebuilt_table(earlier): desired as `later` wants it, copying only the columns both copy,
/// keeping only what both keep (batch mode: Operations::batch).
Rebuild merge_rebuilds(const Rebuild& earlier, const Rebuild& later);

/// Tables (other than itself) whose foreign keys refer to `table`.
std::vector<std::string> referencing_tables(const Schema& schema, const std::string& table);

}  // namespace migtest::detail::sqlite
