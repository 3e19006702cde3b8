// The postgres dialect: reflection, expected schema from metadata, DDL. Internal header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema postgres_reflect(Connection& connection, const ReflectOptions& options);
Schema postgres_expected_schema(const Metadata& metadata);
std::vector<std::string> postgres_create_all_sql(const Metadata& metadata);

/// Which catalog rows (by OID and row version, xmin) describe each table of `schemas`, and
/// everything else reflection reads: equal keys, equal reflection. No deparsing, only
/// index lookups, so it is several times cheaper than postgres_reflect(). Keys are not
/// content: a table dropped and created again the same gets a new key.
struct CatalogKeys {
  struct TableKey {
    std::int64_t oid = 0;
    std::string name;
    std::string key;                    // its pg_class, attribute, default, constraint,
                                        // index and trigger rows, and extension membership
    std::vector<std::int64_t> referred;  // tables its foreign keys name (not itself)
  };
  /// Namespaces, user types, enum labels, functions, collations, sequences (with their
  /// OWNED BY), views and other non-table relations.
  std::string others;
  std::vector<TableKey> tables;
};
CatalogKeys postgres_catalog_keys(Connection& connection, const std::vector<std::string>& schemas);

}  // namespace migtest::detail
