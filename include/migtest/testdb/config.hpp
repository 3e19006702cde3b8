// migtest/testdb/config.hpp: what a test's database is migrated with, on which backend, and
// how each test is isolated; a regular value any test framework's glue passes to testdb.
//   migtest::TestConfig config =
//       migtest::TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models()).mode(migtest::Mode::fresh);
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "migtest/testdb/backend.hpp"

namespace migtest {

class Metadata;
class Registry;

/// How each test is isolated from the others.
enum class Mode {
  /// One connection per suite in an outer transaction, rolled back after each test;
  /// session().begin()/commit()/rollback() become SAVEPOINT/RELEASE/ROLLBACK TO.
  /// Microseconds per test; cannot test other connections, commit-time checks, or
  /// statements that refuse to run in a transaction (docs/guide/testing-with-fixtures.md).
  rollback,
  /// A database of its own per test, in the migrated template's state: real commits,
  /// other connections, migrations (upgrade()/downgrade()) all work.
  fresh,
};

/// "rollback" / "fresh".
std::string to_string(Mode mode);
std::ostream& operator<<(std::ostream& os, Mode mode);
/// MIGTEST_BACKEND ("sqlite" when unset); config_error naming the variable for a bad value.
Backend backend_from_environment();

/// A test database's configuration: a regular value built by chaining setters.
///
/// Everything but the migrations has a default: the backend comes from MIGTEST_BACKEND,
/// the PostgreSQL server from MIGTEST_POSTGRES_URL, temporary files go to
/// MIGTEST_TMPDIR (else <system temp>/migtest-<uid>), SQLite templates to
/// MIGTEST_CACHE_DIR (else <temporary directory>/templates), the PostgreSQL pool's size and
/// clones in flight come from MIGTEST_POOL_SIZE and MIGTEST_POOL_CLONES (docs/reference/testdb.md).
class TestConfig {
 public:
  TestConfig() = default;

  /// The directory of revision files (any layout load_history() reads).
  TestConfig& migrations(std::string directory);
  /// C++ revisions, in one graph with the files (the registry must outlive the tests).
  TestConfig& registry(const Registry& registry);
  /// The models the database is expected to match (MatchesModels(), database().models()).
  TestConfig& models(const Metadata& models);
  /// Overrides MIGTEST_BACKEND.
  TestConfig& backend(Backend backend);
  /// rollback (the default) or fresh.
  TestConfig& mode(Mode mode);
  /// The version table's name (RunOptions::version_table); default "migtest_version".
  TestConfig& version_table(std::string name);
  /// The PostgreSQL schemas database().reflect(), the matchers and the per-revision checks
  /// read (ReflectOptions::schemas); default: the default schema (public).
  TestConfig& schemas(std::vector<std::string> names);
  /// Migrate the template to this revision (any runner target) instead of "head": the
  /// starting point of data-migration tests. Implies Mode::fresh unless mode() is set.
  TestConfig& at_revision(std::string target);
  /// Overrides MIGTEST_POSTGRES_URL: the server (and maintenance database) test
  /// databases are created on.
  TestConfig& postgres_url(std::string url);
  /// Overrides MIGTEST_TMPDIR for this fixture's SQLite files ("." puts them in the
  /// working directory, when you ask for it).
  TestConfig& temp_directory(std::string directory);
  /// Overrides MIGTEST_CACHE_DIR for SQLite templates.
  TestConfig& cache_directory(std::string directory);
  /// Overrides MIGTEST_POOL_SIZE: how many ready databases the PostgreSQL pool of each
  /// template keeps ahead of the tests (0: no pool, every test database is cloned when
  /// asked for and dropped after). config_error when negative.
  TestConfig& pool_size(int databases);
  /// Overrides MIGTEST_POOL_CLONES: at most this many clones of a template in flight on the
  /// server at once (each holds a connection while it runs). config_error when below 1.
  TestConfig& max_clones_in_flight(int clones);

  const std::string& migrations() const { return migrations_; }
  const Registry* registry() const { return registry_; }
  /// nullptr when models() was not given.
  const Metadata* models() const { return models_.get(); }
  /// The configured backend, else MIGTEST_BACKEND.
  Backend backend() const;
  bool has_backend() const { return backend_.has_value(); }
  Mode mode() const;
  const std::string& version_table() const { return version_table_; }
  const std::vector<std::string>& schemas() const { return schemas_; }
  const std::string& target() const { return target_; }
  /// The configured URL, else MIGTEST_POSTGRES_URL, else "".
  std::string postgres_url() const;
  /// The configured directory, else MIGTEST_TMPDIR, else <system temp>/migtest-<uid>.
  std::string temp_directory() const;
  /// The configured directory, else MIGTEST_CACHE_DIR, else <temp_directory()>/templates.
  std::string cache_directory() const;
  /// The configured size, else MIGTEST_POOL_SIZE, else 4; config_error naming the variable
  /// when it is not a number of 0 or more.
  int pool_size() const;
  /// The configured limit, else MIGTEST_POOL_CLONES, else 2; config_error naming the
  /// variable when it is not a number of 1 or more.
  int max_clones_in_flight() const;

  /// Equal when every setting made is the same (what is left to the environment is left
  /// alike): the same Registry object, equal models.
  bool operator==(const TestConfig& other) const;
  bool operator!=(const TestConfig& other) const { return !(*this == other); }

 private:
  std::string migrations_;
  const Registry* registry_ = nullptr;
  std::shared_ptr<const Metadata> models_;
  std::optional<Backend> backend_;
  std::optional<Mode> mode_;
  std::string version_table_ = "migtest_version";
  std::vector<std::string> schemas_;
  std::string target_ = "head";
  std::string postgres_url_;
  std::string temp_directory_;
  std::string cache_directory_;
  std::optional<int> pool_size_;
  std::optional<int> max_clones_in_flight_;
};

/// True when the environment variable `name` is "1" (MIGTEST_KEEP, MIGTEST_REQUIRE_POSTGRES).
bool env_flag(const char* name);
/// MIGTEST_KEEP=1: a failed test's database is kept for a person to look at.
bool keep_failed_databases();

}  // namespace migtest
