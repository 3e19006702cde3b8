// A throwaway database for verify: a SQLite file in a fresh temporary directory, or a new
// database on a PostgreSQL server, deleted or dropped by the destructor. Internal.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "migtest/connection.hpp"

namespace migtest::detail {

class ScratchDatabase {
 public:
  /// `backend_url`: "" or any sqlite URL gives a temporary SQLite file (the URL's own file
  /// is never touched); a postgresql URL names the server on which a database
  /// migtest_verify_<pid>_<n> is created (the URL's own database is never touched).
  /// Durability is turned off: the database is thrown away.
  explicit ScratchDatabase(const std::string& backend_url = "");
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Connection& connection() { return *connection_; }
  std::string dialect() const { return connection_->dialect(); }
  /// "temporary database", "temporary database migtest_verify_123_1 on postgresql://host/..."
  std::string description() const;
  /// Where it lives: the SQLite file, or the PostgreSQL database name.
  const std::string& location() const { return location_; }

 private:
  std::unique_ptr<Connection> admin_;  // PostgreSQL: the server connection that drops it
  std::unique_ptr<Connection> connection_;
  std::string directory_;  // SQLite: removed with everything in it
  std::string location_;
  std::string server_;  // redacted server URL, for messages
};

}  // namespace migtest::detail
