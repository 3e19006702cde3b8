// The one place a dialect's name is spelled and read (URL schemes aside: url.cpp).
#include <fmt/format.h>

#include <cctype>
#include <ostream>

#include "migtest/error.hpp"
#include "migtest/format.hpp"
#include "migtest/url.hpp"

namespace migtest {

std::string to_string(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgresql";
}

Dialect parse_dialect(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "sqlite" || n == "sqlite3") return Dialect::sqlite;
  if (n == "postgresql" || n == "postgres" || n == "pg") return Dialect::postgresql;
  throw config_error(fmt::format("unknown dialect '{}' (expected sqlite or postgresql)", name));
}

std::ostream& operator<<(std::ostream& os, Dialect dialect) {
  return os << fmt::format("{}", dialect);
}

}  // namespace migtest
