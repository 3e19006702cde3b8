// The libpqxx connection and transaction under a Session (native_postgres.hpp): the user's
// libpqxx code runs inside rollback mode's transaction and is undone with the test, nested
// as pqxx::subtransaction; a transaction of its own that would commit the outer one is refused
// by libpqxx before any SQL is sent; fresh mode commits for real.
#include "migtest/testdb/native_postgres.hpp"

#include <pqxx/pqxx>

#include "migtest/error.hpp"
#include "migtest/testdb/test_databases.hpp"
#include "testdb_support.hpp"

using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;
using migtest::TestDatabases;
using migtest::TestScope;

namespace {

class NativePostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MIGTEST_REQUIRE_POSTGRES_URL(u);
    url_ = u;
  }
  TestConfig config(Mode mode) const {
    return TestConfig()
        .migrations(migtest::test::blog_migrations())
        .backend(Backend::postgresql)
        .mode(mode)
        .temp_directory(dir_ / "tmp");
  }
  static int users(pqxx::transaction_base& tx) {
    return tx.exec1(R"(SELECT count(*) FROM "user")")[0].as<int>();
  }
  static int users(migtest::Session& session) {
    return session.scalar<int>(R"(SELECT count(*) FROM "user")");
  }
  static void add_user(pqxx::transaction_base& tx, const std::string& fingerprint) {
    tx.exec_params0(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", fingerprint);
  }
  void expect_nothing_left() {
    migtest::test::expect_nothing_left_by_this_process(dir_ / "tmp", url_);
  }

  migtest::test::TempDir dir_;
  std::string url_;
};

TEST_F(NativePostgresTest, RollbackModeUndoesWritesMadeThroughTheOuterTransaction) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("writes");
    pqxx::dbtransaction& tx = migtest::postgres_transaction(t.session());
    EXPECT_EQ(&tx.conn(), &migtest::postgres_connection(t.session()));
    add_user(tx, "native");
    // One connection, one transaction: the session sees the row, and libpqxx the session's.
    EXPECT_EQ(users(t.session()), 1);
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('session'))");
    EXPECT_EQ(users(tx), 2);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next.session()), 0);
  next.end();
  dbs.release();
  expect_nothing_left();
}

TEST_F(NativePostgresTest, RollbackModeSubtransactionsKeepOrUndoWorkUntilTheTestEnds) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("subtransactions");
    pqxx::dbtransaction& outer = migtest::postgres_transaction(t.session());
    // libpqxx 6.4 sends a subtransaction's SAVEPOINT at its first exec(); exec_params()
    // before that would run outside it (docs/reference/testdb.md#native-handles).
    {
      pqxx::subtransaction kept(outer, "kept");
      kept.exec0(R"(INSERT INTO "user"(fingerprint) VALUES ('kept'))");
      kept.commit();
    }
    {
      pqxx::subtransaction undone(outer, "undone");
      undone.exec("SELECT 1");  // begins it
      add_user(undone, "undone");
      undone.abort();
    }
    {
      // A failing statement spoils only its subtransaction, as in production.
      pqxx::subtransaction failing(outer, "failing");
      EXPECT_THROW(failing.exec0(R"(INSERT INTO "user"(fingerprint) VALUES ('kept'))"),
                   pqxx::unique_violation);
    }
    EXPECT_EQ(
        outer.exec1(R"(SELECT string_agg(fingerprint, ',') FROM "user")")[0].as<std::string>(),
        "kept");
    EXPECT_EQ(users(t.session()), 1);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next.session()), 0);
}

TEST_F(NativePostgresTest, RollbackModeRefusesATransactionThatWouldCommitTheOuterOne) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("own transaction");
    pqxx::connection& conn = migtest::postgres_connection(t.session());
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('before'))");
    EXPECT_THROW({ pqxx::work w(conn); }, pqxx::usage_error);
    EXPECT_THROW({ pqxx::nontransaction n(conn); }, pqxx::usage_error);
    // Nothing was sent: the outer transaction is intact and still holds the row.
    EXPECT_EQ(users(t.session()), 1);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next.session()), 0);
}

TEST_F(NativePostgresTest, SessionStatementsBelongToTheUsersOpenSubtransaction) {
  // One connection, one stack of savepoints: what the session runs while the user's
  // subtransaction is open is undone with it.
  TestDatabases dbs(config(Mode::rollback));
  TestScope t = dbs.begin_test("interleaved");
  t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('before'))");
  {
    pqxx::subtransaction sub(migtest::postgres_transaction(t.session()), "app");
    sub.exec0(R"(INSERT INTO "user"(fingerprint) VALUES ('app'))");
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ($1))", {"session"});
    EXPECT_EQ(users(t.session()), 3);
    sub.abort();
  }
  EXPECT_EQ(users(t.session()), 1);
}

TEST_F(NativePostgresTest, FreshModeCommitsForRealOnTheTestsOwnDatabase) {
  TestDatabases dbs(config(Mode::fresh));
  {
    TestScope t = dbs.begin_test("commits");
    {
      pqxx::work w(migtest::postgres_connection(t.session()));
      add_user(w, "committed");
      w.commit();
    }
    // Another connection, opened as the application would, sees the committed row.
    pqxx::connection other(t.session().connection_string());
    pqxx::read_transaction r(other);
    EXPECT_EQ(users(r), 1);
    EXPECT_EQ(other.dbname(), t.database().name());
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(next.session()), 0);
  next.end();
  dbs.release();
  expect_nothing_left();
}

TEST_F(NativePostgresTest, FreshModeTransactionIsTheOneSessionBeginOpened) {
  TestDatabases dbs(config(Mode::fresh));
  TestScope t = dbs.begin_test("session transaction");
  try {
    migtest::postgres_transaction(t.session());
    ADD_FAILURE() << "postgres_transaction() returned outside a transaction";
  } catch (const migtest::state_error& e) {
    EXPECT_NE(std::string(e.what()).find("no transaction is open"), std::string::npos);
  }
  t.session().begin();
  add_user(migtest::postgres_transaction(t.session()), "undone");
  EXPECT_EQ(users(t.session()), 1);
  t.session().rollback();
  EXPECT_EQ(users(t.session()), 0);
}

TEST_F(NativePostgresTest, APostgresHandleOfASQLiteSessionIsAStateError) {
  TestDatabases dbs(config(Mode::rollback).backend(Backend::sqlite));
  TestScope t = dbs.begin_test("wrong backend");
  try {
    migtest::postgres_connection(t.session());
    ADD_FAILURE() << "postgres_connection() returned for a SQLite session";
  } catch (const migtest::state_error& e) {
    EXPECT_STREQ(e.what(), "postgres_connection(): the session is on sqlite, not PostgreSQL");
  }
  EXPECT_THROW(migtest::postgres_transaction(t.session()), migtest::state_error);
}

}  // namespace
