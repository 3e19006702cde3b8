// The blog's tests: the migrated schema against the models, the karma story, and the
// karma backfill as a data-migration test. Runs on SQLite, or on PostgreSQL with
// MIGTEST_BACKEND=postgresql and MIGTEST_POSTGRES_URL set; the suites at the end run on both.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <migtest/gtest.hpp>
#include <migtest/runner.hpp>
#include <migtest/testdb/native_postgres.hpp>
#include <migtest/testdb/native_sqlite.hpp>
#include <pqxx/pqxx>

#include "app/post_repository.hpp"
#include "models.hpp"

using migtest::Mode;
using migtest::TestConfig;

// ---- rollback mode: migrated once per binary, every test rolled back ----------------------

class BlogTest : public migtest::MigratedTest<BlogTest> {
 public:
  static TestConfig config() {
    return TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models());
  }
};

TEST_F(BlogTest, KarmaStartsAtZero) {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user")"), 0);
}  // rolled back here: the next test sees an empty table

TEST_F(BlogTest, EachTestStartsEmpty) {
  // Whichever of these tests runs first, the other's rows are gone.
  EXPECT_EQ(session().scalar<int>(R"(SELECT count(*) FROM "user")"), 0);
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  EXPECT_EQ(session().scalar<int>(R"(SELECT count(*) FROM "user")"), 1);
}

TEST_F(BlogTest, ModelsMatchTheMigratedSchema) {
  EXPECT_THAT(database(), migtest::MatchesMetadata(blog_models()));
  EXPECT_THAT(database(), migtest::HasColumn("user", "karma", migtest::Integer{}));
  EXPECT_EQ(database().current(), std::vector<std::string>{"a1b2c3d4e5f6"});
}

TEST_F(BlogTest, FingerprintsAreUnique) {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"});
  EXPECT_THROW(session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"abc"}),
               migtest::database_error);
  // The failed statement did not spoil the test's transaction (on PostgreSQL either).
  EXPECT_EQ(session().scalar<int>(R"(SELECT count(*) FROM "user")"), 1);
}

TEST_F(BlogTest, DeletingAUserDeletesTheirPosts) {
  const auto uid = session().scalar<std::int64_t>(
      R"(INSERT INTO "user"(fingerprint, username) VALUES ('f1', 'ada') RETURNING id)");
  session().exec("INSERT INTO post(author_id, title, body) VALUES ($1, 'Hello', 'First post')",
                 {uid});
  session().exec(R"(DELETE FROM "user" WHERE id = $1)", {uid});
  EXPECT_EQ(session().scalar<int>("SELECT count(*) FROM post"), 0);
}

TEST_F(BlogTest, AppCodeTransactionsBecomeSavepoints) {
  session().begin();
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('kept'))");
  session().commit();
  session().begin();
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('undone'))");
  session().rollback();
  const auto rows = session().rows(R"(SELECT fingerprint FROM "user")");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["fingerprint"].as_text(), "kept");
}

// ---- the application's own data access (app/post_repository.hpp) inside the rollback ------

// The repository over the test's own connection: on SQLite its SQLiteCpp database, on
// PostgreSQL migtest's transaction (docs/guide/testing-with-fixtures.md).
std::unique_ptr<blog::PostRepository> posts_in(migtest::Session& session) {
  if (session.dialect() == migtest::Dialect::sqlite) {
    return std::make_unique<blog::SqlitePostRepository>(migtest::sqlite_database(session));
  }
  return std::make_unique<blog::PostgresPostRepository>(migtest::postgres_transaction(session));
}

std::int64_t add_user(migtest::Session& session, const std::string& fingerprint) {
  return session.scalar<std::int64_t>(R"(INSERT INTO "user"(fingerprint) VALUES ($1) RETURNING id)",
                                      {fingerprint});
}

TEST_F(BlogTest, PublishingAPostCreditsItsAuthor) {
  const auto ada = add_user(session(), "ada");
  auto posts = posts_in(session());
  const auto id = posts->publish(ada, "Hello", "First post");
  const auto found = posts->by_author(ada);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, id);
  EXPECT_EQ(found[0].title, "Hello");
  // The session sees what the application wrote: one connection, one transaction.
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user" WHERE id = $1)", {ada}), 1);
}  // rolled back here, the application's rows with the rest

