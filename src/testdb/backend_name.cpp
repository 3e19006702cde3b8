// Backend, the enum that names an engine wherever testdb and the fixtures choose one.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "migtest/error.hpp"
#include "migtest/testdb/backend.hpp"

namespace migtest {

std::string to_string(Backend backend) {
  return backend == Backend::sqlite ? "sqlite" : "postgresql";
}

Backend parse_backend(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "sqlite" || n == "sqlite3") return Backend::sqlite;
  if (n == "postgresql" || n == "postgres" || n == "pg") return Backend::postgresql;
  throw config_error(fmt::format("unknown backend '{}': use sqlite or postgresql", name));
}

std::ostream& operator<<(std::ostream& os, Backend backend) { return os << to_string(backend); }

}  // namespace migtest
