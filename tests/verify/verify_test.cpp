// verify() on real databases: the planted faults of tests/data/verify are each reported
// exactly, and the correct histories (migtest and the four foreign layouts) report nothing.
// Every test runs on SQLite and on PostgreSQL (scripts/with-postgres).
#include "migtest/verify.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <memory>

#include "migtest/dialect.hpp"
#include "migtest/metadata.hpp"
#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/revisions.hpp"
#include "verify/scratch.hpp"

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/verify/" + name;
}

std::vector<Check> checks_of(const RevisionResult& r) {
  std::vector<Check> out;
  for (const auto& c : r.checks) out.push_back(c.check);
  return out;
}

// Every revision ok (no warning either) and every history check ok or skipped.
void expect_clean(const VerifyReport& report) {
  EXPECT_TRUE(report.ok()) << render_text(report);
  for (const auto& r : report.revisions) {
    EXPECT_EQ(r.status(), Status::ok) << r.revision.id << "\n" << render_text(report);
  }
  for (const auto& c : report.history) {
    EXPECT_NE(c.status, Status::failed) << to_string(c.check) << ": " << c.summary;
  }
  EXPECT_EQ(report.rebuilds, 0);
}

class VerifyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      MIGTEST_REQUIRE_POSTGRES_URL(url);
      db_ = std::make_unique<detail::ScratchDatabase>(url);
    } else {
      db_ = std::make_unique<detail::ScratchDatabase>();
    }
  }
  Connection& conn() { return db_->connection(); }
  // Another empty database of the same backend (verify needs an empty one per run).
  std::unique_ptr<detail::ScratchDatabase> fresh() {
    return GetParam() == "postgresql"
               ? std::make_unique<detail::ScratchDatabase>(test::postgres_url())
               : std::make_unique<detail::ScratchDatabase>();
  }
  VerifyReport run(const std::string& dir, VerifyOptions options = {}) {
    History h = load_history(dir);
    return verify(conn(), h, options);
  }

  std::unique_ptr<detail::ScratchDatabase> db_;
};

TEST_P(VerifyTest, CorrectHistoryReportsNothing) {
  VerifyOptions o;
  o.seeds = load_seeds(data("good/seeds"));
  VerifyReport report = run(data("good/versions"), o);
  expect_clean(report);
  ASSERT_THAT(report.revisions, SizeIs(4));
  EXPECT_EQ(report.dialect, parse_dialect(GetParam()));
  // Data is checked from the revision after the first seed on.
  EXPECT_EQ(report.revisions[0].find(Check::data)->status, Status::ok);  // seeded here
  for (std::size_t i = 1; i < 4; ++i) {
    const CheckResult* d = report.revisions[i].find(Check::data);
    ASSERT_NE(d, nullptr) << i;
    EXPECT_EQ(d->status, Status::ok) << i;
  }
  EXPECT_THAT(checks_of(report.revisions[2]),
              ElementsAre(Check::upgrade, Check::round_trip, Check::data, Check::lint));
  EXPECT_GE(report.revisions[2].up_ms, 0);
  EXPECT_GE(report.revisions[2].down_ms, 0);
  EXPECT_EQ(report.find(Check::single_head)->status, Status::ok);
  EXPECT_EQ(report.find(Check::full_cycle)->status, Status::ok);
  EXPECT_EQ(report.find(Check::full_cycle)->summary, "head -> base -> head");
  EXPECT_EQ(report.find(Check::model_match)->status, Status::skipped);
  EXPECT_THAT(render_summary(report), HasSubstr("4 revisions: 4 ok, 0 failed"));
}

