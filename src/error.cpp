#include "migtest/error.hpp"

#include <fmt/format.h>

namespace migtest {

std::string source_location::describe() const {
  std::string place;
  if (!file.empty()) place = line > 0 ? fmt::format("{}:{}", file, line) : file;
  if (!revision.empty()) {
    return place.empty() ? fmt::format("revision {}", revision)
                         : fmt::format("revision {} ({})", revision, place);
  }
  return place;
}

namespace detail {
std::string shorten(const std::string& statement, std::size_t max) {
  std::string out;
  bool space = false;
  for (char c : statement) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}
}  // namespace detail

static std::string describe_database_error(const std::string& message, const std::string& code,
                                           const std::string& statement,
                                           const source_location& where) {
  std::string out;
  if (!where.empty()) out += where.describe() + ": ";
  out += message;
  if (!code.empty()) out += fmt::format(" [{}]", code);
  if (!statement.empty()) out += fmt::format(" in: {}", detail::shorten(statement));
  return out;
}

database_error::database_error(std::string db_message, std::string code, std::string statement,
                               source_location where)
    : error(describe_database_error(db_message, code, statement, where)),
      db_message_(std::move(db_message)),
      code_(std::move(code)),
      statement_(std::move(statement)),
      where_(std::move(where)) {}

database_error database_error::located(source_location where) const {
  return database_error(db_message_, code_, statement_, std::move(where));
}

parse_error::parse_error(std::string file, int line, const std::string& what)
    : error(line > 0 ? fmt::format("{}:{}: {}", file, line, what) : fmt::format("{}: {}", file, what)),
      file_(std::move(file)),
      line_(line) {}

migration_error::migration_error(const std::string& what, source_location where,
                                 std::string statement, bool partially_applied)
    : error(what),
      where_(std::move(where)),
      statement_(std::move(statement)),
      partially_applied_(partially_applied) {}

}  // namespace migtest