TEST_F(BlogTest, AFailedPublishChangesNothing) {
  const auto ada = add_user(session(), "ada");
  auto posts = posts_in(session());
  EXPECT_ANY_THROW(posts->publish(ada, "", "an empty title breaks ck_post_title"));
  EXPECT_TRUE(posts->by_author(ada).empty());
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user" WHERE id = $1)", {ada}), 0);
  // The test's transaction is still usable, on PostgreSQL too.
  posts->publish(ada, "Second try", "x");
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user" WHERE id = $1)", {ada}), 1);
}

TEST_F(BlogTest, NoTestSeesAnotherTestsPosts) {
  // Whichever publishing test ran before this one in this process, its posts are gone.
  EXPECT_EQ(session().scalar<int>("SELECT count(*) FROM post"), 0);
  posts_in(session())->publish(add_user(session(), "ada"), "Mine", "x");
  EXPECT_EQ(session().scalar<int>("SELECT count(*) FROM post"), 1);
}

// ---- fresh mode: a copy of the template per test ----------------------------------------

class BlogFreshTest : public migtest::MigratedTest<BlogFreshTest> {
 public:
  static TestConfig config() {
    return TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models()).mode(Mode::fresh);
  }
};

TEST_F(BlogFreshTest, OtherConnectionsSeeCommittedRows) {
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  auto other = migtest::connect(database().url());
  EXPECT_EQ(other->scalar(R"(SELECT count(*) FROM "user")").as_int(), 1);
}

TEST_F(BlogFreshTest, CheckConstraintRejectsAnEmptyTitle) {
  session().exec(R"(INSERT INTO "user"(id, fingerprint) VALUES (1, 'abc'))");
  EXPECT_THROW(session().exec("INSERT INTO post(author_id, title, body) VALUES (1, '', 'x')"),
               migtest::database_error);
  EXPECT_THAT(database(), migtest::MatchesModels());
}

TEST_F(BlogFreshTest, DowngradeToBaseAndBackMatchesTheModels) {
  downgrade("base");
  EXPECT_THAT(database(), testing::Not(migtest::HasTable("user")));
  upgrade("head");
  EXPECT_THAT(database(), migtest::MatchesModels());
}

TEST_F(BlogFreshTest, PublishedPostsAreCommittedForOtherConnections) {
  const auto ada = add_user(session(), "ada");
  if (session().dialect() == migtest::Dialect::sqlite) {
    // A savepoint outside a transaction is a transaction of its own: committed on release.
    blog::SqlitePostRepository(migtest::sqlite_database(session())).publish(ada, "Hello", "x");
  } else {
    // The application's unit of work, on the test's own database.
    pqxx::work tx(migtest::postgres_connection(session()));
    blog::PostgresPostRepository(tx).publish(ada, "Hello", "x");
    tx.commit();
  }
  auto other = migtest::connect(database().url());
  EXPECT_EQ(other->scalar("SELECT count(*) FROM post").as_int(), 1);
  EXPECT_EQ(other->scalar(R"(SELECT karma FROM "user")").as_int(), 1);
}

TEST_F(BlogFreshTest, AFailedPublishIsNotCommitted) {
  const auto ada = add_user(session(), "ada");
  if (session().dialect() == migtest::Dialect::sqlite) {
    blog::SqlitePostRepository posts(migtest::sqlite_database(session()));
    EXPECT_THROW(posts.publish(ada, "", "x"), SQLite::Exception);
    // The savepoint that was the transaction is gone too: nothing is left open.
    EXPECT_FALSE(database().connection().in_transaction());
  } else {
    pqxx::work tx(migtest::postgres_connection(session()));
    EXPECT_THROW(blog::PostgresPostRepository(tx).publish(ada, "", "x"), pqxx::check_violation);
    tx.commit();
  }
  auto other = migtest::connect(database().url());
  EXPECT_EQ(other->scalar("SELECT count(*) FROM post").as_int(), 0);
  EXPECT_EQ(other->scalar(R"(SELECT karma FROM "user")").as_int(), 0);
}

// ---- a data migration: karma is backfilled from the posts --------------------------------

class KarmaBackfillTest : public migtest::MigratedTest<KarmaBackfillTest> {
 public:
  // The template stops before the karma revision (and the mode is fresh).
  static TestConfig config() {
    return TestConfig().migrations(BLOG_MIGRATIONS).at_revision("8a4e2c1d9b6f");
  }
};

