#include "migtest/error.hpp"

#include <fmt/format.h>

#include "sql_quote.hpp"

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

namespace {
// The one line what() shows: the fields around the message, so that a log line alone
// says where to look.
std::string describe(const std::string& message, const error_fields& f) {
  std::string out;
  if (!f.where.empty()) out += f.where.describe() + ": ";
  out += message;
  if (!f.code.empty()) out += fmt::format(" [{}]", f.code);
  if (!f.statement.empty()) out += fmt::format(" in: {}", detail::shorten(f.statement));
  return out;
}

template <class T>
std::shared_ptr<const T> share(T value) {
  return std::make_shared<const T>(std::move(value));
}
}  // namespace

error::error(const std::string& message, error_fields fields)
    : std::runtime_error(describe(message, fields)), fields_(share(std::move(fields))) {}

error::error(verbatim_t, const std::string& what, error_fields fields)
    : std::runtime_error(what), fields_(share(std::move(fields))) {}

database_error::database_error(std::string db_message, std::string code, std::string statement,
                               source_location where)
    : error(db_message, {std::move(where), std::move(code), std::move(statement), nullptr}),
      db_message_(share(std::move(db_message))) {}

database_error database_error::located(source_location where) const {
  return database_error(db_message(), code(), statement(), std::move(where));
}

parse_error::parse_error(std::string file, int line, const std::string& what)
    : error(what, {source_location{std::move(file), line, {}}, {}, {}, nullptr}) {}

graph_error::graph_error(const std::string& message, std::vector<std::string> revisions)
    : error(message), revisions_(share(std::move(revisions))) {}

cycle_error::cycle_error(const std::string& message, std::vector<std::string> cycle)
    : graph_error(message, std::move(cycle)) {}

missing_revision_error::missing_revision_error(const std::string& message, std::string missing,
                                               std::string referenced_by)
    : graph_error(message,
                  referenced_by.empty()
                      ? std::vector<std::string>{std::move(missing)}
                      : std::vector<std::string>{std::move(missing), std::move(referenced_by)}) {}

const std::string& missing_revision_error::referenced_by() const noexcept {
  static const std::string none;
  return revisions().size() > 1 ? revisions()[1] : none;
}

duplicate_revision_error::duplicate_revision_error(const std::string& message, std::string id,
                                                   std::string first_file, std::string second_file)
    : graph_error(message, {std::move(id)}),
      files_(share(std::make_pair(std::move(first_file), std::move(second_file)))) {}

ambiguous_revision_error::ambiguous_revision_error(const std::string& message, std::string prefix,
                                                   std::vector<std::string> candidates)
    : graph_error(message, std::move(candidates)), prefix_(share(std::move(prefix))) {}

multiple_heads_error::multiple_heads_error(const std::string& message,
                                           std::vector<std::string> heads)
    : graph_error(message, std::move(heads)) {}

migration_error::migration_error(const std::string& what, error_fields fields,
                                 bool partially_applied)
    : error(verbatim_t{}, what, std::move(fields)), partially_applied_(partially_applied) {}

}  // namespace migtest
