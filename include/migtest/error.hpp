// migtest/error.hpp: one error hierarchy; each error carries its context as fields.
// Catch migtest::error for everything migtest throws, or a subclass (migration_error,
// graph_error, ...) for one kind; where(), code(), statement() and cause() hold what what()
// says in words.
//   try { runner.upgrade("head"); }
//   catch (const migtest::error& e) { e.where().line; e.code(); e.statement(); e.cause(); }
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

/// What an error knows besides its message. Every field may be empty.
struct error_fields {
  source_location where{};  // the file, line and revision at fault
  std::string code{};       // SQLSTATE on PostgreSQL ("23505"); the extended result code's
                            // name on SQLite ("SQLITE_CONSTRAINT_UNIQUE")
  std::string statement{};  // the SQL statement at fault, whole
  /// The error this one reports (the database_error under a migration_error). Null when
  /// there is none; std::rethrow_exception(e.cause()) in a try block to inspect it.
  std::exception_ptr cause{};

  /// Only a cause, for an error thrown while handling another:
  ///   catch (const config_error&) { throw config_error("...", error_fields::caused_by(
  ///                                     std::current_exception())); }
  static error_fields caused_by(std::exception_ptr cause) { return {{}, {}, {}, std::move(cause)}; }
};

/// Root of every exception migtest throws. Copying one never throws (the fields are shared).
class error : public std::runtime_error {
 public:
  /// what(): "<where>: <message> [<code>] in: <statement on one line>", each part only
  /// when its field is set.
  explicit error(const std::string& message, error_fields fields = {});

  const source_location& where() const noexcept { return fields_->where; }
  const std::string& code() const noexcept { return fields_->code; }
  const std::string& statement() const noexcept { return fields_->statement; }
  const std::exception_ptr& cause() const noexcept { return fields_->cause; }
  const error_fields& fields() const noexcept { return *fields_; }

 protected:
  /// For an error whose text places its fields in its own words: `what` is used as is.
  struct verbatim_t {};
  error(verbatim_t, const std::string& what, error_fields fields);

 private:
  std::shared_ptr<const error_fields> fields_;
};

/// A setting the library cannot act on: an unknown dialect or backend name, a malformed
/// environment variable, a directory that does not exist, a TestConfig value out of range,
/// a version table migtest did not write. The CLI exits with code 2.
class config_error : public error {
 public:
  using error::error;
};

/// A call the object's present state does not allow: Session::commit() with no transaction
/// open, a C++ revision that was never registered, a test's database after its scope ended,
/// the native handle of the other backend. The CLI exits with code 2.
class state_error : public error {
 public:
  using error::error;
};

/// A URL that cannot be parsed or a server that cannot be reached (exit code 2).
/// Messages never contain a password.
class connection_error : public error {
 public:
  using error::error;
};

/// A statement the database rejected: code() and statement() are always set, where() when
/// the caller knows the revision file (the runner fills it in).
class database_error : public error {
 public:
  database_error(std::string db_message, std::string code, std::string statement,
                 source_location where = {});
  /// The database's own message, without the where/code/statement what() adds.
  const std::string& db_message() const noexcept { return *db_message_; }
  /// The same error with its origin filled in.
  database_error located(source_location where) const;

 private:
  std::shared_ptr<const std::string> db_message_;
};

/// A revision file or other input that cannot be read: where() names the file and line.
class parse_error : public error {
 public:
  parse_error(std::string file, int line, const std::string& what);
  const std::string& file() const noexcept { return where().file; }
  int line() const noexcept { return where().line; }
};

/// A revision graph that is not well formed, or a target that names nothing. revisions()
/// are the ids involved (empty when the message names none); each subclass names them.
class graph_error : public error {
 public:
  explicit graph_error(const std::string& message, std::vector<std::string> revisions = {});
  const std::vector<std::string>& revisions() const noexcept { return *revisions_; }

 private:
  std::shared_ptr<const std::vector<std::string>> revisions_;
};

/// Revisions that need each other in a loop.
class cycle_error : public graph_error {
 public:
  cycle_error(const std::string& message, std::vector<std::string> cycle);
  /// The ids around the loop, each a parent of the next (the last is a parent of the first).
  const std::vector<std::string>& cycle() const noexcept { return revisions(); }
};

/// An id that names no revision: a down_revision or depends_on of another revision, a
/// target, or the database's own version.
class missing_revision_error : public graph_error {
 public:
  missing_revision_error(const std::string& message, std::string missing,
                         std::string referenced_by = {});
  /// The id (or prefix) that names nothing.
  const std::string& missing() const noexcept { return revisions().front(); }
  /// The revision whose down_revision or depends_on names it; "" when a target or the
  /// database named it.
  const std::string& referenced_by() const noexcept;
};

/// Two revisions with one id.
class duplicate_revision_error : public graph_error {
 public:
  /// `first_file` and `second_file` are "" for C++ revisions.
  duplicate_revision_error(const std::string& message, std::string id, std::string first_file,
                           std::string second_file);
  const std::string& id() const noexcept { return revisions().front(); }
  const std::string& first_file() const noexcept { return files_->first; }
  const std::string& second_file() const noexcept { return files_->second; }

 private:
  std::shared_ptr<const std::pair<std::string, std::string>> files_;
};

/// A prefix that more than one revision id starts with.
class ambiguous_revision_error : public graph_error {
 public:
  ambiguous_revision_error(const std::string& message, std::string prefix,
                           std::vector<std::string> candidates);
  const std::string& prefix() const noexcept { return *prefix_; }
  /// Every id the prefix matches, sorted.
  const std::vector<std::string>& candidates() const noexcept { return revisions(); }

 private:
  std::shared_ptr<const std::string> prefix_;
};

/// A target such as head that needs one head where the history or the database has several.
class multiple_heads_error : public graph_error {
 public:
  multiple_heads_error(const std::string& message, std::vector<std::string> heads);
  /// The heads to choose from, as the message lists them.
  const std::vector<std::string>& heads() const noexcept { return revisions(); }
};

/// A target that cannot be reached from where the database is (below base, past head,
/// through an irreversible revision, ...).
class target_error : public graph_error {
 public:
  using graph_error::graph_error;
};

/// Model metadata that is not consistent (unknown table in a foreign key, ...).
class schema_error : public error {
 public:
  using error::error;
};

/// A revision that failed while running: where() is the statement's file, line and revision;
/// code() and statement() are the database's; cause() is the database_error (or the
/// exception a C++ revision threw); and whether the database may hold part of the revision
/// (it ran outside a transaction).
class migration_error : public error {
 public:
  /// `what` is used as it is: it names the revision and the failure in its own words.
  migration_error(const std::string& what, error_fields fields, bool partially_applied);
  bool partially_applied() const noexcept { return partially_applied_; }

 private:
  bool partially_applied_;
};

}  // namespace migtest
