#include "migtest/dialect.hpp"

#include "backend/dialect_rules.hpp"
#include "backend/postgres/dialect.hpp"
#include "backend/sqlite/dialect.hpp"

namespace migtest {

namespace detail {
const DialectRules& dialect_object(Dialect dialect) {
  return dialect == Dialect::sqlite ? sqlite_dialect() : postgres_dialect();
}
}  // namespace detail

Schema reflect(Connection& connection, const ReflectOptions& options) {
  return detail::dialect_object(connection.dialect()).reflect(connection, options);
}

Schema expected_schema(const Metadata& metadata, Dialect dialect) {
  return detail::dialect_object(dialect).expected_schema(metadata);
}

std::vector<std::string> create_all_sql(const Metadata& metadata, Dialect dialect) {
  return detail::dialect_object(dialect).create_all_sql(metadata);
}

void create_all(Connection& connection, const Metadata& metadata) {
  std::vector<std::string> statements = create_all_sql(metadata, connection.dialect());
  Transaction tx(connection);
  for (const auto& s : statements) connection.execute(s);
  tx.commit();
}

}  // namespace migtest
