// The postgres dialect: reflection, the expected schema built by the server, DDL. Internal
// header.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema postgres_reflect(Connection& connection, const ReflectOptions& options);
std::vector<std::string> postgres_create_all_sql(const Metadata& metadata);

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

/// An md5 per table (by OID) over everything a reflection of it reads, without OIDs: two
/// tables with the same fingerprint reflect to the same Table, so a table whose catalog rows
/// changed back to a state already reflected need not be reflected again. A table missing
/// from the result has no fingerprint (it was dropped, or the session prints floats rounded).
std::map<std::int64_t, std::string> postgres_table_fingerprints(
    Connection& connection, const std::vector<std::int64_t>& oids);

}  // namespace migtest::detail