TEST_P(VerifyTest, DownThatForgetsAnIndexIsReportedWithThatIndexOnly) {
  VerifyReport report = run(data("forgets_index"));
  ASSERT_THAT(report.revisions, SizeIs(3));
  EXPECT_EQ(report.revisions[0].status(), Status::ok);
  EXPECT_EQ(report.revisions[2].status(), Status::ok) << "the run goes on after the failure";
  const RevisionResult& bad = report.revisions[1];
  EXPECT_EQ(bad.revision.id, "1f0000000002");
  const CheckResult* rt = bad.find(Check::round_trip);
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->status, Status::failed);
  EXPECT_EQ(rt->summary, "downgrade left a trace");
  ASSERT_THAT(rt->differences, SizeIs(1)) << render_text(report);
  EXPECT_EQ(rt->differences[0].kind, Difference::Kind::index_removed);
  EXPECT_EQ(rt->differences[0].table, "user");
  EXPECT_EQ(rt->differences[0].object, "ix_user_fingerprint");
  EXPECT_EQ(rt->differences[0].expected, "");
  ASSERT_GE(rt->details.size(), 2u);
  EXPECT_THAT(rt->details[0], HasSubstr("index ix_user_fingerprint on user: after downgrade"));
  EXPECT_THAT(rt->details[0], HasSubstr("before upgrade absent"));
  // The upgrade that follows trips over the index the downgrade left.
  EXPECT_THAT(rt->details[1], HasSubstr("upgrade after the downgrade failed"));
  EXPECT_THAT(rt->details[2], HasSubstr("ix_user_fingerprint"));
  EXPECT_EQ(bad.find(Check::upgrade)->status, Status::ok);
  EXPECT_EQ(report.rebuilds, 1);
  EXPECT_EQ(report.failed_revisions(), 1u);
  EXPECT_EQ(report.find(Check::full_cycle)->status, Status::ok);
  std::string text = render_text(report);
  EXPECT_THAT(text, HasSubstr("FAIL downgrade left a trace:\n"));
  EXPECT_THAT(text, HasSubstr("3 revisions: 2 ok, 1 failed"));
}

TEST_P(VerifyTest, DownThatLosesADefaultIsReportedWithBothSides) {
  VerifyReport report = run(data("loses_default"));
  ASSERT_THAT(report.revisions, SizeIs(2));
  EXPECT_EQ(report.revisions[0].status(), Status::ok);
  const CheckResult* rt = report.revisions[1].find(Check::round_trip);
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->status, Status::failed);
  EXPECT_EQ(rt->summary, "downgrade left a trace");
  ASSERT_THAT(rt->differences, SizeIs(1)) << render_text(report);
  const Difference& d = rt->differences[0];
  EXPECT_EQ(d.kind, Difference::Kind::default_changed);
  EXPECT_EQ(d.table, "user");
  EXPECT_EQ(d.object, "karma");
  EXPECT_THAT(d.expected, HasSubstr("DEFAULT 0"));
  EXPECT_THAT(d.actual, ::testing::Not(HasSubstr("DEFAULT")));
  ASSERT_THAT(rt->details, SizeIs(1));
  EXPECT_THAT(rt->details[0], HasSubstr("column user.karma: after downgrade "));
  // The second upgrade drops the column again: nothing else differs, nothing to rebuild.
  EXPECT_EQ(report.rebuilds, 0);
  EXPECT_EQ(report.revisions[1].find(Check::lint)->status, Status::ok) << "allowed in the file";
}

TEST_P(VerifyTest, DownThatFailsIsReportedAndTheRunGoesOn) {
  VerifyReport report = run(data("failing_down"));
  ASSERT_THAT(report.revisions, SizeIs(3));
  const CheckResult* rt = report.revisions[1].find(Check::round_trip);
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->status, Status::failed);
  EXPECT_EQ(rt->summary, "downgrade failed");
  ASSERT_THAT(rt->details, SizeIs(1));
  EXPECT_THAT(rt->details[0], HasSubstr("posts"));
  EXPECT_THAT(rt->details[0], HasSubstr("3e0000000002"));
  EXPECT_TRUE(rt->differences.empty());
  EXPECT_EQ(report.revisions[2].status(), Status::ok);
  EXPECT_EQ(report.revisions[2].find(Check::round_trip)->status, Status::ok);
  // The failed down was rolled back: the database stands where the upgrade left it.
  EXPECT_EQ(report.rebuilds, 0);
  const CheckResult* cycle = report.find(Check::full_cycle);
  EXPECT_EQ(cycle->status, Status::failed);
  EXPECT_EQ(cycle->summary, "downgrade of 3e0000000002 failed on the way down");
  EXPECT_EQ(report.failed_revisions(), 1u);
}

