// A scratch database: a temporary database with its connection, for the commands that
// work on a throwaway copy (verify, check, revision --autogenerate). Internal.
#pragma once

#include <memory>
#include <string>

#include "migtest/connection.hpp"
#include "migtest/testdb.hpp"

namespace migtest::detail {

class ScratchDatabase {
 public:
  /// `backend_url`: "" or any sqlite URL gives a temporary SQLite file in
  /// default_temp_directory() (the URL's own file is never touched); a postgresql URL names
  /// the server on which a temporary database is created (the URL's own database, which
  /// may be the user's, is never touched; leftovers of dead migtest processes on that
  /// server are reaped first). `tag` says whose it is in its name: verify, check, autogen.
  /// Durability is turned off: the database is thrown away.
  explicit ScratchDatabase(const std::string& backend_url = "", const std::string& tag = "verify");
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Connection& connection() { return *connection_; }
  Dialect dialect() const { return database_.dialect(); }
  /// "temporary database", "temporary database migtest_verify_..._123_... on postgresql://host/..."
  std::string description() const;
  /// Where it lives: the SQLite file, or the PostgreSQL database name.
  const std::string& location() const { return database_.name(); }

 private:
  TemporaryDatabase database_;
  std::unique_ptr<Connection> connection_;  // closed before database_ goes
  std::string server_;                      // redacted server URL, for messages
};

}  // namespace migtest::detail
