// bench/generate_history.hpp: synthetic, realistic migration histories for the benchmarks.
//   migtest::bench::generate_history("/tmp/h200", 200);            // 200 revision files
//   std::string sql = migtest::bench::upgrade_script(migtest::bench::generate_revisions(200));
#pragma once

#include <string>
#include <vector>

namespace migtest {
namespace bench {

/// One generated revision: what its file holds. up_sql and down_sql are statements
/// ending in ";\n", portable to SQLite 3.40 and PostgreSQL 15; down_sql is the exact
/// inverse of up_sql (a round trip restores the schema, stored SQL text included).
struct GeneratedRevision {
  std::string id;             // 12 lowercase hex digits
  std::string down_revision;  // "" for the first revision
  std::string message;        // "Add rating to invoice"
  std::string slug;           // "add_rating_to_invoice": the file name after "<id>_"
  std::string up_sql;
  std::string down_sql;
};

/// A linear history of `revisions` revisions growing to about `tables` tables: create
/// tables (some with a foreign key to an earlier table), add columns (with defaults),
/// create indexes, rename columns, drop columns added earlier, insert and update rows.
/// Deterministic: the same arguments give the same bytes on every platform.
/// Throws std::invalid_argument when revisions < 1 or tables < 1.
std::vector<GeneratedRevision> generate_revisions(int revisions, int tables = 40,
                                                  unsigned seed = 1);

/// The text of a migtest revision file for `r` (header, -- migrate:up, -- migrate:down).
std::string revision_file_text(const GeneratedRevision& r);

/// Writes one file per revision, "<dir>/<id>_<slug>.sql" (dir created if needed; existing
/// .sql files in it are removed first so the directory holds exactly this history).
/// Throws std::runtime_error naming the path when a file cannot be written.
void write_history(const std::string& dir, const std::vector<GeneratedRevision>& history);

/// generate_revisions() then write_history().
void generate_history(const std::string& dir, int revisions, int tables = 40, unsigned seed = 1);

/// Every up section concatenated in order, as one plain SQL script for sqlite3 or psql.
/// `transaction_per_revision`: each revision between BEGIN; and COMMIT; as migtest runs it.
/// `sqlite_pragmas`: a leading `PRAGMA foreign_keys = ON;`, which migtest's SQLite
/// connection sets, so the reference does the same work.
std::string upgrade_script(const std::vector<GeneratedRevision>& history,
                           bool transaction_per_revision = true, bool sqlite_pragmas = false);

/// Every down section, last revision first: the script back to an empty database.
std::string downgrade_script(const std::vector<GeneratedRevision>& history,
                             bool transaction_per_revision = true, bool sqlite_pragmas = false);

}  // namespace bench
}  // namespace migtest