TEST_P(VerifyTest, DataMigrationThatLosesRowsIsReportedWithTheRows) {
  VerifyOptions o;
  o.seeds = load_seeds(data("loses_rows/seeds"));
  VerifyReport report = run(data("loses_rows/versions"), o);
  ASSERT_THAT(report.revisions, SizeIs(2));
  EXPECT_EQ(report.revisions[0].status(), Status::ok);
  const RevisionResult& bad = report.revisions[1];
  EXPECT_EQ(bad.find(Check::round_trip)->status, Status::ok);
  const CheckResult* d = bad.find(Check::data);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, Status::failed);
  EXPECT_EQ(d->summary, "seeded rows changed");
  ASSERT_THAT(d->details, SizeIs(1)) << render_text(report);
  EXPECT_THAT(d->details[0], HasSubstr("4a0000000001.sql"));
  EXPECT_THAT(d->details[0],
              HasSubstr("after its upgrade, 2 of 3 rows; missing (2, 'bob@example.com')"));
  EXPECT_EQ(report.failed_revisions(), 1u);
}

TEST_P(VerifyTest, TwoHeadsFailTheSingleHeadCheckOnly) {
  VerifyReport report = run(data("two_heads"));
  const CheckResult* heads = report.find(Check::single_head);
  ASSERT_NE(heads, nullptr);
  EXPECT_EQ(heads->status, Status::failed);
  EXPECT_THAT(heads->summary, HasSubstr("2 heads: 5b0000000002, 5b0000000003"));
  ASSERT_THAT(heads->details, SizeIs(2));
  EXPECT_EQ(report.failed_revisions(), 0u) << render_text(report);
  EXPECT_EQ(report.find(Check::full_cycle)->status, Status::ok);
  EXPECT_FALSE(report.ok());

  VerifyOptions o;
  o.heads = {"5b0000000002", "5b0000000003"};
  auto db = fresh();
  History h = load_history(data("two_heads"));
  EXPECT_TRUE(verify(db->connection(), h, o).ok()) << "the configured heads are accepted";
}

TEST_P(VerifyTest, ForeignLayoutsVerifyAsTheyAre) {
  for (const char* layout : {"diesel", "golang_migrate", "dbmate", "goose"}) {
    SCOPED_TRACE(layout);
    auto db = fresh();
    History h = load_history(data(layout));
    VerifyReport report = verify(db->connection(), h);
    expect_clean(report);
    EXPECT_THAT(report.revisions, SizeIs(3));
  }
}

TEST_P(VerifyTest, IncrementalAndFullReflectionGiveTheSameReport) {
  for (const char* dir : {"forgets_index", "loses_default", "failing_down", "good/versions"}) {
    SCOPED_TRACE(dir);
    History h = load_history(data(dir));
    VerifyOptions full;
    full.incremental_reflection = false;
    auto a = fresh();
    auto b = fresh();
    VerifyReport inc = verify(a->connection(), h);
    VerifyReport all = verify(b->connection(), h, full);
    ASSERT_EQ(inc.revisions.size(), all.revisions.size());
    for (std::size_t i = 0; i < inc.revisions.size(); ++i) {
      ASSERT_EQ(inc.revisions[i].checks.size(), all.revisions[i].checks.size());
      for (std::size_t k = 0; k < inc.revisions[i].checks.size(); ++k) {
        EXPECT_EQ(inc.revisions[i].checks[k].status, all.revisions[i].checks[k].status);
        EXPECT_EQ(inc.revisions[i].checks[k].differences, all.revisions[i].checks[k].differences);
      }
    }
  }
}

