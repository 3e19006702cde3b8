// Reuse without cloning on PostgreSQL: a used copy whose schema is unchanged is reset to the
// template's state (the tables the test wrote truncated, sequences set back, the session
// reset); anything a reset cannot undo says so and the copy must go.
#include "testdb/reset.hpp"

#include <algorithm>
#include <memory>

#include "migtest/testdb.hpp"
#include "testdb/from_config.hpp"
#include "testdb/server.hpp"
#include "testdb_support.hpp"

using migtest::Backend;
using migtest::Connection;
using migtest::detail::CleanState;
using migtest::detail::ResetResult;
using migtest::test::TempDir;

namespace {

// One template for the suite (its own history, so its own template); a new copy per test.
class ResetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string url = migtest::test::postgres_url();
    if (url.empty()) return;
    dir_ = new TempDir;
    const auto config =
        migtest::TestConfig()
            .migrations(migtest::test::write_shop_history(*dir_, migtest::detail::random_hex8()))
            .postgres_url(url);
    tpl_ = new std::shared_ptr<const migtest::detail::Template>(
        migtest::detail::acquire_template(config, Backend::postgresql));
  }
  static void TearDownTestSuite() {
    if (tpl_) {
      auto server = migtest::detail::Server::get((*tpl_)->server_url);
      std::lock_guard<std::mutex> lock(server->mutex);
      server->drop_database((*tpl_)->database);  // this suite's own template
    }
    delete tpl_;
    delete dir_;
    tpl_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    MIGTEST_REQUIRE_POSTGRES_URL(url);
    copy_ = std::make_unique<migtest::TemporaryDatabase>(tpl()->clone());
    conn_ = copy_->connect();
    clean_ = migtest::detail::read_clean_state(*conn_);
  }

  static const std::shared_ptr<const migtest::detail::Template>& tpl() { return *tpl_; }
  ResetResult reset() { return migtest::detail::reset_copy(*conn_, *clean_); }
  std::int64_t count(const std::string& table) {
    return conn_->scalar("SELECT count(*) FROM " + table).as_int();
  }

  static TempDir* dir_;
  static std::shared_ptr<const migtest::detail::Template>* tpl_;
  std::unique_ptr<migtest::TemporaryDatabase> copy_;
  std::unique_ptr<Connection> conn_;  // declared after copy_: closed before it goes
  std::shared_ptr<const CleanState> clean_;
};
TempDir* ResetTest::dir_ = nullptr;
std::shared_ptr<const migtest::detail::Template>* ResetTest::tpl_ = nullptr;

