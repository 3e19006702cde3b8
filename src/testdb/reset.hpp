// Reuse without cloning on PostgreSQL: after a test, a copy of a template whose schema is
// unchanged is reset in place (the tables the test wrote truncated, sequences set back) and
// handed to the next test; anything else says the copy must go.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

/// What a clean copy of a template holds, as reset_copy() compares it: read once per
/// process (per template) from a copy known to be clean.
///
/// - The catalog fingerprint: the row versions (xmin) and counts of the catalog rows of
///   every user object (and the contents of their pg_class rows but for the storage
///   columns, which TRUNCATE changes): any DDL changes it.
/// - Tables without storage in the template (no rows ever written): a test that wrote to
///   one gave it storage (pg_relation_size > 0), so it is truncated after the test.
/// - Tables with storage (the template put rows in them): a checksum of their rows; a
///   test that changed them makes the copy go (restoring rows is not worth the risk).
/// - Sequences: last_value and is_called, set back with setval when they moved.
struct CleanState {
  std::string inspect_sql;  // one statement: the columns below, in this order
  std::string fingerprint;
  std::vector<std::int64_t> empty_tables;           // truncated when written to
  std::map<std::int64_t, std::string> table_names;  // every table: quoted schema.name
  std::map<std::int64_t, std::vector<std::int64_t>>
      referencing;                          // table -> tables whose FK names it
  std::vector<std::int64_t> filled_tables;  // checksummed
  std::vector<std::string> filled_checksums;
  std::vector<std::int64_t> sequences;
  std::vector<std::string> sequence_states;  // "<last_value>:<is_called>"
};

/// The one statement reset_copy() inspects a copy with (CleanState::inspect_sql).
std::string inspect_sql(const CleanState& state);

/// Reads the clean state of the copy `connection` is open on. Throws database_error (and
/// config_error on servers older than PostgreSQL 10, where copies are not reset).
std::shared_ptr<const CleanState> read_clean_state(Connection& connection);

/// The clean state of template `t` this process knows, or the one its cache file holds
/// (another process read it), or nullptr. `copy`: a connection to any copy of `t`.
std::shared_ptr<const CleanState> known_clean_state(const Template& t, Connection& copy);
/// The clean state of template `t`: the known one, else read now from `clean_copy` (a copy
/// known to be in the template's state), remembered and written to the cache file.
std::shared_ptr<const CleanState> clean_state(const Template& t, Connection& clean_copy);

/// The cache file of template `key`'s clean state: one per template key in the cache
/// directory, naming the database and server it describes.
std::string reset_state_file(const std::string& cache_directory, const std::string& key);
/// What a clean state file must name: the template database, its OID and its server.
std::string template_identity(Connection& copy, const std::string& template_database);
/// The state `path` holds for `identity`; nullptr when it holds none (missing, another
/// template or server, unreadable). Records the file's use.
std::shared_ptr<const CleanState> load_reset_state(const std::string& path,
                                                   const std::string& identity);
/// Writes `state` to `path` atomically; a failure is ignored (the next process reads again).
void store_reset_state(const std::string& path, const std::string& identity,
                       const CleanState& state);

/// What reset_copy() did.
struct ResetResult {
  bool reset = false;                  // the copy is in the template's state again
  bool keep_connection = false;        // `connection` may serve the next test as it is
  std::string why;                     // when !reset: what the test left that a reset cannot undo
  std::vector<std::string> truncated;  // the tables truncated
  int sequences = 0;                   // the sequences set back
  bool by_counts = false;  // decided by the write counts: neither schema nor rows inspected
  std::string mark;        // the copy's write mark now ("" unknown): the next test's reset_copy()'s
};

/// Puts the copy `connection` is open on back into `clean`'s state: rolls back what is open,
/// resets the session (RESET ALL, DISCARD TEMP, UNLISTEN, advisory locks), then compares
/// and repairs. Not reset (the copy must go) when the schema changed, rows of a table the
/// template fills changed, other connections to it stay open, a prepared transaction is
/// pending, or a statement fails. Never throws.
///
/// `mark`: the copy's write_mark() when its test began. When the marks before and after,
/// with no other session and no prepared transaction, show writes to none but tables the
/// template leaves empty (no catalog: no DDL; no filled table), the copy is reset without the
/// inspection: those tables truncated, sequences compared and set back. A new server backend
/// plans the inspection in about 9 ms, and more per table the template fills; the mark costs
/// under a millisecond.
ResetResult reset_copy(Connection& connection, const CleanState& clean,
                       const std::string& mark = "");
/// What was written to the database, per table: the server's counts of row versions
/// inserted, updated and deleted (rolled-back ones, and the catalog rows DDL writes,
/// included) and the database's own settings. "" when the server cannot give one
/// (before PostgreSQL 15, which sends a session's counts only when asked or when it exits;
/// track_counts off). Read it on a copy whose own writes were sent (after reset_copy()).
std::string write_mark(Connection& connection);

/// Puts back a copy that no other connection could open (ALLOW_CONNECTIONS false) and whose
/// tests' transactions all rolled back: its rows and schema are the template's, so only the
/// session and every sequence are set back, in one round trip. Never throws.
ResetResult reset_rolled_back(Connection& connection, const CleanState& clean);

}  // namespace migtest::detail
