// migtest/testdb/test_databases.hpp: what a test framework's glue calls to give each test its
// database and take it back; no test framework in it (Catch2, doctest, GoogleTest alike).
//   static migtest::TestDatabases dbs(migtest::TestConfig().migrations(BLOG_MIGRATIONS));
//   TEST_CASE("karma starts at zero") {
//     migtest::TestScope t = dbs.begin_test("karma starts at zero");
//     t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
//     CHECK(t.session().scalar<int>(R"(SELECT karma FROM "user")") == 0);
//   }  // t ends here: rolled back, or its database reset for the next test, or dropped
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/graph.hpp"
#include "migtest/testdb/config.hpp"
#include "migtest/testdb/database.hpp"
#include "migtest/testdb/session.hpp"

namespace migtest {

/// What TestScope::end does with the test's database: cleans up (the default), or keeps it
/// for a person to look at (a failed test under MIGTEST_KEEP=1: keep_failed_databases()).
enum class ScopeEnd { clean_up, keep_database };

class TestScope;

/// The databases of the tests of one configuration (a suite, or a whole test program): the
/// template migrated once per history (shared by processes and kept across runs), and for
/// each test, by config.mode():
///
/// - Mode::rollback: one copy kept for all the tests, each inside a transaction rolled back
///   at its end (on PostgreSQL the copy is claimed from the pool).
/// - Mode::fresh: a database of the test's own, in the template's state: on SQLite the
///   previous test's file rewritten in place; on PostgreSQL a database from the template's
///   pool (docs/reference/testdb.md#the-pool), reset after the test when its schema is
///   unchanged, else dropped and replaced in the background.
///
/// Constructing one does nothing yet (a static object is fine): the template is built or
/// found by prepare() or the first begin_test(). Not thread-safe: one test at a time.
class TestDatabases {
 public:
  /// `backend` overrides config.backend() (a suite run on each backend).
  explicit TestDatabases(TestConfig config, std::optional<Backend> backend = std::nullopt);
  /// release().
  ~TestDatabases();
  TestDatabases(const TestDatabases&) = delete;
  TestDatabases& operator=(const TestDatabases&) = delete;

  /// Builds or finds the template now (under a lock shared with other processes); throws
  /// what building it throws (a failing revision is named with its file and statement),
  /// the same error again for every later call without building again.
  void prepare();
  /// Gives a test its database, connected and in the template's state. `name` names the
  /// test in messages. Throws (config_error for a bad configuration, error otherwise) when it
  /// cannot; nothing is left behind then.
  TestScope begin_test(std::string name = "");
  /// Lets go of what is kept between tests (rollback mode's copy, fresh mode's reset
  /// copies): pool databases are given back to the pool, the others deleted. The next
  /// begin_test() starts again. Never throws (failures are printed).
  void release() noexcept;

  const TestConfig& config() const;
  /// The backend the tests run on (the override, else the configuration's).
  Backend backend() const;
  Mode mode() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// One test's hold on its database, from TestDatabases::begin_test() to end() (or its
/// destructor, which ends it without keeping anything).
class TestScope {
 public:
  TestScope(TestScope&& other) noexcept;
  TestScope& operator=(TestScope&& other) noexcept;
  ~TestScope();

  /// SQL against the test's database (rollback mode: inside the outer transaction).
  Session& session();
  /// The database itself: url(), connection(), reflect(), current().
  TestDatabase& database();
  Backend backend() const;
  Mode mode() const;
  /// Data-migration tests (Mode::fresh): runs the history's upgrade from where the database
  /// is to `target` ("+1": one step), as `migtest upgrade` would; returns the steps run.
  /// config_error in rollback mode (the runner commits); state_error inside session().begin().
  std::vector<Step> upgrade(std::string_view target = "+1");
  /// The same, downwards ("-1": one step; "base": everything).
  std::vector<Step> downgrade(std::string_view target = "-1");

  /// Ends the test: rolls back (rollback mode), or resets the database for the next test,
  /// gives it back or drops it (fresh mode). With ScopeEnd::keep_database (a failed test
  /// under MIGTEST_KEEP, see keep_failed_databases()) the database is kept instead, renamed
  /// migtest_kept_..., and the returned line says where it is; "" otherwise. Throws error
  /// when the database can be neither kept nor removed; it is let go of all the same.
  /// Nothing after the first.
  std::string end(ScopeEnd how = ScopeEnd::clean_up);
  /// False once ended.
  bool active() const { return state_ != nullptr; }

  struct State;

 private:
  friend class TestDatabases;
  explicit TestScope(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace migtest
