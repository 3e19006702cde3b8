// migtest/dialect.hpp: what each backend knows of its SQL: reflection into a Schema,
// the Schema a Metadata describes on it, and the DDL that creates it.
//   migtest::Schema actual = migtest::reflect(*conn);
//   migtest::Schema expected = migtest::expected_schema(models, *conn);
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
  /// PostgreSQL schemas to reflect; "" (and an empty list) is the session's default
  /// schema: the first schema of its search_path that exists, public unless the URL says
  /// otherwise (options=-csearch_path=app). Objects in the default schema have schema "".
  std::vector<std::string> schemas;
  /// When not empty: only these tables, and no views, sequences, enums or functions (a
  /// verification re-reads just the tables a step changed).
  std::vector<std::string> only_tables;
};

/// Reads the whole schema of the connected database, in canonical form.
Schema reflect(Connection& connection, const ReflectOptions& options = {});

/// The schema `metadata` gives on the database `connection` is to, in the form reflect()
/// returns, so that compare(reflect(db), expected_schema(md, db)) is exact. On PostgreSQL
/// the server builds it: create_all in a scratch schema of that database (rolled back,
/// inside a savepoint when a transaction is open: nothing is left), or, when the models
/// name schemas of their own, in a scratch database on the same server; then reflect().
/// Kept per process by the models' SQL, the server version and the search_path: the
/// second call with the same models costs nothing. SQLite needs no server (below).
/// schema_error when the models do not build.
Schema expected_schema(const Metadata& metadata, Connection& connection);

/// The same without a database: SQLite only. On Dialect::postgresql a config_error: the
/// server is the judge there.
Schema expected_schema(const Metadata& metadata, Dialect dialect);

/// CREATE statements for everything in `metadata`, in dependency order.
std::vector<std::string> create_all_sql(const Metadata& metadata, Dialect dialect);

/// Creates everything in `metadata` in one transaction: the seed's init_db.
void create_all(Connection& connection, const Metadata& metadata);

}  // namespace migtest
