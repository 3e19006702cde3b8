// The sqlite dialect: reflection, expected schema from metadata, DDL. Internal header.
#pragma once

#include <string>
#include <vector>

#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema sqlite_reflect(Connection& connection, const ReflectOptions& options);
/// The views alone, as sqlite_reflect() gives them (sorted by name): for a reader that
/// keeps the tables it read before. A view's columns depend on its tables, so it is read
/// again whenever anything changed.
std::vector<View> sqlite_reflect_views(Connection& connection, const ReflectOptions& options);
Schema sqlite_expected_schema(const Metadata& metadata);
std::vector<std::string> sqlite_create_all_sql(const Metadata& metadata);

}  // namespace migtest::detail
