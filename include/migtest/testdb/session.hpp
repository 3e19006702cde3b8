// migtest/testdb/session.hpp: the test's way into its database; in rollback mode its
// transactions are savepoints.
//   session.exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"});
//   int karma = session.scalar<int>(R"(SELECT karma FROM "user")");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/testdb/config.hpp"  // Mode

namespace migtest {

/// SQL against the test's database, with `$1..$n` placeholders on both backends.
///
/// In Mode::rollback the connection sits in an outer transaction that the end of the test
/// rolls back: begin() becomes SAVEPOINT, commit() RELEASE, rollback() ROLLBACK TO. On
/// PostgreSQL each statement outside begin() also runs under its own savepoint, so a
/// failing statement leaves the test's earlier work usable, as in autocommit.
/// In Mode::fresh these are the real BEGIN, COMMIT and ROLLBACK.
class Session {
 public:
  /// A session over `connection` in `mode` (Mode::rollback: `connection` already sits in the
  /// test's outer transaction).
  Session(Connection& connection, Mode mode);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs one statement; returns the number of rows it changed.
  std::int64_t exec(std::string_view sql, const Params& params = {});
  /// Runs several statements separated by ';' (no parameters).
  void script(std::string_view sql);
  Result query(std::string_view sql, const Params& params = {});
  /// query(...).rows.
  std::vector<Row> rows(std::string_view sql, const Params& params = {});
  /// The first column of the single row expected: error naming the SQL when there is no
  /// row, or NULL and T is not std::optional<...>. T: int, std::int64_t, double, bool,
  /// std::string, migtest::Value, or std::optional of one of them.
  template <class T = Value>
  T scalar(std::string_view sql, const Params& params = {});

  /// A transaction (rollback mode: a savepoint). state_error when one is open already.
  void begin();
  void commit();
  void rollback();
  /// True between begin() and commit()/rollback().
  bool in_transaction() const { return depth_ > 0; }
  /// Named savepoints, inside begin() or not.
  void savepoint(std::string_view name);
  void release(std::string_view name);
  void rollback_to(std::string_view name);

  /// The connection itself. In rollback mode never call its begin/commit/rollback:
  /// they would end the outer transaction.
  Connection& connection() { return connection_; }
  /// What your own database library opens this database with: the file path on SQLite, the
  /// libpq URI on PostgreSQL (password included: never print it). A connection opened
  /// with it sees only committed rows: use it in Mode::fresh (in rollback mode a PostgreSQL
  /// database accepts no other connection while the test runs). Inside rollback mode's
  /// transaction, use the session's own connection (migtest/testdb/native_sqlite.hpp,
  /// migtest/testdb/native_postgres.hpp).
  std::string connection_string() const;
  /// Dialect::sqlite or Dialect::postgresql.
  Dialect dialect() const { return dialect_; }
  bool rollback_mode() const { return rollback_mode_; }

 private:
  // scalar<std::optional<T>>: NULL becomes nullopt instead of an error.
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {
    using value_type = T;
  };

  Session(Connection& connection, bool rollback_mode);

  template <class F>
  auto guarded(F&& f) -> decltype(f());
  Value scalar_value(std::string_view sql, const Params& params, bool allow_null);

  Connection& connection_;
  Dialect dialect_;
  bool rollback_mode_;
  bool statement_savepoints_;  // rollback mode on PostgreSQL
  int depth_ = 0;
};

template <class T>
T Session::scalar(std::string_view sql, const Params& params) {
  if constexpr (is_optional<T>::value) {
    Value v = scalar_value(sql, params, true);
    if (v.is_null()) return std::nullopt;
    return v.get<typename is_optional<T>::value_type>();
  } else {
    return scalar_value(sql, params, std::is_same_v<T, Value>).template get<T>();
  }
}

}  // namespace migtest
