// The postgres dialect: reflection, expected schema from metadata, DDL. Internal header.
#pragma once

#include <string>
#include <vector>

#include "migtest/dialect.hpp"

namespace migtest::detail {

Schema postgres_reflect(Connection& connection, const ReflectOptions& options);
Schema postgres_expected_schema(const Metadata& metadata);
std::vector<std::string> postgres_create_all_sql(const Metadata& metadata);

}  // namespace migtest::detail
