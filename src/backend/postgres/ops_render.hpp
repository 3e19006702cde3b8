// PostgreSQL rendering of the operation IR: ALTER TABLE does it all. Internal header.
//   for (auto& st : render_operation(op, &live)) conn.execute(st.sql, st.params);
#pragma once

#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/ops.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail::pg {

struct RenderedStatement {
  std::string sql;
  Params params;
};

/// The statements for `op`. `current` is the live schema (reflected), or nullptr offline:
/// then enum types are created with a guard against "already exists" and an unnamed
/// constraint cannot be dropped (its name is unknown).
std::vector<RenderedStatement> render_operation(const ops::Operation& op, const Schema* current);

/// The Table a TableDef creates (the model's text, unnamed constraints left unnamed), and
/// the enum types its columns use.
Table table_from_def(const TableDef& def, std::vector<Enum>* enums = nullptr);

/// An SQL literal for offline output: NULL, 42, 1.5, 'text', '\x00ff'::bytea.
std::string literal(const Value& v);

}  // namespace migtest::detail::pg
