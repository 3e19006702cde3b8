// TestDatabases and TestScope, the framework-free API a test framework's glue calls: both
// modes on both backends, what the next test sees after one that commits, changes the schema,
// or is kept, and the mistakes it refuses.
#include "migtest/testdb/test_databases.hpp"

#include <boost/filesystem.hpp>
#include <regex>

#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "migtest/registry.hpp"
#include "migtest/testdb.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb_support.hpp"

namespace fs = boost::filesystem;
using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;
using migtest::TestDatabases;
using migtest::TestScope;

namespace {

class TestDatabasesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      MIGTEST_REQUIRE_POSTGRES_URL(u);
      url_ = u;
    }
  }
  TestConfig config(Mode mode) const {
    return TestConfig()
        .migrations(migtest::test::blog_migrations())
        .backend(GetParam())
        .mode(mode)
        .temp_directory(dir_ / "tmp");
  }
  std::int64_t users(TestScope& t) {
    return t.session().scalar<std::int64_t>(R"(SELECT count(*) FROM "user")");
  }
  // Nothing of this process's is left in its directory or on the server.
  void expect_nothing_left() {
    migtest::test::expect_nothing_left_by_this_process(dir_ / "tmp", url_);
  }

  migtest::test::TempDir dir_;
  std::string url_;
};

TEST_P(TestDatabasesTest, RollbackModeRollsEachTestBack) {
  TestDatabases dbs(config(Mode::rollback));
  EXPECT_EQ(dbs.backend(), GetParam());
  EXPECT_EQ(dbs.mode(), Mode::rollback);
  std::string name;
  for (int i = 0; i < 2; ++i) {
    TestScope t = dbs.begin_test("rollback " + std::to_string(i));
    EXPECT_TRUE(t.active());
    EXPECT_EQ(t.mode(), Mode::rollback);
    EXPECT_TRUE(t.database().connection().in_transaction());
    EXPECT_EQ(users(t), 0);
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('same'))");
    if (i == 0) name = t.database().name();
    EXPECT_EQ(t.database().name(), name);  // one copy for every test
  }
  dbs.release();
  expect_nothing_left();
}

TEST_P(TestDatabasesTest, RollbackModeRefusesOverlappingTestsAndMigrations) {
  TestDatabases dbs(config(Mode::rollback));
  TestScope t = dbs.begin_test("first");
  try {
    dbs.begin_test("second");
    ADD_FAILURE() << "a second test began in rollback mode while the first ran";
  } catch (const migtest::state_error& e) {
    EXPECT_NE(std::string(e.what()).find("second began before the previous test ended"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(t.upgrade(), migtest::config_error);
  EXPECT_EQ(t.end(), "");
  EXPECT_FALSE(t.active());
  EXPECT_EQ(t.end(), "");  // nothing after the first
  EXPECT_THROW(t.session(), migtest::state_error);
  TestScope again = dbs.begin_test("third");  // the first ended: fine now
  EXPECT_EQ(users(again), 0);
}

// A test that commits the outer transaction itself: the next test still starts clean.
TEST_P(TestDatabasesTest, RollbackModeSurvivesATestThatCommits) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("commits");
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('committed'))");
    t.database().connection().commit();
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next), 0);
}

// A COMMIT sent as SQL through the session, which the connection does not see, ends the
// transaction just the same: the next test must not see what it committed.
TEST_P(TestDatabasesTest, RollbackModeSurvivesACommitSentAsSql) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("commits as SQL");
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('committed'))");
    t.database().connection().execute("COMMIT");
    t.database().connection().execute("BEGIN");  // open again, as the test's was
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next), 0);
}

