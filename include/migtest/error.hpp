// migtest/error.hpp: one error hierarchy, each error carrying its context.
//   try { runner.upgrade("head"); } catch (const migtest::database_error& e) { e.sqlstate(); }
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace migtest {

/// Where a statement or a definition came from, when the caller knows it.
struct source_location {
  std::string file;      // path of the revision file, empty when unknown
  int line = 0;          // 1-based line of the statement's start, 0 when unknown
  std::string revision;  // revision id, empty when unknown

  bool empty() const { return file.empty() && line == 0 && revision.empty(); }
  /// "revision a1b2 (versions/a1b2_x.sql:12)", or "" when empty.
  std::string describe() const;
};

/// Root of every exception migtest throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad command-line use or configuration: the CLI exits with code 2.
class usage_error : public error {
 public:
  using error::error;
};

/// A URL that cannot be parsed or a server that cannot be reached (exit code 2).
/// Messages never contain a password.
class connection_error : public error {
 public:
  using error::error;
};

/// A statement the database rejected.
class database_error : public error {
 public:
  database_error(std::string db_message, std::string code, std::string statement,
                 source_location where = {});
  const std::string& db_message() const noexcept { return db_message_; }
  /// SQLSTATE on PostgreSQL, the extended result code's name on SQLite ("SQLITE_CONSTRAINT_UNIQUE").
  const std::string& code() const noexcept { return code_; }
  const std::string& statement() const noexcept { return statement_; }
  const source_location& where() const noexcept { return where_; }
  /// The same error with its origin filled in.
  database_error located(source_location where) const;

 private:
  std::string db_message_, code_, statement_;
  source_location where_;
};

/// A revision file or other input that cannot be read: names the file and line.
class parse_error : public error {
 public:
  parse_error(std::string file, int line, const std::string& what);
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }

 private:
  std::string file_;
  int line_;
};

/// A revision graph that is not well formed, or a target that names nothing.
class graph_error : public error {
 public:
  using error::error;
};
class cycle_error : public graph_error { public: using graph_error::graph_error; };
class missing_revision_error : public graph_error { public: using graph_error::graph_error; };
class duplicate_revision_error : public graph_error { public: using graph_error::graph_error; };
class ambiguous_revision_error : public graph_error { public: using graph_error::graph_error; };
class multiple_heads_error : public graph_error { public: using graph_error::graph_error; };
class target_error : public graph_error { public: using graph_error::graph_error; };

/// Model metadata that is not consistent (unknown table in a foreign key, ...).
class schema_error : public error {
 public:
  using error::error;
};

/// A revision that failed while running: which one, which statement, and whether
/// the database may hold part of it (revisions run outside a transaction).
class migration_error : public error {
 public:
  migration_error(const std::string& what, source_location where, std::string statement,
                  bool partially_applied);
  const source_location& where() const noexcept { return where_; }
  const std::string& statement() const noexcept { return statement_; }
  bool partially_applied() const noexcept { return partially_applied_; }

 private:
  source_location where_;
  std::string statement_;
  bool partially_applied_;
};

namespace detail {
/// A statement cut to one line of at most `max` characters, for messages.
std::string shorten(const std::string& statement, std::size_t max = 120);
}  // namespace detail

}  // namespace migtest
