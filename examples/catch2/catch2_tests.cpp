// The blog's tests in Catch2 2, over migtest's framework-free testdb API: a listener gives each
// TEST_CASE its database, rollback mode by default, fresh mode for the ones tagged [fresh].
// Runs on SQLite, or on PostgreSQL with MIGTEST_BACKEND=postgresql and MIGTEST_POSTGRES_URL.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <iostream>
#include <memory>
#include <migtest/testdb.hpp>
#include <migtest/testdb/native_postgres.hpp>
#include <migtest/testdb/native_sqlite.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "app/post_repository.hpp"
#include "models.hpp"

// ---- the glue: a dozen lines a project writes once ----------------------------------------

namespace {

migtest::TestDatabases& databases(migtest::Mode mode) {
  static migtest::TestDatabases rollback(
      migtest::TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models()));
  static migtest::TestDatabases fresh(migtest::TestConfig()
                                          .migrations(BLOG_MIGRATIONS)
                                          .models(blog_models())
                                          .mode(migtest::Mode::fresh));
  return mode == migtest::Mode::fresh ? fresh : rollback;
}

std::optional<migtest::TestScope> current;

// The test's database, from the listener below.
migtest::Session& session() { return current->session(); }
migtest::TestDatabase& database() { return current->database(); }

bool wants_fresh(const Catch::TestCaseInfo& info) {
  for (const auto& tag : info.tags) {
    if (tag == "fresh") return true;
  }
  return false;
}

struct MigtestListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    if (info.tagsAsString().find("[leftovers]") != std::string::npos) return;
    const auto mode = wants_fresh(info) ? migtest::Mode::fresh : migtest::Mode::rollback;
    current.emplace(databases(mode).begin_test(info.name));
  }
  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    if (!current) return;
    // MIGTEST_KEEP=1 keeps a failed test's database for a person to look at.
    const bool keep = !stats.totals.assertions.allOk() && migtest::keep_failed_databases();
    const std::string kept =
        current->end(keep ? migtest::ScopeEnd::keep_database : migtest::ScopeEnd::clean_up);
    if (!kept.empty()) std::cerr << kept << "\n";
    current.reset();
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(MigtestListener)

// ---- rollback mode: every test rolled back ------------------------------------------------

TEST_CASE("karma starts at zero") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  CHECK(session().scalar<int>(R"(SELECT karma FROM "user")") == 0);
}

TEST_CASE("each test starts empty") {
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 0);
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 1);
}

TEST_CASE("the migrations reach head") {
  CHECK(database().current() == std::vector<std::string>{"a1b2c3d4e5f6"});
}

TEST_CASE("fingerprints are unique") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"});
  CHECK_THROWS_AS(session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"}),
                  migtest::database_error);
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 1);
}

// The application's own repository, on the test's connection (see examples/blog/app).
std::unique_ptr<blog::PostRepository> posts() {
  if (session().dialect() == migtest::Dialect::sqlite) {
    return std::make_unique<blog::SqlitePostRepository>(migtest::sqlite_database(session()));
  }
  return std::make_unique<blog::PostgresPostRepository>(migtest::postgres_transaction(session()));
}

TEST_CASE("publishing credits the author, inside the test's transaction") {
  const auto ada = session().scalar<std::int64_t>(
      R"(INSERT INTO "user"(fingerprint) VALUES ('ada') RETURNING id)");
  posts()->publish(ada, "Hello", "First post");
  CHECK(posts()->by_author(ada).size() == 1);
  CHECK(session().scalar<int>(R"(SELECT karma FROM "user")") == 1);
}

// ---- fresh mode: a database of the test's own ---------------------------------------------

TEST_CASE("other connections see committed rows", "[fresh]") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  auto other = migtest::connect(database().url());
  CHECK(other->scalar(R"(SELECT count(*) FROM "user")").as_int() == 1);
}

TEST_CASE("a downgrade to base and back", "[fresh]") {
  current->downgrade("base");
  CHECK(database().reflect().tables.empty());
  current->upgrade("head");
  CHECK(database().current() == std::vector<std::string>{"a1b2c3d4e5f6"});
}

// ---- run by ctest before and after the tests above (CMakeLists.txt) ------------------------

TEST_CASE("reap what a killed run left", "[.][leftovers]") {
  const migtest::TestConfig c;
  migtest::reap_leftovers(c.temp_directory(), c.cache_directory(), c.postgres_url());
  CHECK(migtest::list_temporaries(c.temp_directory(), c.cache_directory(), "").empty());
}

TEST_CASE("nothing is left behind", "[.][leftovers]") {
  const migtest::TestConfig c;
  const auto left =
      migtest::list_left_behind(c.temp_directory(), c.cache_directory(), c.postgres_url());
  for (const auto& l : left) FAIL_CHECK("left behind: " << l.kind << " " << l.name);
  CHECK(left.empty());
}