TEST_P(TestDatabasesTest, FreshModeGivesEachTestTheTemplatesState) {
  TestDatabases dbs(config(Mode::fresh));
  {
    TestScope t = dbs.begin_test("writes");
    EXPECT_FALSE(t.database().connection().in_transaction());
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('committed'))");
    EXPECT_EQ(
        migtest::connect(t.database().url())->scalar(R"(SELECT count(*) FROM "user")").as_int(),
        1);  // committed: other connections see it
  }
  std::string name;
  {
    TestScope t = dbs.begin_test("reads");
    EXPECT_EQ(users(t), 0);
    name = t.database().name();
    t.session().exec("CREATE TABLE left_behind (x integer)");
  }
  {
    TestScope t = dbs.begin_test("after a schema change");
    EXPECT_EQ(t.session().scalar<int>(
                  t.database().dialect() == migtest::Dialect::sqlite
                      ? "SELECT count(*) FROM sqlite_master WHERE name = 'left_behind'"
                      : "SELECT count(*) FROM pg_class WHERE relname = 'left_behind'"),
              0);
    EXPECT_EQ(t.downgrade("base").size(), 3u);  // fresh mode migrates
    EXPECT_TRUE(t.database().current().empty());
  }
  TestScope t = dbs.begin_test("after a downgrade");
  EXPECT_EQ(t.database().current(), std::vector<std::string>{"a1b2c3d4e5f6"});
  t.end();
  dbs.release();
  expect_nothing_left();
}

// What a test leaves is undone in place when it can be: the next test gets the same database.
TEST_P(TestDatabasesTest, FreshModeReusesTheDatabaseAfterAWrite) {
  TestDatabases dbs(config(Mode::fresh));
  std::string first;
  {
    TestScope t = dbs.begin_test();
    first = t.database().name();
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('x'))");
  }
  TestScope t = dbs.begin_test();
  EXPECT_EQ(t.database().name(), first);
  EXPECT_EQ(users(t), 0);
}

TEST_P(TestDatabasesTest, KeepKeepsTheDatabaseWithTheTestsRowsAndSaysWhere) {
  for (Mode mode : {Mode::rollback, Mode::fresh}) {
    TestDatabases dbs(config(mode));
    TestScope t = dbs.begin_test("kept");
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('kept'))");
    const std::string where = t.end(migtest::ScopeEnd::keep_database);
    ASSERT_NE(where.find("migtest_kept_"), std::string::npos) << where;
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(where, m,
                          std::regex(GetParam() == Backend::sqlite
                                         ? "^sqlite:///(\\S+) \\(delete the file"
                                         : "\\(DROP DATABASE \"?(migtest_kept_\\w+)\"? when")))
        << where;
    const std::string kept = m[1].str();
    const std::string kurl =
        GetParam() == Backend::sqlite ? "sqlite:///" + kept : migtest::with_database(url_, kept);
    EXPECT_EQ(migtest::connect(kurl)->scalar(R"(SELECT fingerprint FROM "user")").as_text(), "kept")
        << where;
    if (GetParam() == Backend::sqlite) {
      EXPECT_TRUE(fs::remove(kept));
    } else {
      migtest::connect(url_)->execute("DROP DATABASE " + migtest::detail::quote_ident(kept));
    }
    TestScope next = dbs.begin_test("after the kept one");
    EXPECT_EQ(users(next), 0);
  }
  expect_nothing_left();
}

TEST_P(TestDatabasesTest, ABrokenHistoryIsReportedByEveryTestWithoutABuildEach) {
  TestDatabases dbs(
      TestConfig(config(Mode::fresh)).migrations(migtest::test::fixture_data("broken")));
  std::string first;
  try {
    dbs.prepare();
  } catch (const migtest::error& e) {
    first = e.what();
  }
  EXPECT_NE(first.find("2b3c4d5e6f02"), std::string::npos) << first;
  try {
    dbs.begin_test();
    ADD_FAILURE() << "a broken history gave a test its database";
  } catch (const migtest::error& e) {
    EXPECT_EQ(e.what(), first);
  }
  expect_nothing_left();
}

INSTANTIATE_TEST_SUITE_P(Backends, TestDatabasesTest,
                         ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return migtest::to_string(param.param);
                         });

