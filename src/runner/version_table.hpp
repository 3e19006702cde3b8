// The version table's SQL and the way runs name a set of heads, shared by the
// runner and offline SQL so both write the same table. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migtest::detail {

/// CREATE TABLE IF NOT EXISTS for the version table `table` (one row per head).
std::string version_table_ddl(std::string_view table);

/// "<base>" for no revision, else "a1b2, c3d4".
std::string heads_text(const std::vector<std::string>& ids);

}  // namespace migtest::detail
