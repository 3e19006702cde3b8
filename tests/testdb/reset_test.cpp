// Reuse without cloning on PostgreSQL: a used copy whose schema is unchanged is reset to the
// template's state (the tables the test wrote truncated, sequences set back, the session
// reset); anything a reset cannot undo says so and the copy must go.
#include "testdb/reset.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <memory>
#include <thread>

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
  ResetResult reset_with(const std::string& mark) {
    return migtest::detail::reset_copy(*conn_, *clean_, mark);
  }
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

// A rolled-back insert leaves a table storage but no rows: rollback mode gives such a copy
// back to the pool, and a fresh-mode process may read the clean state from it. The table is
// still one the template leaves empty; taken for a filled one, every test that writes to it
// made its copy go.
TEST_F(ResetTest, ATableWithStorageButNoRowsIsStillAnEmptyOne) {
  conn_->execute("BEGIN; INSERT INTO customer (name) VALUES ('ada'); ROLLBACK");
  ASSERT_GT(conn_->scalar("SELECT pg_relation_size('customer')").as_int(), 0);
  const auto state = migtest::detail::read_clean_state(*conn_);
  EXPECT_EQ(state->empty_tables, clean_->empty_tables);
  EXPECT_EQ(state->filled_tables, clean_->filled_tables);
  conn_->execute("INSERT INTO customer (name) VALUES ('bob')");
  const ResetResult r = migtest::detail::reset_copy(*conn_, *state);
  ASSERT_TRUE(r.reset) << r.why;
  EXPECT_EQ(count("customer"), 0);
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

// ---- a test that wrote nothing: the write mark ---------------------------------------------

// Waits until no other session is on the copy: a closed connection's backend sends its
// write counts before it leaves pg_stat_activity.
void wait_alone(Connection& c) {
  for (int i = 0; i < 200; ++i) {
    if (c.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                 "pid <> pg_backend_pid()")
            .as_int() == 0) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  FAIL() << "another session stays on the copy";
}

TEST_F(ResetTest, ATestThatWroteNothingIsResetWithoutTheInspection) {
  const std::string mark = migtest::detail::write_mark(*conn_);
  ASSERT_FALSE(mark.empty());
  EXPECT_EQ(count("country"), 2);
  conn_->execute("SELECT nextval('customer_id_seq')");  // no row written, but a sequence moved
  conn_->execute("SET search_path = pg_catalog");
  const ResetResult r = reset_with(mark);
  ASSERT_TRUE(r.reset) << r.why;
  EXPECT_TRUE(r.by_counts);
  EXPECT_TRUE(r.truncated.empty());
  EXPECT_EQ(r.sequences, 1);
  EXPECT_EQ(r.mark, mark);
  EXPECT_EQ(conn_->scalar("SHOW search_path").as_text(), "\"$user\", public");
  EXPECT_EQ(conn_->scalar("INSERT INTO customer (name) VALUES ('eve') RETURNING id").as_int(), 1);
}

TEST_F(ResetTest, RowsWrittenToEmptyTablesAreFoundByTheCounts) {
  const std::string mark = migtest::detail::write_mark(*conn_);
  conn_->execute("INSERT INTO customer (name) VALUES ('ada'), ('bob')");
  conn_->execute("INSERT INTO orders (customer_id, total) VALUES (1, 10)");
  conn_->execute("DELETE FROM orders");
  ResetResult r = reset_with(mark);
  ASSERT_TRUE(r.reset) << r.why;
  EXPECT_TRUE(r.by_counts);
  std::sort(r.truncated.begin(), r.truncated.end());
  EXPECT_EQ(r.truncated, (std::vector<std::string>{"public.customer", "public.orders"}));
  EXPECT_EQ(r.sequences, 2);
  EXPECT_NE(r.mark, mark);  // the truncation wrote catalog rows: the next test starts from here
  EXPECT_EQ(count("customer"), 0);
  const ResetResult next = reset_with(r.mark);
  EXPECT_TRUE(next.reset && next.by_counts && next.truncated.empty()) << next.why;
}

// Every way a test can change a copy, written through the fixture's connection (counted when
// the reset asks) or through one it closed (counted when that backend left): the counts
// decide only when nothing but tables the template leaves empty was written, and whatever
// they decide, the copy is then the template's (the whole inspection finds nothing to do).
TEST_F(ResetTest, TheCountsNeverTakeAChangedCopyForAClean) {
  struct Write {
    const char* sql;
    bool by_counts;  // only empty tables written
  };
  const Write writes[] = {
      {"INSERT INTO customer (name) VALUES ('ada')", true},
      {"BEGIN; INSERT INTO customer (name) VALUES ('ada'); ROLLBACK", true},
      {"COPY customer (name) FROM PROGRAM 'echo ada'", true},
      {"ANALYZE", true},  // planner statistics: not part of the schema (autovacuum writes them)
      {"UPDATE country SET name = name", false},
      {"DELETE FROM country WHERE code = 'jp'", false},
      {"TRUNCATE orders", false},  // a new file for the table: a catalog row written
      {"CREATE TABLE left_behind (x int)", false},
      {"CREATE TEMP TABLE scratch (x int)", false},
      {"ALTER TABLE customer ADD COLUMN email text", false},
      {"COMMENT ON TABLE customer IS 'people'", false},
      {"GRANT SELECT ON customer TO PUBLIC", false},
      {"ALTER SEQUENCE customer_id_seq INCREMENT BY 2", false},
      {"DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = ''8MB''', "
       "current_database()); END$$",
       false},
      {"SELECT lo_create(0)", false},
  };
  for (bool own_connection : {true, false}) {
    for (const Write& w : writes) {
      const std::string where = std::string(w.sql) + (own_connection ? "" : " (another session)");
      auto copy = tpl()->clone();
      auto c = copy.connect();
      const std::string mark = migtest::detail::write_mark(*c);
      if (own_connection) {
        c->execute_script(w.sql);
      } else {
        copy.connect()->execute_script(w.sql);
        wait_alone(*c);
      }
      const ResetResult r = migtest::detail::reset_copy(*c, *clean_, mark);
      EXPECT_EQ(r.by_counts, w.by_counts) << where;
      if (!r.reset) continue;  // the copy goes
      const ResetResult check = migtest::detail::reset_copy(*c, *clean_);
      EXPECT_TRUE(check.reset && check.truncated.empty() && check.sequences == 0)
          << where << ": " << check.why;
    }
  }
}

TEST_F(ResetTest, WithoutCountsTheCopyIsInspected) {
  conn_->execute("SET track_counts = off");
  EXPECT_EQ(migtest::detail::write_mark(*conn_), "");
  const ResetResult r = reset_with("");
  EXPECT_TRUE(r.reset) << r.why;
  EXPECT_FALSE(r.by_counts);
}

TEST_F(ResetTest, AConnectionLeftOpenIsNotDecidedByTheCounts) {
  const std::string mark = migtest::detail::write_mark(*conn_);
  auto other = copy_->connect();
  const ResetResult r = reset_with(mark);
  EXPECT_FALSE(r.reset);
  EXPECT_FALSE(r.by_counts);
  EXPECT_EQ(r.why, "other connections to the database are still open");
}

// After a reset by the whole inspection, the mark is read again: the next test is decided by
// the counts.
TEST_F(ResetTest, TheMarkAfterAnInspectionServesTheNextTest) {
  conn_->execute("INSERT INTO customer (name) VALUES ('ada')");
  const ResetResult first = reset();
  ASSERT_TRUE(first.reset) << first.why;
  EXPECT_FALSE(first.by_counts);
  ASSERT_FALSE(first.mark.empty());
  const ResetResult second = reset_with(first.mark);
  EXPECT_TRUE(second.reset) << second.why;
  EXPECT_TRUE(second.by_counts);
}

// ---- the clean state kept for other processes ----------------------------------------------

bool same_state(const CleanState& a, const CleanState& b) {
  return a.fingerprint == b.fingerprint && a.empty_tables == b.empty_tables &&
         a.table_names == b.table_names && a.referencing == b.referencing &&
         a.filled_tables == b.filled_tables && a.filled_checksums == b.filled_checksums &&
         a.sequences == b.sequences && a.sequence_states == b.sequence_states &&
         a.inspect_sql == b.inspect_sql;
}

// What makes one state file serve every process: every copy of a template has the same
// catalog rows, row versions and OIDs, so the state read from one is the state of all.
TEST_F(ResetTest, EveryCopyOfATemplateHasTheSameCleanState) {
  auto other = tpl()->clone();
  auto c = other.connect();
  EXPECT_TRUE(same_state(*migtest::detail::read_clean_state(*c), *clean_));
}

TEST_F(ResetTest, TheCleanStateIsReadOnceAndKeptInTheCacheDirectory) {
  TempDir cache;
  migtest::detail::Template t = *tpl();
  t.cache_directory = (cache.path() / "made-on-demand").string();
  const auto state = migtest::detail::clean_state(t, *conn_);
  const std::string file = migtest::detail::reset_state_file(t.cache_directory, t.key);
  ASSERT_TRUE(boost::filesystem::exists(file));
  EXPECT_TRUE(same_state(*state, *clean_));

  // Another process (the file, not this process's memory) resets a used copy with it.
  const std::string identity = migtest::detail::template_identity(*conn_, t.database);
  const auto loaded = migtest::detail::load_reset_state(file, identity);
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(same_state(*loaded, *clean_));
  conn_->execute("INSERT INTO customer (name) VALUES ('ada')");
  EXPECT_TRUE(migtest::detail::reset_copy(*conn_, *loaded).reset);
  EXPECT_EQ(count("customer"), 0);

  // It is the cache's: listed, and cleared with the rest.
  const auto listed = migtest::list_cache(t.cache_directory, "");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].kind, migtest::CacheKind::reset_state);
  EXPECT_EQ(listed[0].key16, t.key.substr(0, 16));
  EXPECT_EQ(migtest::clear_cache(t.cache_directory, "").removed.size(), 1u);
  EXPECT_FALSE(boost::filesystem::exists(file));
}

