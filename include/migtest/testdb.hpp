// migtest/testdb.hpp: temporary databases that delete themselves, and the reaper of what killed
// runs left behind; no test framework in it (the GoogleTest fixtures are built on it).
//   migtest::TemporaryDatabase db = migtest::TemporaryDatabase::sqlite();
//   auto conn = db.connect();   // ... the file and its -wal/-shm/-journal go when db does
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"

namespace migtest {

/// The database engine a temporary database (or a fixture) runs on.
enum class Backend { sqlite, postgresql };

/// "sqlite" / "postgresql".
std::string to_string(Backend backend);
/// Parses "sqlite", "postgresql" or "postgres" (any case); usage_error otherwise.
Backend parse_backend(std::string_view name);

/// Where temporary SQLite files go: MIGTEST_TMPDIR, else <system temp>/migtest-<uid> (per
/// user, so that a shared /tmp never mixes two users' files).
std::string default_temp_directory();
/// Where SQLite templates go: MIGTEST_CACHE_DIR, else <temp_directory>/templates.
std::string default_cache_directory(const std::string& temp_directory = default_temp_directory());
/// The server temporary PostgreSQL databases are created on: MIGTEST_POSTGRES_URL, else "".
std::string default_postgres_url();

namespace detail {
struct TemporaryFactory;  // testdb's own ways to make one (scratch databases, templates)
}

/// A database that exists for as long as this object: a SQLite file in a temporary
/// directory, or a database on a PostgreSQL server. Its name says who owns it from the
/// moment it exists: `migtest_<tag>_<host>_<pid>_<random8>` (`<host>`: 8 hex digits naming
/// this machine and pid namespace), so the reaper can tell a live owner's databases from a
/// killed run's, even when the kill came before anything else was written. On PostgreSQL a
/// COMMENT also marks each one as migtest's; only provably migtest's databases are dropped.
///
/// Close every connection to it before it goes: the destructor deletes the file (with
/// its -wal, -shm and -journal siblings) or drops the database (ending connections left
/// open first). The destructor never throws; a failure to delete is printed.
class TemporaryDatabase {
 public:
  /// An empty SQLite database file in `directory` ("" = default_temp_directory()).
  /// `tag`: 8 hex digits grouping related databases.
  static TemporaryDatabase sqlite(const std::string& directory = "",
                                  const std::string& tag = "00000000");
  /// A SQLite file holding `image` (a database file's bytes, e.g. sqlite3_serialize's).
  static TemporaryDatabase sqlite_copy(const std::string& image, const std::string& directory = "",
                                       const std::string& tag = "00000000");
  /// An empty PostgreSQL database on the server of `server_url` (its database is the
  /// maintenance database we connect to; "" = default_postgres_url()). With `template_name`:
  /// CREATE DATABASE ... TEMPLATE it. usage_error when the maintenance database holds
  /// user tables (see check_server()).
  static TemporaryDatabase postgresql(const std::string& server_url = "",
                                      const std::string& tag = "00000000",
                                      const std::string& template_name = "");

  TemporaryDatabase(TemporaryDatabase&& other) noexcept;
  TemporaryDatabase& operator=(TemporaryDatabase&& other) noexcept;
  ~TemporaryDatabase();

  /// The URL to connect to it (with the server's password, if any: do not print it).
  const std::string& url() const;
  /// url() with any password shown as ***.
  std::string redacted_url() const;
  /// "sqlite" or "postgresql".
  std::string dialect() const;
  /// The file's absolute path, or the database's name.
  const std::string& name() const;
  /// A new connection to it (SQLite: synchronous = OFF and journal_mode = MEMORY, a
  /// throwaway needs no durability).
  std::unique_ptr<Connection> connect() const;

  /// SQLite: rewrites the file with `image` in place through `connection` (a connect() of
  /// this database, the only connection open on it), which keeps its parsed schema: a
  /// fresh-mode test reuses the previous test's file and connection this way instead of
  /// paying for a new file and a schema parse. The settings a test may change with PRAGMA
  /// (foreign_keys, defer_foreign_keys, recursive_triggers, query_only,
  /// ignore_check_constraints, reverse_unordered_selects, case_sensitive_like,
  /// legacy_alter_table, writable_schema, mmap_size, synchronous, busy_timeout) are set back
  /// to connect()'s. Returns false, having written
  /// nothing, when the connection's state cannot be handed to another test: an open
  /// transaction, TEMP objects, an attached database, a journal mode other than connect()'s,
  /// exclusive locking, or a lock held by another connection. Throws when writing fails
  /// (the file is then unusable: remove it).
  bool restore(const std::string& image, Connection& connection);

