// What the modules above the backend (runner, testdb, verify) may use of it besides the public
// Connection: the driver objects under a connection, PostgreSQL server chores, and the pieces
// of reflection verify's incremental reader is built on. Internal header. backend/sqlite/ and
// backend/postgres/ are the backend's own: the build gives no other module a path to them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/url.hpp"

struct sqlite3;
namespace SQLite {
class Database;
}  // namespace SQLite
namespace pqxx {
class connection_base;
class dbtransaction;
}  // namespace pqxx

namespace migtest::detail {

// The driver under a connection, for native handles and the file or URL behind it; each is
// nullptr when `connection` is of the other dialect.
sqlite3* sqlite_handle_of(Connection& connection);
SQLite::Database* sqlite_database_of(Connection& connection);
const std::string* sqlite_path_of(const Connection& connection);
/// The URL it was opened with, password included: for opening another database on the same
/// server (never print it).
const DatabaseUrl* postgres_url_of(const Connection& connection);
pqxx::connection_base* postgres_native_of(Connection& connection);
/// The transaction begin() opened; nullptr outside one too.
pqxx::dbtransaction* postgres_transaction_of(Connection& connection);

/// A stable 63-bit key for pg_advisory_lock from a name.
std::int64_t advisory_key(std::string_view name);

/// DROP DATABASE IF EXISTS `name` through `admin` (connected to another database of the
/// server), ending the connections still open on it: WITH (FORCE) from PostgreSQL 13,
/// pg_terminate_backend before.
void drop_database(Connection& admin, std::string_view name);

/// What `statements` (create_all_sql of models that put everything in the default schema)
/// create, built in a new scratch schema of `connection`'s database that comes first on the
/// search_path, and reflected as that database's default schema would be. Runs in a
/// savepoint of the caller's transaction, or in a transaction of its own, and rolls it
/// back: nothing is left in the database or the session. schema_error when a statement
/// fails.
Schema postgres_schema_in_scratch(Connection& connection,
                                  const std::vector<std::string>& statements);

/// Which catalog rows (by OID and row version, xmin) describe each table of `schemas`, and
/// everything else reflection reads: equal keys, equal reflection. No deparsing, only
/// index lookups, so it is several times cheaper than postgres_reflect(). Keys are not
/// content: a table dropped and created again the same gets a new key.
struct CatalogKeys {
  struct TableKey {
    std::int64_t oid = 0;
    std::string schema;  // "" for the default schema, as Table::schema
    std::string name;
    std::string key;                     // its pg_class, attribute, default, constraint,
                                         // index, trigger and comment rows (its own, its
                                         // columns', its indexes'), extension membership
    std::vector<std::int64_t> referred;  // tables its foreign keys name (not itself)
  };
  /// Namespaces, user types, enum labels, functions, collations, sequences (with their
  /// OWNED BY and parameters), views and other non-table relations with their indexes,
  /// comments on anything but relations and columns, and the session's default schema.
  std::string others;
  std::vector<TableKey> tables;
};
/// `schemas` as ReflectOptions::schemas: empty or "" is the session's default schema.
CatalogKeys postgres_catalog_keys(Connection& connection, const std::vector<std::string>& schemas);

/// Inside a transaction on PostgreSQL: a text that is the same at the end of two
/// transactions of one session only when the later one wrote no row of any system catalog
/// and left the settings reflection depends on (user, schema and search_path, how values
/// print) as they were. Asked of the server's counts of rows written per catalog (no
/// catalog is scanned): those this session has not yet reported, which only grow until it
/// reports them, and those reported, which any report changes. nullopt when the counts are
/// off (track_counts). Rows written by other sessions between two reports are not seen.
/// Builds its statement on the first call.
class CatalogWrites {
 public:
  std::optional<std::string> token(Connection& connection);

 private:
  std::string sql_;
};

/// An md5 per table (by OID) over everything a reflection of it reads, without OIDs: two
/// tables with the same fingerprint reflect to the same Table, so a table whose catalog rows
/// changed back to a state already reflected need not be reflected again. A table missing
/// from the result has no fingerprint (it was dropped, or the session prints floats rounded).
std::map<std::int64_t, std::string> postgres_table_fingerprints(
    Connection& connection, const std::vector<std::int64_t>& oids);

/// One row of SQLite's catalog, sqlite_master (a NULL tbl_name or sql reads as "").
struct SqliteMasterRow {
  std::string type, name, table, sql;
};

/// sqlite_master's rows in rowid order, in one query.
std::vector<SqliteMasterRow> sqlite_master_rows(Connection& connection);

/// reflect() on SQLite given sqlite_master's rows as sqlite_master_rows() has just read them:
/// for a reader that read them to see what changed and reflects only the tables that did
/// (ReflectOptions::only_tables), without reading them again.
Schema sqlite_reflect(Connection& connection, const ReflectOptions& options,
                      const std::vector<SqliteMasterRow>& catalog);

/// The views alone, as sqlite_reflect() gives them (sorted by name), from the same rows: for
/// a reader that keeps the tables it read before. A view's columns depend on its tables, so
/// it is read again whenever anything changed.
std::vector<View> sqlite_reflect_views(Connection& connection, const ReflectOptions& options,
                                       const std::vector<SqliteMasterRow>& catalog);

/// A value as an SQL literal for offline output: NULL, 42, 1.5 (17 significant digits),
/// 'text'; a blob as `blob_open`, its bytes in hex (`upper_hex`: A-F), then `blob_close`.
/// Each dialect spells blobs its own way (SQLite X'00FF', PostgreSQL '\x00ff'::bytea).
std::string value_literal(const Value& v, std::string_view blob_open, bool upper_hex,
                          std::string_view blob_close);

/// Connection::lock(key) held for a scope: the one lock type of the runner (the migration lock)
/// and testdb (a template's build), released by the destructor. With `guard`, the lock and
/// unlock calls are made under it (a connection that several threads share).
class ConnectionLock {
 public:
  ConnectionLock(Connection& connection, std::string key, int timeout_ms,
                 std::mutex* guard = nullptr);
  ~ConnectionLock();
  ConnectionLock(const ConnectionLock&) = delete;
  ConnectionLock& operator=(const ConnectionLock&) = delete;

 private:
  Connection& connection_;
  std::string key_;
  std::mutex* guard_;
};

}  // namespace migtest::detail
