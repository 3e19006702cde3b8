// The sqlite dialect: reflection, expected schema from metadata, DDL. Internal header.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.hpp"  // sqlite_reflect_views
#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema sqlite_reflect(Connection& connection, const ReflectOptions& options);
Schema sqlite_expected_schema(const Metadata& metadata);
std::vector<std::string> sqlite_create_all_sql(const Metadata& metadata);

class DialectRules;
/// The SQLite dialect object (dialect_object(Dialect::sqlite)).
const DialectRules& sqlite_dialect();

}  // namespace migtest::detail
