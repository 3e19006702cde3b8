#include "migtest/runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "migtest/operations.hpp"
#include "migtest/registry.hpp"
#include "support/scratch.hpp"

using migtest::test::has_table;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/runner/" + name;
}

std::vector<std::string> applied_revs(migtest::Connection& c) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT rev FROM applied ORDER BY rev").rows)
    out.push_back(r[0].as_text());
  return out;
}

class RunnerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RunnerTest, UpgradeDowngradeAndCurrent) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  std::vector<std::string> log;
  migtest::RunOptions options;
  options.log = [&](const migtest::RunEvent& e) {
    if (e.kind == migtest::RunEvent::Kind::revision_started) log.push_back(e.message);
  };
  migtest::Runner runner(*c, history, options);
  EXPECT_TRUE(runner.current().empty());

  auto steps = runner.upgrade("head");
  EXPECT_EQ(steps.size(), 3u);
  EXPECT_THAT(runner.current(), ElementsAre("3c4d5e6f7a03"));
  EXPECT_THAT(applied_revs(*c), ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02", "3c4d5e6f7a03"));
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "Running upgrade 1a2b3c4d5e01 -> 2b3c4d5e6f02, Add karma to users");

  // Nothing left to do: a second upgrade runs nothing.
  EXPECT_TRUE(runner.upgrade("head").empty());

  runner.downgrade("-1");
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
  EXPECT_FALSE(has_table(*c, "post"));
  EXPECT_EQ(log.back(), "Running downgrade 3c4d5e6f7a03 -> 2b3c4d5e6f02, Create posts");

  runner.upgrade("+1");
  EXPECT_THAT(runner.current(), ElementsAre("3c4d5e6f7a03"));
  runner.downgrade("1a2b");  // a unique prefix
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));
  runner.downgrade("base");
  EXPECT_TRUE(runner.current().empty());
  EXPECT_FALSE(has_table(*c, "user"));
  // The version table stays, empty, like alembic_version.
  EXPECT_TRUE(has_table(*c, "migtest_version"));
}

TEST_P(RunnerTest, StampWritesOnlyTheVersionTable) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  runner.stamp("head");
  EXPECT_THAT(runner.current(), ElementsAre("3c4d5e6f7a03"));
  EXPECT_FALSE(has_table(*c, "user"));
  runner.stamp("base");
  EXPECT_TRUE(runner.current().empty());
}

TEST_P(RunnerTest, FailedRevisionIsRolledBackWhole) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("failing"));
  migtest::Runner runner(*c, history);
  c->execute_script("CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (7);");
  try {
    runner.upgrade("head");
    FAIL() << "expected a migration_error";
  } catch (const migtest::migration_error& e) {
    std::string what = e.what();
    EXPECT_THAT(what, HasSubstr("revision 2b3c4d5e6f02"));
    EXPECT_THAT(what, HasSubstr("2b3c4d5e6f02_broken.sql:8"));
    EXPECT_THAT(what, HasSubstr("no_such_table"));
    EXPECT_THAT(what, HasSubstr("rolled back"));
    EXPECT_EQ(e.where().line, 8);
    EXPECT_FALSE(e.partially_applied());
  }
  // The first revision committed; the second left nothing behind.
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));
  EXPECT_TRUE(has_table(*c, "user"));
  EXPECT_FALSE(has_table(*c, "half"));
  EXPECT_EQ(c->scalar("SELECT x FROM keep").as_int(), 7);
}

TEST_P(RunnerTest, NonTransactionalFailureSaysItMayBePartlyApplied) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("notx"));
  migtest::Runner runner(*c, history);
  try {
    runner.upgrade("head");
    FAIL();
  } catch (const migtest::migration_error& e) {
    EXPECT_TRUE(e.partially_applied());
    EXPECT_THAT(std::string(e.what()), HasSubstr("may be partly applied"));
    EXPECT_THAT(std::string(e.what()), HasSubstr("outside_transaction.sql:7"));
  }
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));
  EXPECT_TRUE(has_table(*c, "half"));  // what ran before the failure stays
}

// The database's own verdict, as the runner's error carries it.
std::string undefined_table_code(const std::string& backend) {
  return backend == "sqlite" ? "SQLITE_ERROR" : "42P01";  // SQLSTATE undefined_table
}

// The database_error a migration_error reports.
std::optional<migtest::database_error> database_cause(const migtest::error& e) {
  try {
    if (e.cause()) std::rethrow_exception(e.cause());
  } catch (const migtest::database_error& d) {
    return d;
  } catch (...) {
  }
  return std::nullopt;
}