TEST_F(ResetTest, AStateFileOfAnotherTemplateOrServerIsNotUsed) {
  TempDir cache;
  const std::string file = (cache.path() / "migtest_reset_0123456789abcdef.state").string();
  const std::string identity = migtest::detail::template_identity(*conn_, tpl()->database);
  migtest::detail::store_reset_state(file, identity, *clean_);
  ASSERT_TRUE(migtest::detail::load_reset_state(file, identity));
  // The template rebuilt (a new OID), or another server: the identity differs.
  EXPECT_FALSE(migtest::detail::load_reset_state(file, identity + "x"));
  EXPECT_NE(identity.find(tpl()->database + " oid="), std::string::npos) << identity;
}

// A state file is SQL's source (table names, sequence states): one that says anything the
// server would not have written is not used, so a damaged or planted file cannot run SQL.
TEST_F(ResetTest, AStateFileThatIsDamagedOrPlantedIsNotUsed) {
  TempDir cache;
  const std::string file = (cache.path() / "migtest_reset_0123456789abcdef.state").string();
  auto write = [&](const CleanState& s) { migtest::detail::store_reset_state(file, "id", s); };
  CleanState planted = *clean_;
  planted.table_names.begin()->second = "public.customer; DROP TABLE country";
  write(planted);
  EXPECT_FALSE(migtest::detail::load_reset_state(file, "id"));
  CleanState bad_sequence = *clean_;
  ASSERT_FALSE(bad_sequence.sequence_states.empty());
  bad_sequence.sequence_states[0] = "1:true); DROP TABLE country; --";
  write(bad_sequence);
  EXPECT_FALSE(migtest::detail::load_reset_state(file, "id"));
  CleanState unnamed = *clean_;
  unnamed.empty_tables.push_back(999999);
  write(unnamed);
  EXPECT_FALSE(migtest::detail::load_reset_state(file, "id"));
  write(*clean_);
  ASSERT_TRUE(migtest::detail::load_reset_state(file, "id"));
  const auto size = boost::filesystem::file_size(file);
  boost::filesystem::resize_file(file, size / 2);  // cut short
  EXPECT_FALSE(migtest::detail::load_reset_state(file, "id"));
  boost::filesystem::resize_file(file, 0);
  EXPECT_FALSE(migtest::detail::load_reset_state(file, "id"));
  EXPECT_FALSE(migtest::detail::load_reset_state(file + ".missing", "id"));
}

}  // namespace
