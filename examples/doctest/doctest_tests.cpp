// The blog's tests in doctest, over migtest's framework-free testdb API: a fixture holds the
// test's TestScope (RAII: the test's database is rolled back or dropped when it ends); a
// rollback-mode fixture and a fresh-mode one. Runs on SQLite, or on PostgreSQL with
// MIGTEST_BACKEND=postgresql and MIGTEST_POSTGRES_URL.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <memory>
#include <migtest/testdb.hpp>
#include <migtest/testdb/native_postgres.hpp>
#include <migtest/testdb/native_sqlite.hpp>
#include <pqxx/pqxx>

#include "app/post_repository.hpp"
#include "models.hpp"

// ---- the glue: a few lines a project writes once ------------------------------------------

namespace {

migtest::TestConfig blog_config() {
  return migtest::TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models());
}

// A test's hold on its database, from the fixture's construction to its destruction.
struct BlogDatabase {
  explicit BlogDatabase(migtest::TestDatabases& databases)
      : scope(databases.begin_test(doctest::detail::g_cs->currentTest->m_name)) {}
  migtest::Session& session() { return scope.session(); }
  migtest::TestDatabase& database() { return scope.database(); }
  migtest::TestScope scope;
};

struct Rollback : BlogDatabase {
  Rollback() : BlogDatabase(databases()) {}
  static migtest::TestDatabases& databases() {
    static migtest::TestDatabases dbs(blog_config());
    return dbs;
  }
};

struct Fresh : BlogDatabase {
  Fresh() : BlogDatabase(databases()) {}
  static migtest::TestDatabases& databases() {
    static migtest::TestDatabases dbs(blog_config().mode(migtest::Mode::fresh));
    return dbs;
  }
};

}  // namespace

// ---- rollback mode: every test rolled back ------------------------------------------------

TEST_CASE_FIXTURE(Rollback, "karma starts at zero") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  CHECK(session().scalar<int>(R"(SELECT karma FROM "user")") == 0);
}

TEST_CASE_FIXTURE(Rollback, "each test starts empty") {
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 0);
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 1);
}

TEST_CASE_FIXTURE(Rollback, "the migrations reach head") {
  CHECK(database().current() == std::vector<std::string>{"a1b2c3d4e5f6"});
}

TEST_CASE_FIXTURE(Rollback, "fingerprints are unique") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"});
  CHECK_THROWS_AS(session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"}),
                  migtest::database_error);
  CHECK(session().scalar<int>(R"(SELECT count(*) FROM "user")") == 1);
}

TEST_CASE_FIXTURE(Rollback, "publishing credits the author, inside the test's transaction") {
  // The application's own repository, on the test's connection (see examples/blog/app).
  std::unique_ptr<blog::PostRepository> posts;
  if (session().dialect() == migtest::Dialect::sqlite) {
    posts = std::make_unique<blog::SqlitePostRepository>(migtest::sqlite_database(session()));
  } else {
    posts =
        std::make_unique<blog::PostgresPostRepository>(migtest::postgres_transaction(session()));
  }
  const auto ada = session().scalar<std::int64_t>(
      R"(INSERT INTO "user"(fingerprint) VALUES ('ada') RETURNING id)");
  posts->publish(ada, "Hello", "First post");
  CHECK(posts->by_author(ada).size() == 1);
  CHECK(session().scalar<int>(R"(SELECT karma FROM "user")") == 1);
}

// ---- fresh mode: a database of the test's own ---------------------------------------------

TEST_CASE_FIXTURE(Fresh, "other connections see committed rows") {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  auto other = migtest::connect(database().url());
  CHECK(other->scalar(R"(SELECT count(*) FROM "user")").as_int() == 1);
}

TEST_CASE_FIXTURE(Fresh, "a downgrade to base and back") {
  scope.downgrade("base");
  CHECK(database().reflect().tables.empty());
  scope.upgrade("head");
  CHECK(database().current() == std::vector<std::string>{"a1b2c3d4e5f6"});
}

// ---- run by ctest before and after the tests above (CMakeLists.txt) ------------------------

TEST_CASE("reap what a killed run left" * doctest::skip()) {
  const migtest::TestConfig c;
  migtest::reap_leftovers(c.temp_directory(), c.cache_directory(), c.postgres_url());
  CHECK(migtest::list_temporaries(c.temp_directory(), c.cache_directory(), "").empty());
}

TEST_CASE("nothing is left behind" * doctest::skip()) {
  const migtest::TestConfig c;
  const auto left =
      migtest::list_left_behind(c.temp_directory(), c.cache_directory(), c.postgres_url());
  for (const auto& l : left) FAIL_CHECK(("left behind: " + l.kind + " " + l.name));
  CHECK(left.empty());
}