TEST_P(RunnerTest, FailedStatementCarriesWhereCodeStatementAndCause) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("failing"));
  migtest::Runner runner(*c, history);
  try {
    runner.upgrade("head");
    FAIL() << "expected a migration_error";
  } catch (const migtest::migration_error& e) {
    EXPECT_THAT(e.where().file, ::testing::EndsWith("failing/2b3c4d5e6f02_broken.sql"));
    EXPECT_EQ(e.where().line, 8);
    EXPECT_EQ(e.where().revision, "2b3c4d5e6f02");
    EXPECT_EQ(e.code(), undefined_table_code(GetParam()));
    EXPECT_EQ(e.statement(), "INSERT INTO no_such_table (x) VALUES (1)");
    auto cause = database_cause(e);
    ASSERT_TRUE(cause) << "the cause is not the database_error";
    EXPECT_EQ(cause->code(), e.code());
    EXPECT_THAT(cause->db_message(), HasSubstr("no_such_table"));
  }
}

TEST_P(RunnerTest, FailedCppRevisionCarriesCodeStatementAndCause) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::Registry registry;
  registry.add("c0ffee000002", "", "Broken", [](migtest::Operations& op) {
    op.execute("INSERT INTO no_such_table (x) VALUES (1)");
  });
  auto history = migtest::load_history(registry);
  migtest::Runner runner(*c, history);
  try {
    runner.upgrade("head");
    FAIL() << "expected a migration_error";
  } catch (const migtest::migration_error& e) {
    EXPECT_EQ(e.where().revision, "c0ffee000002");
    EXPECT_EQ(e.code(), undefined_table_code(GetParam()));
    EXPECT_EQ(e.statement(), "INSERT INTO no_such_table (x) VALUES (1)");
    auto cause = database_cause(e);
    ASSERT_TRUE(cause) << "the cause is not the database_error";
    EXPECT_EQ(cause->statement(), e.statement());
  }
}

TEST_P(RunnerTest, DowngradeThroughAnIrreversibleRevisionRunsNothing) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("irreversible"));
  migtest::Runner runner(*c, history);
  runner.upgrade("head");
  try {
    runner.downgrade("base");
    FAIL();
  } catch (const migtest::target_error& e) {
    EXPECT_THAT(e.revisions(), ElementsAre("2b3c4d5e6f02"));
    EXPECT_THAT(std::string(e.what()), HasSubstr("irreversible"));
  }
  // Nothing ran: not even the reversible revision above it.
  EXPECT_THAT(runner.current(), ElementsAre("3c4d5e6f7a03"));
  EXPECT_TRUE(has_table(*c, "later"));
  runner.downgrade("-1");  // the reversible one alone is fine
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
}

TEST_P(RunnerTest, UnknownRevisionInTheDatabaseIsNamed) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  runner.upgrade("1a2b");
  c->execute("UPDATE migtest_version SET version_num = '7f3e00000000'");
  try {
    runner.upgrade("head");
    FAIL();
  } catch (const migtest::integrity_error& e) {
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("the database is at 7f3e00000000, which no revision defines"));
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].kind, migtest::IntegrityProblem::Kind::missing);
  }
  EXPECT_FALSE(has_table(*c, "post"));  // refused before anything ran
}

TEST_P(RunnerTest, VersionTableOfAnotherToolIsRefused) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  c->execute("CREATE TABLE migtest_version (id INTEGER, applied_at TEXT)");
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  try {
    runner.upgrade("head");
    FAIL();
  } catch (const migtest::config_error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("was not written by migtest"));
  }
  EXPECT_FALSE(has_table(*c, "user"));
}

TEST_P(RunnerTest, UnknownTargetIsAClearError) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  EXPECT_THROW(runner.upgrade("ffff"), migtest::graph_error);
  EXPECT_TRUE(runner.current().empty());
}

TEST_P(RunnerTest, ConfigurableVersionTable) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::RunOptions o;
  o.version_table = "schema_history";
  migtest::Runner runner(*c, history, o);
  runner.upgrade("head");
  EXPECT_EQ(c->scalar("SELECT version_num FROM schema_history WHERE is_head = 1").as_text(),
            "3c4d5e6f7a03");
  EXPECT_FALSE(has_table(*c, "migtest_version"));
}

