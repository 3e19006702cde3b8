// SQLite behind the Connection interface (SQLiteCpp). Internal header.
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>

#include "file_lock.hpp"
#include "migtest/connection.hpp"
#include "migtest/url.hpp"

struct sqlite3;

namespace migtest::detail {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const DatabaseUrl& url, const ConnectOptions& options);
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string server_version() override;
  std::string url() const override { return url_.redacted(); }
  void execute_script(std::string_view sql) override;
  std::int64_t execute(std::string_view sql, const Params& params) override;
  Result query(std::string_view sql, const Params& params) override;
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override;
  void savepoint(std::string_view name) override;
  void release(std::string_view name) override;
  void rollback_to(std::string_view name) override;
  void lock(std::string_view key, int timeout_ms) override;
  void unlock(std::string_view key) override;

  sqlite3* handle() const;
  /// The SQLiteCpp database, for the user's own code (migtest/testdb/native_sqlite.hpp).
  SQLite::Database& native() { return *db_; }
  const std::string& path() const { return url_.path; }

 private:
  [[noreturn]] void fail(const std::string& statement) const;
  DatabaseUrl url_;
  std::unique_ptr<SQLite::Database> db_;
  std::map<std::string, FileLock, std::less<>> locks_;  // key -> its flock on the file
};

std::unique_ptr<Connection> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options);

/// "SQLITE_CONSTRAINT_UNIQUE" for an extended result code.
std::string sqlite_code_name(int extended_code);

}  // namespace migtest::detail
