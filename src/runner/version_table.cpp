#include "runner/version_table.hpp"

#include <fmt/format.h>

#include "backend/postgres/postgres_connection.hpp"

namespace migtest::detail {

std::string version_table_ddl(std::string_view table) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (version_num VARCHAR(64) NOT NULL, CONSTRAINT {} PRIMARY KEY "
      "(version_num))",
      quote_ident(table), quote_ident(std::string(table) + "_pkc"));
}

std::string heads_text(const std::vector<std::string>& ids) {
  if (ids.empty()) return "<base>";
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace migtest::detail