// A read after a step that wrote no schema returns the schema before it without asking
// the database: a down of data alone after an up that created a table must still fail, and
// a revision of data alone (up and down) must pass.
TEST_P(VerifyTest, ADownOfDataAloneAfterAnUpOfSchemaLeavesATrace) {
  test::TempDir dir("migtest-verify-data-down");
  dir.write(
      "a1_create.sql",
      test::revision_file("a1", "", "CREATE TABLE t (id INTEGER PRIMARY KEY);", "DROP TABLE t;"));
  dir.write("a2_rows.sql", test::revision_file("a2", "a1", "INSERT INTO t (id) VALUES (1), (2);",
                                               "DELETE FROM t;"));
  dir.write("a3_more.sql",
            test::revision_file("a3", "a2", "CREATE TABLE u (id INTEGER);", "DELETE FROM u;"));
  dir.write("a4_rows.sql", test::revision_file("a4", "a3", "INSERT INTO t (id) VALUES (3);",
                                               "DELETE FROM t WHERE id = 3;"));
  VerifyReport report = run(dir.string());
  ASSERT_THAT(report.revisions, SizeIs(4));
  for (int i : {0, 1, 3}) {
    EXPECT_EQ(report.revisions[i].find(Check::round_trip)->status, Status::ok)
        << report.revisions[i].revision.id << "\n"
        << render_text(report);
  }
  const CheckResult* rt = report.revisions[2].find(Check::round_trip);
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->status, Status::failed);
  EXPECT_EQ(rt->summary, "downgrade left a trace");
  EXPECT_THAT(render_text(report), HasSubstr("u"));
}

TEST_P(VerifyTest, FloorSkipsAndChecksAreHonoured) {
  VerifyOptions o;
  o.min_downgrade = "8a4e2c1d9b6f";
  o.skip = {"a1b2c3"};
  VerifyReport report = run(data("good/versions"), o);
  EXPECT_TRUE(report.ok()) << render_text(report);
  EXPECT_EQ(report.revisions[0].find(Check::round_trip)->status, Status::skipped);
  EXPECT_THAT(report.revisions[1].find(Check::round_trip)->summary,
              HasSubstr("floor 8a4e2c1d9b6f"));
  EXPECT_THAT(report.revisions[2].find(Check::round_trip)->summary, HasSubstr("skip list"));
  EXPECT_EQ(report.revisions[3].find(Check::round_trip)->status, Status::ok);
  EXPECT_EQ(report.find(Check::full_cycle)->summary, "head -> 8a4e2c1d9b6f -> head");

  auto db = fresh();
  VerifyOptions only;
  only.checks = {Check::lint, Check::single_head};
  History h = load_history(data("forgets_index"));
  VerifyReport lint_only = verify(db->connection(), h, only);
  EXPECT_TRUE(lint_only.ok()) << "the round trip that fails is not run";
  for (const auto& r : lint_only.revisions) EXPECT_THAT(checks_of(r), ElementsAre(Check::lint));
  EXPECT_THAT(lint_only.history, SizeIs(1));
}

TEST_P(VerifyTest, IrreversibleRevisionIsNotRoundTrippedAndTheCycleStopsAboveIt) {
  const test::TempDir dir("migtest-verify-irrev-" + GetParam());
  dir.write(
      "7a0000000001_create.sql",
      "-- revision: 7a0000000001\n-- down_revision: none\n-- migrate:up\n"
      "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, v INTEGER);\n-- migrate:down\nDROP TABLE "
      "t;\n");
  dir.write("7a0000000002_fix.sql",
            "-- revision: 7a0000000002\n-- down_revision: 7a0000000001\n-- migrate:up\n"
            "UPDATE t SET v = 0 WHERE v IS NULL;\n-- migrate:down irreversible\n");
  dir.write("7a0000000003_add.sql",
            "-- revision: 7a0000000003\n-- down_revision: 7a0000000002\n-- migrate:up\n"
            "ALTER TABLE t ADD COLUMN w INTEGER;\n-- migrate:down\nALTER TABLE t DROP COLUMN w;\n");
  VerifyReport report = run(dir.string());
  EXPECT_TRUE(report.ok()) << render_text(report);
  EXPECT_EQ(report.revisions[1].find(Check::round_trip)->status, Status::skipped);
  EXPECT_THAT(report.revisions[1].find(Check::round_trip)->summary, HasSubstr("irreversible"));
  EXPECT_EQ(report.find(Check::full_cycle)->summary, "head -> 7a0000000002 (irreversible) -> head");
}

