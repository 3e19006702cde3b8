#include "migtest/dialect.hpp"

#include "backend/postgres/dialect.hpp"
#include "backend/sqlite/dialect.hpp"

namespace migtest {

Schema reflect(Connection& connection, const ReflectOptions& options) {
  return connection.dialect() == Dialect::sqlite ? detail::sqlite_reflect(connection, options)
                                                 : detail::postgres_reflect(connection, options);
}

Schema expected_schema(const Metadata& metadata, Dialect dialect) {
  if (dialect == Dialect::sqlite) return detail::sqlite_expected_schema(metadata);
  throw config_error(
      "the expected schema on PostgreSQL is built by the server: call "
      "expected_schema(metadata, connection) with a connection to it");
}

std::vector<std::string> create_all_sql(const Metadata& metadata, Dialect dialect) {
  return dialect == Dialect::sqlite ? detail::sqlite_create_all_sql(metadata)
                                    : detail::postgres_create_all_sql(metadata);
}

void create_all(Connection& connection, const Metadata& metadata) {
  std::vector<std::string> statements = create_all_sql(metadata, connection.dialect());
  Transaction tx(connection);
  for (const auto& s : statements) connection.execute(s);
  tx.commit();
}

}  // namespace migtest
