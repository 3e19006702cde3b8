// migtest/connection.hpp: one interface over SQLite and PostgreSQL: connect() to a URL,
// execute and query with `$1, $2, ...` placeholders on both, Value and Row for what comes
// back, Transaction and Savepoint as RAII guards (rolled back unless committed, released).
//   auto db = migtest::connect("sqlite:///app.db");
//   migtest::Transaction tx(*db); db->execute("INSERT INTO t VALUES ($1)", {42}); tx.commit();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "migtest/error.hpp"
#include "migtest/url.hpp"  // Dialect

namespace migtest {

/// How a transaction takes its locks. SQLite: `deferred` (BEGIN) waits for the first write to
/// take the write lock, `immediate` (BEGIN IMMEDIATE) takes it at once, so that a
/// read-then-write transaction cannot fail with SQLITE_BUSY halfway. PostgreSQL locks per
/// row and table as statements run: both begin the same transaction there.
enum class TransactionMode { deferred, immediate };

/// Bytes of a BLOB / bytea value.
struct Blob {
  std::vector<unsigned char> bytes;
  bool operator==(const Blob& o) const { return bytes == o.bytes; }
  bool operator!=(const Blob& o) const { return !(*this == o); }
};

/// A database value: NULL, integer, real, text or blob. Booleans map to integers.
class Value {
 public:
  using storage = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
  Value() = default;
  Value(std::nullptr_t) {}
  Value(int v) : v_(std::int64_t{v}) {}
  Value(long v) : v_(std::int64_t{v}) {}
  Value(long long v) : v_(std::int64_t{v}) {}
  Value(unsigned v) : v_(std::int64_t{v}) {}
  Value(bool v) : v_(std::int64_t{v ? 1 : 0}) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(Blob v) : v_(std::move(v)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }
  bool is_blob() const { return std::holds_alternative<Blob>(v_); }

  /// Conversions: integers parse from text, text prints numbers; NULL throws.
  std::int64_t as_int() const;
  double as_real() const;
  std::string as_text() const;
  bool as_bool() const;
  const Blob& as_blob() const;
  /// A readable literal: NULL, 42, 'text', x'00ff'.
  std::string to_string() const;

  const storage& raw() const { return v_; }
  bool operator==(const Value& o) const { return v_ == o.v_; }
  bool operator!=(const Value& o) const { return !(*this == o); }

  template <typename T>
  T get() const;

 private:
  storage v_;
};

using Params = std::vector<Value>;

/// One result row; values addressed by position or by column name.
class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  const Value& operator[](std::size_t i) const { return values_.at(i); }
  const Value& operator[](std::string_view column) const;
  const std::vector<Value>& values() const { return values_; }
  bool operator==(const Row& o) const { return values_ == o.values_; }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

/// A connection to one database. Not thread-safe: one per thread.
///
/// SQL placeholders are `$1, $2, ...` on both backends.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Dialect::sqlite or Dialect::postgresql (to_string() names it).
  virtual Dialect dialect() const = 0;
  virtual std::string server_version() = 0;
  /// The URL this connection was opened with, password shown as ***.
  virtual std::string url() const = 0;

  /// Runs a script of several statements, no parameters, no results.
  virtual void execute_script(std::string_view sql) = 0;
  /// Runs one statement with bound parameters; returns the rows it changed.
  virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  virtual Result query(std::string_view sql, const Params& params = {}) = 0;

  /// Transactions; begin(TransactionMode::immediate) takes SQLite's write lock at once.
  virtual void begin(TransactionMode mode = TransactionMode::deferred) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;
  virtual void savepoint(std::string_view name) = 0;
  virtual void release(std::string_view name) = 0;
  virtual void rollback_to(std::string_view name) = 0;

  /// A lock held against other connections to the same database until unlock(), or until
  /// this connection closes or its process dies. Waits (polling) and throws migtest::error
  /// after `timeout_ms`. Locks do not nest: lock() of a key this connection holds does
  /// nothing, and one unlock() releases it.
  /// PostgreSQL: a session advisory lock (pg_try_advisory_lock) on a 63-bit hash of `key`,
  /// in the connected database.
  /// SQLite: flock(LOCK_EX) on the database file itself: no lock file, and independent of
  /// SQLite's own locks. Every key locks that one file (the key only names it for unlock()),
  /// so two keys exclude each other, even on one connection. The file must exist; nothing is
  /// locked for :memory:.
  virtual void lock(std::string_view key, int timeout_ms = 60000) = 0;
  virtual void unlock(std::string_view key) = 0;

  /// Convenience: the first column of the first row (NULL when no row).
  Value scalar(std::string_view sql, const Params& params = {});
};

/// How to open a database. For SQLite these combine with the URL's mode= (ro, rw, rwc) and the
/// stricter wins: read_only or mode=ro opens read-only; create=false or mode=ro/rw never creates.
struct ConnectOptions {
  int busy_timeout_ms = 30000;  // SQLite: how long to wait on a locked database
  bool create = true;           // SQLite: create the file when missing
  bool read_only = false;       // SQLite: open read-only (every write fails)
};

/// Opens `url`: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:,
/// sqlite:///app.db?mode=ro, postgresql://user:pass@host:port/db?host=/socket/dir (also
/// postgres://; see parse_url for what a URL may hold).
/// Throws connection_error naming what is wrong, never showing a password.
std::unique_ptr<Connection> connect(std::string_view url, const ConnectOptions& options = {});

/// RAII transaction: rolls back in the destructor unless committed; never throws there.
class Transaction {
 public:
  explicit Transaction(Connection& c, TransactionMode mode = TransactionMode::deferred);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  void rollback();

 private:
  Connection& c_;
  bool open_ = true;
};

/// RAII savepoint: rolls back to it (and releases it) unless released.
class Savepoint {
 public:
  Savepoint(Connection& c, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release();
  void rollback();

 private:
  Connection& c_;
  std::string name_;
  bool open_ = true;
};

template <>
inline std::int64_t Value::get<std::int64_t>() const {
  return as_int();
}
template <>
inline int Value::get<int>() const {
  return static_cast<int>(as_int());
}
template <>
inline double Value::get<double>() const {
  return as_real();
}
template <>
inline bool Value::get<bool>() const {
  return as_bool();
}
template <>
inline std::string Value::get<std::string>() const {
  return as_text();
}
template <>
inline Value Value::get<Value>() const {
  return *this;
}

}  // namespace migtest
