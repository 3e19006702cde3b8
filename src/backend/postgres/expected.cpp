// The schema models give on PostgreSQL, as the server builds it: create_all in a scratch
// schema of a live database, reflected with the same reader as the database itself, rolled
// back. Models that name schemas of their own are built in a scratch database instead
// (src/testdb/expected_schema.cpp, which also keeps the results).
#include <fmt/format.h>

#include <random>

#include "backend/postgres/dialect.hpp"
#include "migtest/error.hpp"
#include "sql_quote.hpp"

namespace migtest::detail {

namespace {

// A savepoint of the caller's transaction, or a transaction of its own: rolled back either
// way, so the database and the session are left as they were.
class Undo {
 public:
  explicit Undo(Connection& c) : c_(c), own_(!c.in_transaction()) {
    if (own_)
      c_.begin();
    else
      c_.savepoint("migtest_expected");
  }
  ~Undo() {
    try {
      if (own_) {
        c_.rollback();
      } else {
        c_.rollback_to("migtest_expected");
        c_.release("migtest_expected");
      }
    } catch (...) {
    }
  }
  Undo(const Undo&) = delete;
  Undo& operator=(const Undo&) = delete;

 private:
  Connection& c_;
  bool own_;
};

// Unique among concurrent builders on one database: they would otherwise wait on each
// other's uncommitted CREATE SCHEMA.
std::string scratch_name() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("migtest_expected_{:016x}", random());
}

std::string script(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += s + ";\n";
  return out;
}

}  // namespace

Schema postgres_schema_in_scratch(Connection& connection,
                                  const std::vector<std::string>& statements) {
  Undo undo(connection);
  const std::string name = scratch_name();
  connection.execute("CREATE SCHEMA " + quote_ident(name));
  // The scratch schema first, the session's search_path after it: unqualified names are
  // created there, and what the models use from the database (an extension's types and
  // functions) resolves and prints as it does in the database.
  connection.execute(
      "SELECT pg_catalog.set_config('search_path', CASE pg_catalog.current_setting('search_path') "
      "WHEN '' THEN $1 ELSE $1 || ', ' || pg_catalog.current_setting('search_path') END, true)",
      {quote_ident(name)});
  try {
    connection.execute_script(script(statements));
  } catch (const database_error& e) {
    throw schema_error(fmt::format("the models do not build on PostgreSQL: {}", e.what()));
  }
  ReflectOptions options;
  options.exclude_tables.clear();
  options.schemas = {name};
  return postgres_reflect(connection, options);
}

}  // namespace migtest::detail
