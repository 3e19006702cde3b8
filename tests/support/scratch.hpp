// Test support: scratch databases for migtest's own tests (the user-facing
// temporary databases live in fixtures/). SQLite: a file in a fresh temporary
// directory; PostgreSQL: a database on the throwaway server, dropped at the end.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/filesystem.hpp>
#include <memory>
#include <optional>
#include <string>

#include "migtest/connection.hpp"
#include "migtest/url.hpp"
#include "support/files.hpp"
#include "support/postgres.hpp"

namespace migtest::test {

/// Whether the database `c` is connected to has a table `name` (PostgreSQL: in schema public).
inline bool has_table(Connection& c, const std::string& name) {
  if (c.dialect() == migtest::Dialect::sqlite) {
    return c.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1", {name})
               .as_int() == 1;
  }
  return c.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = $1",
                  {name})
             .as_int() == 1;
}

class ScratchDatabase {
 public:
  /// dialect: "sqlite" or "postgresql". For postgresql the server URL must be set.
  ScratchDatabase(const std::string& dialect, const std::string& server_url = postgres_url()) {
    static std::atomic<int> counter{0};
    int n = counter++;
    if (dialect == "sqlite") {
      dir_.emplace("migtest-test");
      url_ = "sqlite:///" + (*dir_ / "test.db");
    } else {
      server_url_ = server_url;
      name_ = "migtest_scratch_" + std::to_string(::getpid()) + "_" + std::to_string(n);
      auto admin = connect(server_url_);
      admin->execute("DROP DATABASE IF EXISTS \"" + name_ + "\"");
      admin->execute("CREATE DATABASE \"" + name_ + "\"");
      url_ = with_database(server_url_, name_);
    }
  }
  ~ScratchDatabase() {
    try {
      if (!name_.empty()) {
        auto admin = connect(server_url_);
        admin->execute("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
      }
    } catch (...) {
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  std::unique_ptr<Connection> connect_to() const { return connect(url_); }
  /// The SQLite database's folder (empty for PostgreSQL).
  const boost::filesystem::path& directory() const {
    static const boost::filesystem::path none;
    return dir_ ? dir_->path() : none;
  }

 private:
  std::optional<TempDir> dir_;  // SQLite's
  std::string server_url_, name_, url_;
};

}  // namespace migtest::test

/// In a TEST_P over dialects: the scratch database, skipping/failing as
/// MIGTEST_REQUIRE_POSTGRES_URL does when PostgreSQL is not configured.
#define MIGTEST_SCRATCH(var, dialect)                   \
  if (std::string(dialect) == "postgresql") {           \
    MIGTEST_REQUIRE_POSTGRES_URL(server_url_for_##var); \
    (void)server_url_for_##var;                         \
  }                                                     \
  ::migtest::test::ScratchDatabase var(dialect)
