// PostgreSQL behind the Connection interface (libpqxx 6). Internal header.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "backend/backend.hpp"  // advisory_key, drop_database
#include "migtest/connection.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"

namespace pqxx {
class connection_base;
class dbtransaction;
}  // namespace pqxx

namespace migtest::detail {

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const DatabaseUrl& url, const ConnectOptions& options);
  ~PostgresConnection() override;

  Dialect dialect() const override { return Dialect::postgresql; }
  std::string server_version() override;
  std::string url() const override { return url_.redacted(); }
  void execute_script(std::string_view sql) override;
  std::int64_t execute(std::string_view sql, const Params& params) override;
  Result query(std::string_view sql, const Params& params) override;
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override { return in_tx_; }
  void savepoint(std::string_view name) override;
  void release(std::string_view name) override;
  void rollback_to(std::string_view name) override;
  void lock(std::string_view key, int timeout_ms) override;
  void unlock(std::string_view key) override;

  /// The database this connection is to.
  std::string database_name();
  /// The URL it was opened with, password included: for opening another database on the
  /// same server (never print it).
  const DatabaseUrl& database_url() const { return url_; }
  /// The libpqxx connection, for the user's own code (migtest/testdb/native_postgres.hpp).
  /// `pqxx::connection` is an alias of a template: returned as its base.
  pqxx::connection_base& native();
  /// The transaction begin() opened, nullptr outside one.
  pqxx::dbtransaction* native_transaction();

  /// query(), with `sql` prepared on the first call and the prepared statement reused
  /// afterwards: parsed and planned once per connection. For catalog queries run at every
  /// step of a verification; not for queries over application tables, whose plans a
  /// revision may invalidate.
  Result query_prepared(const std::string& sql, const Params& params);

 private:
  struct Raw;
  struct Impl;  // libpqxx stays out of every header
  Raw run(std::string_view sql, const Params& params, const std::string* prepared = nullptr);
  Result to_result(Raw raw);
  DatabaseUrl url_;
  std::unique_ptr<Impl> impl_;
  bool in_tx_ = false;
  std::set<std::string, std::less<>> locks_;
  std::map<std::string, std::string> prepared_;  // sql -> statement name
};

std::unique_ptr<Connection> open_postgres(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace migtest::detail