// Restores an environment variable when the test ends.
class SavedVariable {
 public:
  explicit SavedVariable(const char* name) : name_(name) {
    const char* v = std::getenv(name);
    if (v) value_ = v;
    unsetenv(name);
  }
  ~SavedVariable() {
    if (value_) {
      setenv(name_, value_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> value_;
};

// Rollback mode on PostgreSQL: while a process holds its copy, no other connection can open
// to it (nothing can commit behind the tests' transactions), so letting it go only sets
// the sequences back; then it takes connections again, in the template's state.
TEST(RollbackModeOnPostgres, NoOtherConnectionOpensUntilTheCopyIsLetGo) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::TempDir dir;
  const TestConfig config = TestConfig()
                                .migrations(migtest::test::blog_migrations())
                                .backend(Backend::postgresql)
                                .postgres_url(url)
                                .mode(Mode::rollback)
                                .pool_size(2)
                                .temp_directory((dir.path() / "tmp").string());
  std::string copy_url;
  {
    TestDatabases dbs(config);
    TestScope t = dbs.begin_test("sealed");
    copy_url = t.database().url();
    try {
      migtest::connect(copy_url);
      ADD_FAILURE() << "a second connection opened to the rollback-mode copy";
    } catch (const migtest::error& e) {
      EXPECT_NE(std::string(e.what()).find("not currently accepting connections"),
                std::string::npos)
          << e.what();
    }
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('moves the sequence'))");
    t.end();
    dbs.release();  // given back to the pool
  }
  auto c = migtest::connect(copy_url);
  EXPECT_EQ(c->scalar(R"(SELECT count(*) FROM "user")").as_int(), 0);
  // Never called, as in the template (pg_sequences shows no last value then).
  EXPECT_TRUE(c->scalar("SELECT last_value IS NULL FROM pg_catalog.pg_sequences WHERE "
                        "sequencename = 'user_id_seq'")
                  .as_bool());
}

// A regular value: copies are equal, and each setting makes a difference.
TEST(TestConfig, IsEqualToItsCopyAndDiffersInEachSetting) {
  migtest::Metadata models;
  models.table("user").column("id", migtest::Integer{}, migtest::primary_key);
  const TestConfig base = TestConfig().migrations("m").models(models).mode(Mode::fresh);
  const TestConfig copy = base;
  EXPECT_EQ(copy, base);
  EXPECT_EQ(TestConfig().migrations("m").models(models).mode(Mode::fresh), base);  // equal models
  migtest::Metadata other;
  other.table("post").column("id", migtest::Integer{}, migtest::primary_key);
  migtest::Registry registry;
  const TestConfig changed[] = {
      TestConfig(base).migrations("n"),      TestConfig(base).models(other),
      TestConfig(base).mode(Mode::rollback), TestConfig(base).backend(Backend::sqlite),
      TestConfig(base).version_table("v"),   TestConfig(base).schemas({"app"}),
      TestConfig(base).at_revision("base"),  TestConfig(base).postgres_url("postgresql:///x"),
      TestConfig(base).temp_directory("/t"), TestConfig(base).cache_directory("/c"),
      TestConfig(base).pool_size(1),         TestConfig(base).max_clones_in_flight(1),
      TestConfig(base).registry(registry),
  };
  for (const TestConfig& c : changed) EXPECT_NE(c, base);
}

TEST(TestConfig, PoolSettingsComeFromTheEnvironmentUnlessSet) {
  SavedVariable size("MIGTEST_POOL_SIZE"), clones("MIGTEST_POOL_CLONES");
  EXPECT_EQ(TestConfig().pool_size(), 4);
  EXPECT_EQ(TestConfig().max_clones_in_flight(), 2);
  setenv("MIGTEST_POOL_SIZE", "0", 1);
  setenv("MIGTEST_POOL_CLONES", "5", 1);
  EXPECT_EQ(TestConfig().pool_size(), 0);
  EXPECT_EQ(TestConfig().max_clones_in_flight(), 5);
  EXPECT_EQ(TestConfig().pool_size(7).pool_size(), 7);
  setenv("MIGTEST_POOL_SIZE", "many", 1);
  try {
    TestConfig().pool_size();
    ADD_FAILURE() << "MIGTEST_POOL_SIZE=many accepted";
  } catch (const migtest::config_error& e) {
    EXPECT_STREQ(e.what(), "MIGTEST_POOL_SIZE='many' is not a number of 0 or more");
  }
  setenv("MIGTEST_POOL_CLONES", "0", 1);
  EXPECT_THROW(TestConfig().max_clones_in_flight(), migtest::config_error);
  EXPECT_THROW(TestConfig().max_clones_in_flight(0), migtest::config_error);
  EXPECT_THROW(TestConfig().pool_size(-1), migtest::config_error);
}

}  // namespace
