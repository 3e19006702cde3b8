// migtest/testdb/temporary.hpp: a database that exists for as long as its object, named after
// the process that owns it so that a killed run's leftovers can be reaped.
//   migtest::TemporaryDatabase db = migtest::TemporaryDatabase::sqlite();
//   auto conn = db.connect();   // ... the file and its -wal/-shm/-journal go when db does
#pragma once

#include <memory>
#include <string>

#include "migtest/connection.hpp"

namespace migtest {

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
  /// CREATE DATABASE ... TEMPLATE it. config_error when the maintenance database holds
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
  /// Dialect::sqlite or Dialect::postgresql.
  Dialect dialect() const;
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

  struct Impl;     // opaque
  struct Factory;  // testdb's own ways to make one (scratch databases); defined in the library

 private:
  explicit TemporaryDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace migtest