TEST_P(RunnerTest, CppRevisionsRunInTheSameGraph) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::Registry registry;
  registry.add(
      "c0ffee000001", "", "Create settings",
      [](migtest::Operations& op) {
        op.execute("CREATE TABLE settings (k VARCHAR(20) PRIMARY KEY, v TEXT)");
        op.execute("INSERT INTO settings VALUES ($1, $2)", {"theme", "dark"});
      },
      [](migtest::Operations& op) { op.execute("DROP TABLE settings"); });
  auto history = migtest::load_history(registry);
  migtest::Runner runner(*c, history);
  runner.upgrade("head");
  EXPECT_EQ(c->scalar("SELECT v FROM settings WHERE k = 'theme'").as_text(), "dark");
  runner.downgrade("base");
  EXPECT_FALSE(has_table(*c, "settings"));
}

TEST_P(RunnerTest, EightConcurrentRunnersApplyEachRevisionOnce) {
  MIGTEST_SCRATCH(db, GetParam());
  auto history = migtest::load_history(data("linear"));
  { db.connect_to()->execute("SELECT 1"); }  // the SQLite file exists before the race
  std::vector<std::thread> threads;
  std::vector<std::string> errors(8);
  std::vector<size_t> ran(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto c = db.connect_to();
        migtest::Runner runner(*c, history);
        ran[i] = runner.upgrade("head").size();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  size_t total = 0;
  for (auto n : ran) total += n;
  EXPECT_EQ(total, 3u);  // every revision ran once, in one runner or spread over several
  auto c = db.connect_to();
  EXPECT_THAT(applied_revs(*c), ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02", "3c4d5e6f7a03"));
}

// before_commit runs inside the revision's transaction: it sees the revision's work, what
// it writes commits with the revision, and a throw rolls the whole revision back.
TEST_P(RunnerTest, BeforeCommitRunsInsideEachRevisionsTransaction) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  std::vector<std::string> seen;
  migtest::RunOptions options;
  options.before_commit = [&](migtest::Connection& conn, const migtest::Step& step) {
    EXPECT_TRUE(conn.in_transaction());
    seen.push_back(step.revision);
    if (step.direction == migtest::Direction::up && step.revision == "1a2b3c4d5e01")
      conn.execute("INSERT INTO applied (rev) VALUES ('from the hook')");
  };
  migtest::Runner runner(*c, history, options);
  runner.upgrade("2b3c4d5e6f02");
  EXPECT_THAT(seen, ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02"));
  EXPECT_THAT(applied_revs(*c), ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02", "from the hook"));
  runner.downgrade("-1");
  EXPECT_THAT(seen, ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02", "2b3c4d5e6f02"));
}

TEST_P(RunnerTest, BeforeCommitThatThrowsRollsTheRevisionBack) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::RunOptions options;
  options.before_commit = [&](migtest::Connection& conn, const migtest::Step& step) {
    if (step.revision != "3c4d5e6f7a03") return;
    EXPECT_TRUE(has_table(conn, "post"));  // the revision's work is there, not committed
    throw std::runtime_error("posts must not exist yet");
  };
  migtest::Runner runner(*c, history, options);
  try {
    runner.upgrade("head");
    FAIL() << "the upgrade went through";
  } catch (const migtest::migration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("upgrade of revision 3c4d5e6f7a03"));
    EXPECT_THAT(e.what(), HasSubstr("failed in before_commit: posts must not exist yet"));
    EXPECT_THAT(e.what(), HasSubstr("rolled back and the database is unchanged"));
    EXPECT_EQ(e.where().revision, "3c4d5e6f7a03");
    EXPECT_FALSE(e.partially_applied());
  }
  EXPECT_FALSE(has_table(*c, "post"));
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
  EXPECT_THAT(applied_revs(*c), ElementsAre("1a2b3c4d5e01", "2b3c4d5e6f02"));
}

TEST_P(RunnerTest, BeforeCommitIsNotCalledOutsideATransaction) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("notx"));
  std::vector<std::string> seen;
  migtest::RunOptions options;
  options.before_commit = [&](migtest::Connection&, const migtest::Step& step) {
    seen.push_back(step.revision);
  };
  migtest::Runner runner(*c, history, options);
  EXPECT_THROW(runner.upgrade("head"), migtest::migration_error);
  EXPECT_THAT(seen, ElementsAre("1a2b3c4d5e01"));  // not the revision marked transaction: false
}

INSTANTIATE_TEST_SUITE_P(Backends, RunnerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

}  // namespace
