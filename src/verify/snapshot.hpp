// Reading the schema at each step of a verification, reflecting only what changed. Internal.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backend/backend.hpp"
#include "migtest/connection.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail {

/// reflect() with a memory. On SQLite every reflected table is a pure function of its
/// catalog rows (sqlite_master: the table's CREATE text, its indexes and triggers) and of
/// the tables its foreign keys name, so a table whose rows and referred tables' rows are
/// unchanged since it was last reflected is taken from the cache, and reflect() runs only
/// for the others. On PostgreSQL the same holds of the catalog rows' versions
/// (postgres_catalog_keys): only the tables whose rows, or whose referred tables' rows,
/// have changed are reflected (ReflectOptions::only_tables); a change to anything else
/// (types, functions, sequences, views, namespaces), or any table change while the schema
/// has sequences or views (their text names tables), reflects everything. A changed table
/// whose fingerprint (postgres_table_fingerprints) is that of a table reflected before is
/// taken from that reflection. Either way the result is the Schema a full reflect() gives.
/// With incremental off every read() is a full reflect().
class SchemaReader {
 public:
  SchemaReader(std::string version_table, bool incremental, std::vector<std::string> schemas = {})
      : version_table_(std::move(version_table)),
        incremental_(incremental),
        schemas_(std::move(schemas)) {}

  /// The schema now; the reference holds until the next read().
  const Schema& read(Connection& connection);

  /// A step of the runner around which read() may skip the catalog: step_starts() before
  /// it, probe() inside its transaction just before COMMIT (RunOptions::before_commit),
  /// step_ends() after it. On PostgreSQL, when every step since the last read wrote no
  /// catalog row and left the session's settings as they were, read() returns the last
  /// schema without asking the server. A step without a probe (run outside a transaction),
  /// or one that failed, makes the next read() read, and so does no step at all (the
  /// caller may have changed the schema itself). (SQLite needs no probe: its schema
  /// version tells.)
  void step_starts() { probed_clean_ = false; }
  void probe(Connection& connection);
  void step_ends(bool ok);

  /// How many times reflect() ran, and how many tables it reflected in all.
  int reflections() const { return reflections_; }
  long tables_reflected() const { return tables_reflected_; }
  /// How many reads returned the last schema without reading the catalog.
  int reads_skipped() const { return reads_skipped_; }

 private:
  struct Entry {
    std::map<std::string, std::string> referred;  // lower-case table -> its key then
    Table table;
  };
  struct SqliteCatalog;  // sqlite_master's rows grouped by table (snapshot.cpp)
  struct PgRead;         // PostgreSQL: the tables now, and which changed (snapshot.cpp)
  Schema full(Connection& connection);
  const Schema& sqlite_incremental(Connection& connection);
  const Entry* sqlite_cached(const SqliteCatalog& catalog, const std::string& key) const;
  void sqlite_reflect_changed(Connection& connection, const SqliteCatalog& catalog,
                              const std::vector<std::string>& cached_names, Schema& out);
  const Schema& postgres_incremental(Connection& connection);
  PgRead pg_changes(const CatalogKeys& now, bool& removed) const;
  Schema pg_read_changed(Connection& connection, PgRead& read);
  void pg_remember(PgRead& read, Schema& fresh);

  std::string version_table_;
  bool incremental_;
  std::vector<std::string> schemas_;  // PostgreSQL: ReflectOptions::schemas
  int reflections_ = 0;
  long tables_reflected_ = 0;
  int reads_skipped_ = 0;
  Schema last_full_;                                            // incremental off: the last read
  std::unordered_map<std::string, std::vector<Entry>> tables_;  // own catalog key -> versions
  std::unordered_map<std::string, std::vector<View>> views_;    // all view rows -> views
  std::deque<std::pair<std::string, Schema>> recent_;           // whole catalog -> schema
  std::int64_t sqlite_version_ = -1;  // SQLite's schema_version at the last read
  // PostgreSQL: the last read, by table OID, and the key of everything else then.
  struct PgTable {
    std::string key;  // own key, then the own keys of the tables it refers to
    Table table;
    bool reflected = true;  // false: reflection leaves it out (an extension's table)
  };
  std::map<std::int64_t, PgTable> pg_tables_;
  // Tables reflected before, by fingerprint (postgres_table_fingerprints): a round trip's
  // down and second up bring a table back to a state reflected already.
  struct Reflected {
    Table table;
    bool reflected = true;
  };
  std::unordered_map<std::string, Reflected> pg_by_fingerprint_;
  std::string pg_others_;
  Schema pg_last_;
  bool pg_valid_ = false;
  // The probe: its statement, its token at the last probed step, whether the step under
  // way is clean, whether any step since the last read was not.
  CatalogWrites pg_writes_;
  std::optional<std::string> pg_token_;
  bool probed_clean_ = false;
  enum class Since { nothing, clean_steps, other };  // since the last read
  Since pg_since_ = Since::nothing;
};

}  // namespace migtest::detail