TEST_F(KarmaBackfillTest, KarmaCountsExistingPosts) {
  EXPECT_THAT(database(), testing::Not(migtest::HasColumn("user", "karma")));
  session().exec(R"(INSERT INTO "user"(id, fingerprint) VALUES (1, 'ada'), (2, 'bob'))");
  session().exec("INSERT INTO post(author_id, title, body) VALUES (1, 'a', 'x'), (1, 'b', 'y')");

  const auto steps = upgrade();  // one step: a1b2c3d4e5f6
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].revision, "a1b2c3d4e5f6");
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user" WHERE id = 1)"), 2);
  EXPECT_EQ(session().scalar<int>(R"(SELECT karma FROM "user" WHERE id = 2)"), 0);

  downgrade();  // and the rows survive the way back
  EXPECT_EQ(session().scalar<int>(R"(SELECT count(*) FROM "user")"), 2);
}

// A check of the backfill inside its own transaction, before it commits: a wrong count
// rolls the revision back instead of reaching the database (RunOptions::before_commit).
TEST_F(KarmaBackfillTest, TheBackfillIsCheckedBeforeItCommits) {
  session().exec(R"(INSERT INTO "user"(id, fingerprint) VALUES (1, 'ada'), (2, 'bob'))");
  session().exec("INSERT INTO post(author_id, title, body) VALUES (1, 'a', 'x'), (2, 'b', 'y')");
  std::vector<std::string> checked;
  migtest::RunOptions options;
  options.before_commit = [&](migtest::Connection& c, const migtest::Step& step) {
    if (step.direction != migtest::Direction::up) return;
    const auto wrong = c.scalar(R"(SELECT count(*) FROM "user" u WHERE karma <>
                                     (SELECT count(*) FROM post p WHERE p.author_id = u.id))");
    if (wrong.as_int() != 0) throw std::runtime_error("karma disagrees with the posts");
    checked.push_back(step.revision);
  };
  const migtest::History history = migtest::load_history(BLOG_MIGRATIONS);
  migtest::Runner runner(database().connection(), history, options);
  runner.upgrade("head");
  EXPECT_THAT(checked, testing::ElementsAre("a1b2c3d4e5f6"));
}

// ---- one test per revision: up, down, up again, the full schema compared each time ---------

MIGTEST_VERIFY_REVISIONS(Blog, BLOG_MIGRATIONS, blog_models());

// ---- the same suite on both backends -----------------------------------------------------

class BlogOnEachBackend : public migtest::MigratedTestP<BlogOnEachBackend> {
 public:
  static TestConfig config() {
    return TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models());
  }
};

TEST_P(BlogOnEachBackend, ModelsMatch) {
  EXPECT_EQ(database().dialect(), GetParam());
  EXPECT_THAT(database(), migtest::MatchesModels());
}

TEST_P(BlogOnEachBackend, CommentsNeedAPost) {
  EXPECT_THROW(session().exec("INSERT INTO comment(post_id, body) VALUES (42, 'orphan')"),
               migtest::database_error);
}

MIGTEST_INSTANTIATE_BACKENDS(BlogOnEachBackend);

class BlogFreshOnEachBackend : public migtest::MigratedTestP<BlogFreshOnEachBackend> {
 public:
  static TestConfig config() {
    return TestConfig().migrations(BLOG_MIGRATIONS).models(blog_models()).mode(Mode::fresh);
  }
};

TEST_P(BlogFreshOnEachBackend, CommitIsReal) {
  session().begin();
  session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('abc'))");
  session().commit();
  auto other = migtest::connect(database().url());
  EXPECT_EQ(other->scalar(R"(SELECT count(*) FROM "user")").as_int(), 1);
}

MIGTEST_INSTANTIATE_BACKENDS(BlogFreshOnEachBackend);

// ---- run by ctest before and after every test above (CMakeLists.txt) --------------------

// Clears what a killed earlier run left, so that the check below sees this run alone.
TEST(BlogLeftovers, ReapAKilledRunsLeftovers) {
  const migtest::TestConfig c;
  for (const auto& l :
       migtest::reap_leftovers(c.temp_directory(), c.cache_directory(), c.postgres_url())) {
    std::cout << "reaped " << l.kind << " " << l.name << " (pid " << l.pid << " is gone)\n";
  }
  EXPECT_TRUE(migtest::list_temporaries(c.temp_directory(), c.cache_directory(), "").empty());
}

// Nothing may be left behind: no file, no database on the server.

TEST(BlogLeftovers, NoTemporaryFileOrDatabaseIsLeft) {
  const migtest::TestConfig c;
  const auto left =
      migtest::list_left_behind(c.temp_directory(), c.cache_directory(), c.postgres_url());
  for (const auto& l : left) ADD_FAILURE() << "left behind: " << l.kind << " " << l.name;
  EXPECT_TRUE(left.empty());
}
