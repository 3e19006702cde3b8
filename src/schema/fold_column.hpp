// How a column's options become table-level parts. Internal: offered to ops by
// src/CMakeLists.txt, so that Metadata and the operation API build the same TableDef.
#pragma once

#include "migtest/metadata.hpp"

namespace migtest::detail {

/// Adds `column` to `table` with what its options imply: NOT NULL and the table's
/// primary key, its index or unique constraint, its foreign key.
void fold_column(TableDef& table, ColumnDef column, bool join_primary_key = true);

}  // namespace migtest::detail
