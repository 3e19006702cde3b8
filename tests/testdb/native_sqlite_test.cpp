// The SQLite connection under a Session (native_sqlite.hpp): the user's SQLiteCpp and sqlite3
// code runs inside rollback mode's transaction and is undone with the test; SQLiteCpp's own
// transactions are either savepoints or refused there; fresh mode is production as usual.
#include "migtest/testdb/native_sqlite.hpp"

#include <SQLiteCpp/Savepoint.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "migtest/error.hpp"
#include "migtest/testdb/test_databases.hpp"
#include "testdb_support.hpp"

using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;
using migtest::TestDatabases;
using migtest::TestScope;

namespace {

class NativeSqliteTest : public ::testing::Test {
 protected:
  TestConfig config(Mode mode) const {
    return TestConfig()
        .migrations(migtest::test::blog_migrations())
        .backend(Backend::sqlite)
        .mode(mode)
        .temp_directory(dir_ / "tmp");
  }
  static int users(SQLite::Database& db) {
    return db.execAndGet(R"(SELECT count(*) FROM "user")").getInt();
  }
  static void add_user(SQLite::Database& db, const char* fingerprint) {
    SQLite::Statement insert(db, R"(INSERT INTO "user"(fingerprint) VALUES (?))");
    insert.bind(1, fingerprint);
    insert.exec();
  }

  migtest::test::TempDir dir_;
};

TEST_F(NativeSqliteTest, RollbackModeUndoesWritesMadeThroughSQLiteCpp) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("writes");
    SQLite::Database& db = migtest::sqlite_database(t.session());
    add_user(db, "native");
    // The session and the native database are one connection: each sees the other's rows.
    EXPECT_EQ(t.session().scalar<int>(R"(SELECT count(*) FROM "user")"), 1);
    t.session().exec(R"(INSERT INTO "user"(fingerprint) VALUES ('session'))");
    EXPECT_EQ(users(db), 2);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(migtest::sqlite_database(next.session())), 0);
}

TEST_F(NativeSqliteTest, RollbackModeUndoesWritesMadeThroughTheCApi) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("writes");
    sqlite3* handle = migtest::sqlite_handle(t.session());
    EXPECT_EQ(handle, migtest::sqlite_database(t.session()).getHandle());
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(handle, R"(INSERT INTO "user"(fingerprint) VALUES ('c'))", nullptr,
                           nullptr, &message),
              SQLITE_OK)
        << (message ? message : "");
    EXPECT_EQ(t.session().scalar<int>(R"(SELECT count(*) FROM "user")"), 1);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(next.session().scalar<int>(R"(SELECT count(*) FROM "user")"), 0);
}

TEST_F(NativeSqliteTest, RollbackModeSavepointsKeepOrUndoWorkUntilTheTestEnds) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("savepoints");
    SQLite::Database& db = migtest::sqlite_database(t.session());
    {
      SQLite::Savepoint kept(db, "app_kept");
      add_user(db, "kept");
      kept.release();
    }
    {
      SQLite::Savepoint undone(db, "app_undone");
      add_user(db, "undone");
      undone.rollback();
    }
    {
      SQLite::Savepoint dropped(db, "app_dropped");
      add_user(db, "dropped");
    }  // no release
    EXPECT_EQ(db.execAndGet(R"(SELECT group_concat(fingerprint) FROM "user")").getString(), "kept");
    // RELEASE of the outermost savepoint did not commit: the outer transaction is open.
    EXPECT_TRUE(t.database().connection().in_transaction());
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(migtest::sqlite_database(next.session())), 0);
}

TEST_F(NativeSqliteTest, RollbackModeRefusesSQLiteCppTransactionsBeforeTheyChangeAnything) {
  TestDatabases dbs(config(Mode::rollback));
  {
    TestScope t = dbs.begin_test("transaction");
    SQLite::Database& db = migtest::sqlite_database(t.session());
    add_user(db, "before");
    try {
      SQLite::Transaction tx(db);
      ADD_FAILURE() << "SQLite::Transaction began inside rollback mode's transaction";
    } catch (const SQLite::Exception& e) {
      EXPECT_NE(std::string(e.what()).find("within a transaction"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(t.database().connection().in_transaction());
    EXPECT_EQ(users(db), 1);
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(migtest::sqlite_database(next.session())), 0);
}

TEST_F(NativeSqliteTest, FreshModeCommitsForRealOnTheTestsOwnDatabase) {
  TestDatabases dbs(config(Mode::fresh));
  {
    TestScope t = dbs.begin_test("commits");
    SQLite::Database& db = migtest::sqlite_database(t.session());
    SQLite::Transaction tx(db);
    add_user(db, "committed");
    tx.commit();
    // Another connection, opened as the application would, sees the committed row.
    SQLite::Database other(t.session().connection_string());
    EXPECT_EQ(users(other), 1);
    EXPECT_EQ(t.session().connection_string(), t.database().name());
  }
  TestScope next = dbs.begin_test("next");
  EXPECT_EQ(users(migtest::sqlite_database(next.session())), 0);
}

TEST_F(NativeSqliteTest, ASQLiteHandleOfAPostgresSessionIsAUsageError) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  TestDatabases dbs(config(Mode::rollback).backend(Backend::postgresql));
  TestScope t = dbs.begin_test("wrong backend");
  try {
    migtest::sqlite_database(t.session());
    ADD_FAILURE() << "sqlite_database() returned for a PostgreSQL session";
  } catch (const migtest::state_error& e) {
    EXPECT_STREQ(e.what(), "sqlite_database(): the session is on postgresql, not SQLite");
  }
  EXPECT_THROW(migtest::sqlite_handle(t.session()), migtest::state_error);
}

}  // namespace
