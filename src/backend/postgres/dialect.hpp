// The postgres dialect: reflection, the expected schema built by the server, DDL. Internal
// header.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.hpp"  // postgres_schema_in_scratch, postgres_catalog_keys
#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema postgres_reflect(Connection& connection, const ReflectOptions& options);
std::vector<std::string> postgres_create_all_sql(const Metadata& metadata);

class DialectRules;
/// The PostgreSQL dialect object (dialect_object(Dialect::postgresql)).
const DialectRules& postgres_dialect();

}  // namespace migtest::detail
