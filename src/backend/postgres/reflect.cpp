// PostgreSQL reflection, expected schema from metadata, and create_all DDL.
#include "backend/postgres/dialect.hpp"

#include "migtest/error.hpp"

namespace migtest::detail {

Schema postgres_reflect(Connection&, const ReflectOptions&) {
  throw migtest::error("not implemented yet");
}

Schema postgres_expected_schema(const Metadata&) { throw migtest::error("not implemented yet"); }

std::vector<std::string> postgres_create_all_sql(const Metadata&) {
  throw migtest::error("not implemented yet");
}

}  // namespace migtest::detail
