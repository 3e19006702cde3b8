#include "migtest/connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "migtest/url.hpp"
#include "support/scratch.hpp"

using migtest::Value;

namespace {

class ConnectionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConnectionTest, ExecuteQueryAndBoundParameters) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  EXPECT_EQ(c->dialect(), migtest::parse_dialect(GetParam()));
  EXPECT_FALSE(c->server_version().empty());
  const std::string blob_type = GetParam() == "sqlite" ? "BLOB" : "BYTEA";
  c->execute_script("CREATE TABLE \"user\" (id INTEGER PRIMARY KEY, name TEXT, score REAL, data " +
                    blob_type + "); CREATE TABLE other (x INTEGER);");
  EXPECT_EQ(c->execute(R"(INSERT INTO "user" (id, name, score, data) VALUES ($1, $2, $3, $4))",
                       {1, "ann", 2.5, migtest::Blob{{0, 255, 7}}}),
            1);
  c->execute(R"(INSERT INTO "user" (id, name, score) VALUES ($1, $2, $3))", {2, nullptr, Value{}});
  auto r = c->query(R"(SELECT id, name, score, data FROM "user" WHERE id >= $1 ORDER BY id)", {1});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"id", "name", "score", "data"}));
  EXPECT_EQ(r.rows[0]["id"].as_int(), 1);
  EXPECT_EQ(r.rows[0]["name"].as_text(), "ann");
  EXPECT_DOUBLE_EQ(r.rows[0]["score"].as_real(), 2.5);
  EXPECT_EQ(r.rows[0]["data"].as_blob().bytes, (std::vector<unsigned char>{0, 255, 7}));
  EXPECT_TRUE(r.rows[1]["name"].is_null());
  EXPECT_EQ(c->scalar(R"(SELECT count(*) FROM "user")").as_int(), 2);
  EXPECT_EQ(c->execute(R"(UPDATE "user" SET name = $1)", {"x"}), 2);
  // A value with a quote goes through binding untouched.
  c->execute(R"(UPDATE "user" SET name = $1 WHERE id = 1)", {"it's; DROP TABLE other"});
  EXPECT_EQ(c->scalar(R"(SELECT name FROM "user" WHERE id = 1)").as_text(),
            "it's; DROP TABLE other");
}

TEST_P(ConnectionTest, TransactionRollsBackUnlessCommitted) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  c->execute("CREATE TABLE t (x INTEGER)");
  {
    migtest::Transaction tx(*c);
    EXPECT_TRUE(c->in_transaction());
    c->execute("INSERT INTO t VALUES (1)");
  }  // destroyed without commit
  EXPECT_FALSE(c->in_transaction());
  EXPECT_EQ(c->scalar("SELECT count(*) FROM t").as_int(), 0);
  {
    migtest::Transaction tx(*c);
    c->execute("INSERT INTO t VALUES (2)");
    tx.commit();
  }
  EXPECT_EQ(c->scalar("SELECT count(*) FROM t").as_int(), 1);
}

TEST_P(ConnectionTest, SavepointsNestInsideATransaction) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  c->execute("CREATE TABLE t (x INTEGER)");
  migtest::Transaction tx(*c);
  c->execute("INSERT INTO t VALUES (1)");
  {
    migtest::Savepoint sp(*c, "sp1");
    c->execute("INSERT INTO t VALUES (2)");
  }  // rolled back to sp1
  {
    migtest::Savepoint sp(*c, "sp 2");
    c->execute("INSERT INTO t VALUES (3)");
    sp.release();
  }
  tx.commit();
  auto r = c->query("SELECT x FROM t ORDER BY x");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r.rows[0][0].as_int(), 1);
  EXPECT_EQ(r.rows[1][0].as_int(), 3);
}

TEST_P(ConnectionTest, DatabaseErrorCarriesCodeAndStatement) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  c->execute("CREATE TABLE t (x INTEGER UNIQUE)");
  c->execute("INSERT INTO t VALUES (1)");
  try {
    c->execute("INSERT INTO t VALUES (1)");
    FAIL() << "expected a database_error";
  } catch (const migtest::database_error& e) {
    EXPECT_EQ(e.statement(), "INSERT INTO t VALUES (1)");
    EXPECT_EQ(e.code(), GetParam() == "sqlite" ? "SQLITE_CONSTRAINT_UNIQUE" : "23505");
    EXPECT_NE(std::string(e.what()).find("INSERT INTO t VALUES (1)"), std::string::npos);
    auto located = e.located({"versions/a1_x.sql", 12, "a1"});
    EXPECT_NE(std::string(located.what()).find("revision a1 (versions/a1_x.sql:12)"),
              std::string::npos)
        << located.what();
  }
  // The connection stays usable after the error.
  EXPECT_EQ(c->scalar("SELECT count(*) FROM t").as_int(), 1);
}