  /// Keeps it instead of deleting it: renamed to `migtest_kept_...` (which the reaper
  /// never touches) and returned as a one-line message saying where it is. Close every
  /// connection first.
  std::string keep();
  /// Deletes it now (throws on failure); the destructor then does nothing.
  void remove();
  /// Gives up ownership without deleting (a template renamed into place).
  void release();
  bool owned() const;

  struct Impl;  // opaque

 private:
  friend struct detail::TemporaryFactory;
  explicit TemporaryDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// What the reaper found or removed.
struct Leftover {
  std::string kind;  // "file" or "database"
  std::string name;  // path or database name
  long pid = 0;      // the owner named in it
  std::string host;  // the owner's host tag (8 hex digits) named in it
};

/// False when MIGTEST_REAP is "0": then neither the fixtures nor the migtest command reap.
bool reaping_enabled();

/// Deletes the SQLite files in `temp_directory`, the half-built templates in
/// `cache_directory` and (when `server_url` is not "") the PostgreSQL databases that
/// processes now gone left behind: names whose owner is on this host and whose pid no
/// longer runs, never by age. Returns what it removed. Fixtures call it once per process and
/// every migtest command at its start (reaping_enabled() decides).
std::vector<Leftover> reap_leftovers(const std::string& temp_directory,
                                     const std::string& cache_directory,
                                     const std::string& server_url);

/// Every migtest temporary file in `temp_directory` and half-built template in
/// `cache_directory`, and every migtest temporary database on the server (when
/// `server_url` is not ""), whatever their owner: what a run that cleaned up leaves none of.
/// Kept databases (MIGTEST_KEEP) and complete templates are not listed.
std::vector<Leftover> list_temporaries(const std::string& temp_directory,
                                       const std::string& cache_directory,
                                       const std::string& server_url);

/// Refuses (usage_error) a server URL whose database holds user tables: fixtures create
/// and drop databases there, so it must be a maintenance database such as "postgres".
void check_server(const std::string& server_url);

/// Drops every complete PostgreSQL template migtest built on the server (they are kept
/// across runs as a cache); returns their names.
std::vector<std::string> drop_templates(const std::string& server_url);

/// What the cache keeps: a template, a pool database cloned from one, or a verification
/// result.
enum class CacheKind { template_database, pool_database, verification };

/// "template", "pool" or "verification".
std::string to_string(CacheKind kind);

/// One thing the cache keeps: a file in the cache directory or a database on a server.
struct CacheEntry {
  CacheKind kind = CacheKind::template_database;
  std::optional<Backend> backend;  // none for a verification result (a file, any backend)
  std::string name;                // the file's absolute path, or the database's name
  std::string key16;               // the first 16 hex digits of its key, as in its name
  std::uint64_t size = 0;          // bytes on disk
  /// Files: their mtime. PostgreSQL: the end of the day the template's COMMENT names
  /// (`used=YYYY-MM-DD`; a pool follows its template). nullopt: not recorded yet.
  std::optional<std::chrono::system_clock::time_point> last_used;
  /// Its lock file is held (a build or a verification), a connection is open to it, a
  /// copy of it is being made, or (a pool database) a process has claimed it.
  bool in_use = false;

  bool operator==(const CacheEntry& o) const;
  bool operator!=(const CacheEntry& o) const { return !(*this == o); }
};

/// "template sqlite /path/migtest_tpl_0123456789abcdef.db 48.0 KiB, last used ..., in use".
std::string to_string(const CacheEntry& entry);

/// What prune_cache or clear_cache did.
struct CacheCleanup {
  std::vector<CacheEntry> removed;
  std::vector<CacheEntry> kept_in_use;  // would have gone, but something uses it
  std::vector<std::string> errors;      // one line each, naming the entry
};

/// What the cache keeps: the templates and verification results in `cache_directory`, and
/// the templates and pool databases on the server of `server_url` that its user owns
/// ("" skips either). Files of another user, and what is not named as migtest's cache, are
/// not listed. Sorted by backend, kind and name.
std::vector<CacheEntry> list_cache(const std::string& cache_directory,
                                   const std::string& server_url);

/// Removes the entries unused for longer than `max_age`, never one in use. A PostgreSQL
/// template whose use was never recorded is given today's date instead (its age starts now).
CacheCleanup prune_cache(std::chrono::seconds max_age, const std::string& cache_directory,
                         const std::string& server_url);

/// Removes every entry not in use.
CacheCleanup clear_cache(const std::string& cache_directory, const std::string& server_url);

/// "30s", "15m", "12h", "7d", "2w" or "0" as seconds; usage_error naming `text` otherwise.
std::chrono::seconds parse_age(std::string_view text);

/// MIGTEST_CACHE_MAX_AGE (parse_age), 7 days when unset: how long an unused entry is kept
/// before automatic pruning removes it. 0: automatic pruning is off.
std::chrono::seconds cache_max_age();

}  // namespace migtest