TEST_P(VerifyTest, SeedsFromCodeAndQueriesThatBreakAreReported) {
  VerifyOptions o;
  Seed s;
  s.revision = "3f1c9a0b2e7d";
  s.code = [](Connection& c) {
    c.execute(R"(INSERT INTO "user" (id, fingerprint) VALUES ($1, $2))", {7, "fp7"});
  };
  s.expect = R"(SELECT id FROM "user" WHERE id = 7)";
  o.seeds.push_back(s);
  Seed broken;
  broken.revision = "8a4e2c1d9b6f";
  broken.sql = "INSERT INTO post (id, author_id, title) VALUES (1, 7, 'x');";
  broken.expect = "SELECT title FROM post";
  broken.until = "8a4e2c1d9b6f";  // checked nowhere after its own revision
  o.seeds.push_back(broken);
  VerifyReport report = run(data("good/versions"), o);
  expect_clean(report);

  o.seeds[0].expect = "SELECT nope FROM \"user\"";
  VerifyOptions bad = o;
  auto db = fresh();
  History h = load_history(data("good/versions"));
  VerifyReport failing = verify(db->connection(), h, bad);
  const CheckResult* d = failing.revisions[0].find(Check::data);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->status, Status::failed);
  EXPECT_THAT(d->details.at(0), HasSubstr("its query fails right after seeding"));
}

TEST_P(VerifyTest, ModelMatchComparesTheSchemaAtHeadWithTheMetadata) {
  Metadata md;
  md.table("user")
      .column("id", Integer{}, primary_key.named("pk_user"))
      .column("fingerprint", String(64), unique.named("uq_user_fingerprint"))
      .column("username", String(100), nullable)
      .column("karma", Integer{}, server_default("0"))
      .index("ix_user_username", {"username"});
  VerifyOptions o;
  o.metadata = &md;
  o.checks = {Check::model_match};
  o.compare.ignore_tables = {"post", "comment"};
  VerifyReport report = run(data("good/versions"), o);
  const CheckResult* m = report.find(Check::model_match);
  ASSERT_NE(m, nullptr);
  // On PostgreSQL a model's single integer primary key is an identity column; the
  // hand-written history says plain INTEGER, and model_match says exactly that.
  std::size_t pg_extra = GetParam() == "postgresql" ? 1 : 0;
  if (pg_extra) {
    ASSERT_THAT(m->differences, SizeIs(1)) << render_text(report);
    EXPECT_EQ(m->differences[0].kind, Difference::Kind::identity_changed);
    EXPECT_EQ(m->differences[0].table, "user");
    EXPECT_EQ(m->differences[0].object, "id");
  } else {
    EXPECT_EQ(m->status, Status::ok) << render_text(report);
  }

  Metadata wrong = md;
  wrong.table("extra").column("id", Integer{}, primary_key);
  o.metadata = &wrong;
  auto db = fresh();
  History h = load_history(data("good/versions"));
  VerifyReport failing = verify(db->connection(), h, o);
  m = failing.find(Check::model_match);
  EXPECT_EQ(m->status, Status::failed);
  ASSERT_THAT(m->differences, SizeIs(1 + pg_extra));
  EXPECT_EQ(m->differences[0].kind, Difference::Kind::table_added);
  EXPECT_EQ(m->differences[0].table, "extra");
}

TEST_P(VerifyTest, RefusesADatabaseThatIsNotEmpty) {
  conn().execute("CREATE TABLE keep_me (id INTEGER)");
  EXPECT_THROW(run(data("good/versions")), state_error);
  EXPECT_EQ(conn().scalar("SELECT count(*) FROM keep_me").as_int(), 0) << "still there";
}

TEST_P(VerifyTest, JUnitReportHasACasePerRevisionAndCheck) {
  VerifyReport report = run(data("forgets_index"));
  std::string xml = render_junit(report);
  EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(
      xml, HasSubstr("<testsuite name=\"migtest.verify.round_trip\" tests=\"3\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("name=\"1f0000000002 Add karma and index fingerprints\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"downgrade left a trace\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"migtest.verify.history\" tests=\"3\""));
  std::size_t cases = 0;
  for (std::size_t p = 0; (p = xml.find("<testcase ", p)) != std::string::npos; ++p) ++cases;
  EXPECT_EQ(cases, 3u * 3u /* upgrade, round_trip, lint */ + 3u /* history */);
}