TEST_P(ConnectionTest, LockIsExclusiveAcrossConnections) {
  MIGTEST_SCRATCH(db, GetParam());
  auto a = db.connect_to();
  auto b = db.connect_to();
  a->execute("CREATE TABLE t (x INTEGER)");
  a->lock("migtest");
  EXPECT_THROW(b->lock("migtest", 50), migtest::error);
  a->unlock("migtest");
  EXPECT_NO_THROW(b->lock("migtest", 1000));
  b->unlock("migtest");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

TEST(SqliteConnection, ForeignKeysAreEnforced) {
  auto c = migtest::connect("sqlite:///:memory:");
  c->execute_script(
      "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE k (p INTEGER REFERENCES p(id));");
  EXPECT_THROW(c->execute("INSERT INTO k VALUES (42)"), migtest::database_error);
}

TEST(SqliteConnection, MissingDirectoryIsNamed) {
  try {
    migtest::connect("sqlite:////nonexistent-dir-xyz/app.db");
    FAIL();
  } catch (const migtest::connection_error& e) {
    EXPECT_NE(std::string(e.what()).find("directory '/nonexistent-dir-xyz' does not exist"),
              std::string::npos)
        << e.what();
  }
}

TEST(SqliteConnection, ReadOnlyFileGivesAClearError) {
  // root ignores file permissions, so open read-only through SQLite instead of chmod.
  migtest::test::ScratchDatabase db("sqlite");
  { db.connect_to()->execute("CREATE TABLE t (x INTEGER)"); }
  migtest::ConnectOptions ro;
  ro.read_only = true;
  auto c = migtest::connect(db.url(), ro);
  try {
    c->execute("INSERT INTO t VALUES (1)");
    FAIL();
  } catch (const migtest::database_error& e) {
    EXPECT_EQ(e.code(), "SQLITE_READONLY");
  }
}

// A file path that a test may open with mode= parameters, in a fresh directory.
class SqliteModeTest : public ::testing::Test {
 protected:
  void SetUp() override { db_.connect_to()->execute("CREATE TABLE t (x INTEGER)"); }
  std::string url(const std::string& query) const { return db_.url() + query; }
  std::string missing(const std::string& query) const {
    return "sqlite:///" + (db_.directory() / "missing.db").string() + query;
  }
  bool missing_exists() const { return boost::filesystem::exists(db_.directory() / "missing.db"); }

  migtest::test::ScratchDatabase db_{"sqlite"};
};

TEST_F(SqliteModeTest, ModeRoReadsAndEveryWriteFailsWithTheDatabasesError) {
  auto c = migtest::connect(url("?mode=ro"));
  EXPECT_EQ(c->scalar("SELECT count(*) FROM t").as_int(), 0);
  for (const char* write :
       {"INSERT INTO t VALUES (1)", "CREATE TABLE u (y INTEGER)", "DROP TABLE t"}) {
    try {
      c->execute(write);
      ADD_FAILURE() << write << " ran on a mode=ro connection";
    } catch (const migtest::database_error& e) {
      EXPECT_EQ(e.code(), "SQLITE_READONLY") << e.what();
    }
  }
  EXPECT_EQ(migtest::connect(db_.url())->scalar("SELECT count(*) FROM t").as_int(), 0);
}

TEST_F(SqliteModeTest, ModeRoAndModeRwNeverCreateTheFile) {
  for (const std::string mode : {"?mode=ro", "?mode=rw"}) {
    try {
      migtest::connect(missing(mode));
      ADD_FAILURE() << mode << " opened a missing file";
    } catch (const migtest::connection_error& e) {
      EXPECT_THAT(e.what(),
                  ::testing::HasSubstr("does not exist (" + mode.substr(1) + " never creates it)"));
    }
    EXPECT_FALSE(missing_exists()) << mode;
  }
}

TEST_F(SqliteModeTest, ModeRwWritesAndModeRwcCreates) {
  migtest::connect(url("?mode=rw"))->execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(migtest::connect(db_.url())->scalar("SELECT count(*) FROM t").as_int(), 1);
  migtest::connect(missing("?mode=rwc"))->execute("CREATE TABLE n (x INTEGER)");
  EXPECT_TRUE(missing_exists());
}

TEST_F(SqliteModeTest, TheStricterOfUrlAndOptionsWins) {
  migtest::ConnectOptions read_only;
  read_only.read_only = true;
  EXPECT_THROW(migtest::connect(url("?mode=rw"), read_only)->execute("INSERT INTO t VALUES (1)"),
               migtest::database_error);
  EXPECT_THROW(migtest::connect(url("?mode=rwc"), read_only)->execute("INSERT INTO t VALUES (1)"),
               migtest::database_error);
  migtest::ConnectOptions no_create;
  no_create.create = false;
  EXPECT_THROW(migtest::connect(missing("?mode=rwc"), no_create), migtest::connection_error);
  EXPECT_FALSE(missing_exists());
  EXPECT_THROW(migtest::connect(missing("?mode=ro"), migtest::ConnectOptions{}),
               migtest::connection_error);
  EXPECT_FALSE(missing_exists());
}

TEST(SqliteConnection, UnknownUrlParameterIsRefusedBeforeOpening) {
  migtest::test::ScratchDatabase db("sqlite");
  const auto file = db.directory() / "typo.db";
  try {
    migtest::connect("sqlite:///" + file.string() + "?mdoe=ro");
    FAIL();
  } catch (const migtest::connection_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("unknown parameter 'mdoe' (accepted: mode=ro"));
  }
  EXPECT_FALSE(boost::filesystem::exists(file));
}

