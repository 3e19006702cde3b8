// SQLite rendering of the operation IR: plain statements where ALTER TABLE can, a table
// rebuild (rebuild.hpp) where it cannot. Internal header.
//   for (auto& a : render_operation(op, reflect(conn))) a.rebuild ? run_rebuild(...) :
//   conn.execute(a.sql, a.params);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend/sqlite/rebuild.hpp"
#include "migtest/ops.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail::sqlite {

/// One step: a statement with its parameters, or a table rebuild.
struct Action {
  std::string sql;
  Params params;
  std::optional<Rebuild> rebuild;
};

/// The steps for `op` on a database whose schema is `current` (reflected, canonical).
/// `op` must have passed ops::check(op, current). An AlterColumn that renames and changes
/// more must be split first (split_operation).
std::vector<Action> render_operation(const ops::Operation& op, const Schema& current);

/// Operations that must see the schema between their parts: an AlterColumn that renames
/// and changes type/nullability/default becomes the rename, then the rest under the new name.
std::vector<ops::Operation> split_operation(const ops::Operation& op);

/// The Table (canonical SQLite form) a TableDef creates.
Table table_from_def(const TableDef& def);

/// An SQL literal for offline output: NULL, 42, 1.5, 'text', X'00FF'.
std::string literal(const Value& v);

}  // namespace migtest::detail::sqlite
