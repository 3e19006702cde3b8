// migtest/testdb/database.hpp: the test's database as a value to inspect: URL, connection,
// reflected schema, the revisions it is at.
//   migtest::Schema s = database.reflect();
//   std::vector<std::string> heads = database.current();
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/schema.hpp"

namespace migtest {

class Metadata;

/// The database a test runs against (its own in fresh mode, the suite's in rollback mode).
/// Cheap handle; valid for the duration of the test.
class TestDatabase {
 public:
  TestDatabase(Connection& connection, std::string url, std::string name, std::string version_table,
               const Metadata* models, std::vector<std::string> schemas = {});

  /// A URL other connections can open (fresh mode; in rollback mode they would not see
  /// the test's uncommitted rows, and a PostgreSQL database refuses them). Holds the server
  /// password if any: do not print it.
  const std::string& url() const { return url_; }
  /// url() with any password shown as ***.
  std::string redacted_url() const;
  /// The file path (SQLite) or database name (PostgreSQL).
  const std::string& name() const { return name_; }
  /// Dialect::sqlite or Dialect::postgresql.
  Dialect dialect() const { return connection_->dialect(); }
  /// The test's connection (the session's: it sees the test's uncommitted work).
  Connection& connection() const { return *connection_; }
  /// The whole schema, without the version table (the schemas of TestConfig::schemas).
  Schema reflect() const;
  /// The version table's heads (the revisions the database is at).
  std::vector<std::string> current() const;
  const std::string& version_table() const { return version_table_; }
  /// The configuration's models (TestConfig::models), nullptr when none were given.
  const Metadata* models() const { return models_; }

 private:
  Connection* connection_;
  std::string url_, name_, version_table_;
  const Metadata* models_;
  std::vector<std::string> schemas_;
};

/// Prints the redacted URL (never the password).
std::ostream& operator<<(std::ostream& os, const TestDatabase& database);

}  // namespace migtest