// The throwaway server's URL with `password` written into its user information.
std::string with_password(std::string url, const std::string& password) {
  url.replace(url.find("postgres@"), 9, "postgres:" + password + "@");
  return url;
}

TEST(PostgresConnection, EncodedPasswordAndExtraKeywordsReachLibpq) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  // The server trusts its socket, so any password connects: what is checked is that libpq is
  // handed the URL whole (parameters after the host included) and reads it as migtest does.
  for (const std::string password : {"p%40ss%2Fw%3Frd%20x", "pa#ss?w rd:x"}) {
    SCOPED_TRACE(password);
    const std::string full =
        with_password(url, password) + "&application_name=migtest%20url%20test&connect_timeout=5";
    auto c = migtest::connect(full);
    EXPECT_EQ(c->scalar("SELECT current_setting('application_name')").as_text(),
              "migtest url test");
    EXPECT_THAT(c->url(), ::testing::HasSubstr("postgres:***@/postgres?"));
    EXPECT_THAT(c->url(), ::testing::Not(::testing::HasSubstr(password)));
  }
}

TEST(PostgresConnection, UnknownKeywordIsRefusedBeforeConnecting) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  try {
    migtest::connect(with_password(url, "Kj4Np8") + "&sslmdoe=disable");
    FAIL();
  } catch (const migtest::connection_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("unknown parameter 'sslmdoe' (did you mean "
                                               "'sslmode'?)"));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("Kj4Np8")));
  }
}

TEST(PostgresConnection, RefusedConnectionIsOneLineWithoutPassword) {
  // Nothing listens on port 1 of this socket directory.
  try {
    migtest::connect("postgresql://me:hunter2@/db?host=/nonexistent-socket-dir&port=1");
    FAIL();
  } catch (const migtest::connection_error& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
    EXPECT_NE(what.find("me:***@"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(PostgresConnection, RejectedConnectionNamesTheDatabaseNotThePassword) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  // The throwaway server trusts its socket, so the server's refusal is exercised
  // with a database that does not exist, through a URL that carries a password.
  std::string bad = migtest::with_database(url, "no_such_db_xyz");
  bad.replace(bad.find("postgres@"), 9, "postgres:s3cret-pw@");
  try {
    migtest::connect(bad);
    FAIL();
  } catch (const migtest::connection_error& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find("s3cret-pw"), std::string::npos) << what;
    EXPECT_NE(what.find("no_such_db_xyz"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