TEST_F(ResetTest, TheCleanStateSortsTablesByWhatTheTemplateHolds) {
  auto names = [&](const std::vector<std::int64_t>& oids) {
    std::vector<std::string> out;
    for (auto oid : oids) out.push_back(clean_->table_names.at(oid));
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto empty = names(clean_->empty_tables);
  const auto filled = names(clean_->filled_tables);
  for (const char* t : {"public.customer", "public.orders", "public.region"}) {
    EXPECT_NE(std::find(empty.begin(), empty.end(), t), empty.end()) << t;
  }
  for (const char* t : {"public.country", "public.office", "public.migtest_version"}) {
    EXPECT_NE(std::find(filled.begin(), filled.end(), t), filled.end()) << t;
  }
  EXPECT_EQ(clean_->sequences.size(), 3u);  // customer_id_seq, orders_id_seq, region_id_seq
}

TEST_F(ResetTest, AnUntouchedCopyNeedsNothing) {
  const ResetResult r = reset();
  EXPECT_TRUE(r.reset) << r.why;
  EXPECT_TRUE(r.keep_connection);
  EXPECT_TRUE(r.truncated.empty());
  EXPECT_EQ(r.sequences, 0);
}

TEST_F(ResetTest, OnlyTheWrittenTablesAreTruncatedAndSequencesGoBack) {
  conn_->execute("INSERT INTO customer (name) VALUES ('ada'), ('bob')");
  conn_->execute("INSERT INTO orders (customer_id, total) VALUES (1, 10)");
  conn_->execute("DELETE FROM orders");  // written, then empty again: truncated all the same
  ResetResult r = reset();
  ASSERT_TRUE(r.reset) << r.why;
  std::sort(r.truncated.begin(), r.truncated.end());
  EXPECT_EQ(r.truncated, (std::vector<std::string>{"public.customer", "public.orders"}));
  EXPECT_EQ(r.sequences, 2);
  EXPECT_EQ(count("customer"), 0);
  EXPECT_EQ(count("orders"), 0);
  EXPECT_EQ(count("country"), 2);
  // The ids start where a new copy's start.
  EXPECT_EQ(conn_->scalar("INSERT INTO customer (name) VALUES ('eve') RETURNING id").as_int(), 1);
  EXPECT_EQ(conn_->scalar("INSERT INTO orders (customer_id) VALUES (1) RETURNING id").as_int(), 1);
}

// The reset's own TRUNCATE gives tables new storage: the fingerprint must not see it, or no
// copy would ever be reused twice.
TEST_F(ResetTest, AResetCopyComparesCleanAgain) {
  conn_->execute("INSERT INTO customer (name) VALUES ('ada')");
  ASSERT_TRUE(reset().reset);
  conn_->execute("VACUUM ANALYZE customer");
  conn_->execute("ANALYZE");
  const ResetResult again = reset();
  EXPECT_TRUE(again.reset) << again.why;
  EXPECT_TRUE(again.truncated.empty());
  // The test's own TRUNCATE of an empty table is not a schema change either.
  conn_->execute("TRUNCATE orders");
  EXPECT_TRUE(reset().reset);
}

TEST_F(ResetTest, SchemaChangesAreNotReset) {
  const char* changes[] = {
      "CREATE TABLE left_behind (x int)",
      "ALTER TABLE customer ADD COLUMN email text",
      "ALTER TABLE customer RENAME COLUMN name TO full_name",
      "ALTER TABLE customer ALTER COLUMN name DROP NOT NULL",
      "DROP INDEX ix_orders_customer",
      "CREATE INDEX ix_customer_name ON customer (name)",
      "DROP VIEW big_orders",
      "COMMENT ON TABLE customer IS 'people'",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      "CREATE TYPE mood AS ENUM ('ok')",
      "CREATE SCHEMA other",
      "ALTER SEQUENCE customer_id_seq INCREMENT BY 2",
      "GRANT SELECT ON customer TO PUBLIC",
      "ALTER TABLE office DROP CONSTRAINT office_region_id_fkey",
  };
  for (const char* change : changes) {
    auto copy = tpl()->clone();
    auto c = copy.connect();
    c->execute(change);
    const ResetResult r = migtest::detail::reset_copy(*c, *clean_);
    EXPECT_FALSE(r.reset) << change;
    EXPECT_EQ(r.why, "the schema changed") << change;
  }
}

TEST_F(ResetTest, ChangedRowsOfAFilledTableAreNotReset) {
  conn_->execute("UPDATE country SET name = 'Nippon' WHERE code = 'jp'");
  ResetResult r = reset();
  EXPECT_FALSE(r.reset);
  EXPECT_NE(r.why.find("public.country"), std::string::npos) << r.why;
  // Changed back, the rows are the template's again.
  conn_->execute("UPDATE country SET name = 'Japan' WHERE code = 'jp'");
  r = reset();
  EXPECT_TRUE(r.reset) << r.why;
}

// office (filled) refers to region: truncating region would need office truncated too.
TEST_F(ResetTest, ATableThatFilledRowsReferToIsNotTruncated) {
  conn_->execute("INSERT INTO region (name) VALUES ('north')");
  const ResetResult r = reset();
  EXPECT_FALSE(r.reset);
  EXPECT_NE(r.why.find("public.office"), std::string::npos) << r.why;
}

TEST_F(ResetTest, TheSessionIsResetAndItsConnectionKept) {
  conn_->execute("SET search_path = pg_catalog");
  conn_->execute("CREATE TEMP TABLE scratch (x int)");
  conn_->execute("SELECT pg_advisory_lock(42)");
  conn_->execute("BEGIN");
  conn_->execute("INSERT INTO public.customer (name) VALUES ('uncommitted')");
  const ResetResult r = reset();
  ASSERT_TRUE(r.reset) << r.why;
  EXPECT_TRUE(r.keep_connection);
  EXPECT_EQ(conn_->scalar("SHOW search_path").as_text(), "\"$user\", public");
  EXPECT_EQ(conn_->scalar("SELECT count(*) FROM pg_class WHERE relname = 'scratch'").as_int(), 0);
  EXPECT_EQ(conn_
                ->scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                         "pg_backend_pid()")
                .as_int(),
            0);
  EXPECT_EQ(count("customer"), 0);
}

TEST_F(ResetTest, AStatementTheTestPreparedMakesTheConnectionGo) {
  conn_->execute("PREPARE mine AS SELECT 1");
  const ResetResult r = reset();
  EXPECT_TRUE(r.reset) << r.why;
  EXPECT_FALSE(r.keep_connection);
}

TEST_F(ResetTest, AConnectionLeftOpenIsWaitedForThenRefused) {
  auto other = copy_->connect();
  const ResetResult r = reset();
  EXPECT_FALSE(r.reset);
  EXPECT_EQ(r.why, "other connections to the database are still open");
  other.reset();
  EXPECT_TRUE(reset().reset);
}

}  // namespace