INSTANTIATE_TEST_SUITE_P(Backends, VerifyTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return std::string(p.param); });

// ---------------------------------------------------------------------------
// Without a database

TEST(Verify, ChecksParseAndPrint) {
  EXPECT_EQ(parse_check("round-trip"), Check::round_trip);
  EXPECT_EQ(parse_check("model_match"), Check::model_match);
  EXPECT_EQ(to_string(Check::full_cycle), "full_cycle");
  try {
    parse_check("roundtrip");
    FAIL();
  } catch (const config_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown check 'roundtrip' (checks: single_head, upgrade"));
  }
}

TEST(Verify, SeedFilesAreParsedWithLinesAndErrors) {
  std::vector<Seed> seeds = load_seeds(data("good/seeds"));
  ASSERT_THAT(seeds, SizeIs(2));
  EXPECT_EQ(seeds[0].revision, "3f1c9a0b2e7d");
  EXPECT_EQ(seeds[0].line, 3);
  EXPECT_EQ(seeds[0].expect, "SELECT id, fingerprint FROM \"user\" ORDER BY id");
  EXPECT_THAT(seeds[0].sql, HasSubstr("INSERT INTO \"user\""));

  const test::TempDir dir("migtest-verify-seeds");
  dir.write("abc.sql", "-- migtest:seed\nINSERT INTO t VALUES (1);\n");
  try {
    load_seeds(dir.string());
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_THAT(e.what(), HasSubstr("no -- migtest:expect"));
  }
  dir.write("abc.sql",
            "-- migtest:revision x1\n-- migtest:seed\nINSERT INTO t VALUES (1);\n"
            "-- migtest:expect\nSELECT 1;\n-- migtest:bogus\n");
  try {
    load_seeds(dir.string());
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_EQ(e.line(), 6);
  }
  boost::filesystem::remove_all(dir.path());
  EXPECT_THROW(load_seeds(dir.string()), config_error);
}

TEST(Verify, ScratchSqliteDatabaseLeavesNothingBehind) {
  std::string file;
  {
    detail::ScratchDatabase db;
    file = db.location();
    db.connection().execute("CREATE TABLE t (id INTEGER)");
    EXPECT_TRUE(boost::filesystem::exists(file));
    EXPECT_EQ(db.connection().scalar("PRAGMA synchronous").as_int(), 0);
  }
  EXPECT_FALSE(boost::filesystem::exists(file));
}

TEST(Verify, ScratchPostgresDatabaseIsDropped) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  std::string name;
  {
    detail::ScratchDatabase db(url);
    name = db.location();
    EXPECT_EQ(db.dialect(), migtest::Dialect::postgresql);
    EXPECT_EQ(db.connection().scalar("SELECT current_database()").as_text(), name);
  }
  auto admin = connect(url);
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).as_int(),
            0);
}

// Diesel's versions are 14 digits sharing their first 9 within a day: a cut id named two
// revisions ("201812171..."). The report prints every id whole.
TEST(VerifyReportText, PrintsEveryIdWhole) {
  VerifyReport report;
  report.dialect = Dialect::sqlite;
  for (const std::string id : {"20181217123456", "20181217999999"}) {
    RevisionResult r;
    r.revision.id = id;
    r.revision.message = "create posts";
    r.up_ms = 1;
    CheckResult up;
    up.check = Check::upgrade;
    r.checks.push_back(up);
    report.revisions.push_back(r);
  }
  const std::string text = render_text(report);
  EXPECT_THAT(text, HasSubstr("20181217123456  create posts"));
  EXPECT_THAT(text, HasSubstr("20181217999999  create posts"));
  EXPECT_THAT(render_revision(report.revisions[0]), ::testing::Not(HasSubstr("...")));
}

}  // namespace
}  // namespace migtest
