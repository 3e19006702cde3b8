// migtest/dialect.hpp: what each backend knows of its SQL: reflection into a Schema,
// the Schema a Metadata describes on it, and the DDL that creates it.
//   migtest::Schema actual = migtest::reflect(*conn);
//   migtest::Schema expected = migtest::expected_schema(models, conn->dialect());
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/schema.hpp"

namespace migtest {

class Metadata;

struct ReflectOptions {
  /// Tables left out of the reflected schema (migtest's own version table).
  std::vector<std::string> exclude_tables{"migtest_version"};
  /// PostgreSQL schemas to reflect; empty means "public".
  std::vector<std::string> schemas;
  /// When not empty: only these tables, and no views, sequences, enums or functions (a
  /// verification re-reads just the tables a step changed).
  std::vector<std::string> only_tables;
};

/// Reads the whole schema of the connected database, in canonical form.
Schema reflect(Connection& connection, const ReflectOptions& options = {});

/// The schema `metadata` gives on `dialect`, in the canonical form reflect() returns,
/// so that compare(reflect(db), expected_schema(md, dialect)) is exact.
Schema expected_schema(const Metadata& metadata, std::string_view dialect);

/// CREATE statements for everything in `metadata`, in dependency order.
std::vector<std::string> create_all_sql(const Metadata& metadata, std::string_view dialect);

/// Creates everything in `metadata` in one transaction: the seed's init_db.
void create_all(Connection& connection, const Metadata& metadata);

}  // namespace migtest
