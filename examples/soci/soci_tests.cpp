// The blog's posts written with SOCI (soci_post_repository.hpp), tested in fresh mode on
// SQLite and PostgreSQL: SOCI opens the test's own database with session().connection_string()
// and commits for real; the next test starts from the template again.
//
// Why fresh mode only: SOCI 4.0 cannot adopt a connection that is already open, so its code
// cannot run inside rollback mode's transaction; SociRollbackTest shows what it meets there.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <migtest/gtest.hpp>

#include "models.hpp"
#include "soci_post_repository.hpp"

using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;

namespace {

// How an application opens SOCI on the database the test was given: the SQLite file's path,
// or the libpq URI (which holds the password: never print it).
std::unique_ptr<soci::session> open_soci(migtest::Session& session) {
  if (session.dialect() == migtest::Dialect::sqlite) {
    return std::make_unique<soci::session>(*soci::factory_sqlite3(), session.connection_string());
  }
  return std::make_unique<soci::session>(*soci::factory_postgresql(), session.connection_string());
}

std::int64_t add_user(soci::session& sql, const std::string& fingerprint) {
  long long id = 0;
  sql << R"(INSERT INTO "user"(fingerprint) VALUES (:f) RETURNING id)", soci::use(fingerprint),
      soci::into(id);
  return id;
}

int count_posts(soci::session& sql) {
  int n = -1;
  sql << "SELECT count(*) FROM post", soci::into(n);
  return n;
}

TestConfig blog_config() { return TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models()); }

}  // namespace

// ---- fresh mode: SOCI on the test's own database ------------------------------------------

class SociFreshTest : public migtest::MigratedTestP<SociFreshTest> {
 public:
  static TestConfig config() { return blog_config().mode(Mode::fresh); }
};

TEST_P(SociFreshTest, PublishingThroughSociIsCommittedToTheTestsDatabase) {
  auto sql = open_soci(session());
  const auto ada = add_user(*sql, "ada");
  blog::SociPostRepository posts(*sql);
  const auto id = posts.publish(ada, "Hello", "First post");

  const auto mine = posts.by_author(ada);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, id);
  EXPECT_EQ(mine[0].title, "Hello");
  // migtest's own connection is another connection: it sees SOCI's committed rows.
  EXPECT_EQ(session().scalar<int>("SELECT count(*) FROM post"), 1);
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user")"), 1);
  EXPECT_THAT(database(), migtest::MatchesModels());
}

TEST_P(SociFreshTest, AFailedPublishIsRolledBackBySoci) {
  auto sql = open_soci(session());
  const auto ada = add_user(*sql, "ada");
  blog::SociPostRepository posts(*sql);
  EXPECT_THROW(posts.publish(ada, "", "x"), soci::soci_error);  // ck_post_title
  EXPECT_EQ(count_posts(*sql), 0);
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user")"), 0);
  // The session is usable after SOCI's rollback.
  posts.publish(ada, "Hello", "x");
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user")"), 1);
}

TEST_P(SociFreshTest, ASociWriteIsGoneForTheNextTest) {
  // Two tests in a row on the suite's configuration, as the fixture runs them.
  migtest::TestDatabases databases(config(), GetParam());
  std::string first_database;
  {
    migtest::TestScope first = databases.begin_test("first");
    first_database = first.database().url();
    auto sql = open_soci(first.session());
    blog::SociPostRepository(*sql).publish(add_user(*sql, "ada"), "Hello", "x");
    ASSERT_EQ(count_posts(*sql), 1);
  }  // SOCI's session closes before the test's scope ends, as in a test body
  migtest::TestScope second = databases.begin_test("second");
  if (GetParam() == Backend::sqlite) {
    // The same file, rewritten in place: what SOCI committed to it is gone.
    EXPECT_EQ(second.database().url(), first_database);
  }
  auto sql = open_soci(second.session());
  EXPECT_EQ(count_posts(*sql), 0);
  EXPECT_EQ(second.session().scalar<int>(R"(SELECT count(*) FROM "user")"), 0);
}

MIGTEST_INSTANTIATE_BACKENDS(SociFreshTest);

// ---- rollback mode: why SOCI code needs fresh mode ----------------------------------------

class SociRollbackTest : public migtest::MigratedTestP<SociRollbackTest> {
 public:
  static TestConfig config() { return blog_config(); }
};

TEST_P(SociRollbackTest, ASecondConnectionIsOutsideTheTestsTransaction) {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('ada'))");
  if (GetParam() == Backend::sqlite) {
    // SQLite opens the file for SOCI, but the test's row is not committed: SOCI sees none.
    auto sql = open_soci(session());
    int users = -1;
    *sql << R"(SELECT count(*) FROM "user")", soci::into(users);
    EXPECT_EQ(users, 0);
  } else {
    // The test's database accepts no other connection while rollback mode holds it.
    try {
      open_soci(session());
      ADD_FAILURE() << "SOCI connected to a rollback-mode database";
    } catch (const soci::soci_error& e) {
      EXPECT_THAT(e.what(), testing::HasSubstr("is not currently accepting connections"));
    }
  }
}

MIGTEST_INSTANTIATE_BACKENDS(SociRollbackTest);

// ---- run by ctest before and after every test above (CMakeLists.txt) --------------------

// Clears what a killed earlier run left, so that the check below sees this run alone.
TEST(SociLeftovers, ReapAKilledRunsLeftovers) {
  const TestConfig c;
  migtest::reap_leftovers(c.temp_directory(), c.cache_directory(), c.postgres_url());
  EXPECT_TRUE(migtest::list_temporaries(c.temp_directory(), c.cache_directory(), "").empty());
}

// Nothing may be left behind by SOCI's connections either: no file, no database.
TEST(SociLeftovers, NoTemporaryFileOrDatabaseIsLeft) {
  const TestConfig c;
  const auto left =
      migtest::list_left_behind(c.temp_directory(), c.cache_directory(), c.postgres_url());
  for (const auto& l : left) ADD_FAILURE() << "left behind: " << l.kind << " " << l.name;
  EXPECT_TRUE(left.empty());
}
