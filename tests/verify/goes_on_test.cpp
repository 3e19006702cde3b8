// verify checks every revision whatever fails before it: after a failure that leaves the
// database where no deploy would, the walk goes on from a fresh database of the same backend
// brought to where it stood; only revisions that need a revision whose upgrade failed are
// "not run". An empty down script is "no downgrade", irreversible where the layout means
// that. Every test runs on SQLite and on PostgreSQL (scripts/with-postgres).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "migtest/metadata.hpp"
#include "migtest/operations.hpp"
#include "migtest/registry.hpp"
#include "migtest/verify.hpp"
#include "support/postgres.hpp"
#include "support/revisions.hpp"
#include "verify/history_files.hpp"
#include "verify/scratch.hpp"

namespace migtest {
namespace {

using test::long_id;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/verify/" + name;
}

class GoesOnTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      MIGTEST_REQUIRE_POSTGRES_URL(url);
      backend_ = url;
    }
  }
  // An empty database handed to verify(Connection&) with no fresh_database.
  std::unique_ptr<detail::ScratchDatabase> scratch() const {
    return std::make_unique<detail::ScratchDatabase>(backend_);
  }

  std::string backend_;  // "" = SQLite
};

TEST_P(GoesOnTest, EveryRevisionOfALongHistoryIsVerifiedWhateverFailsBeforeIt) {
  test::TempDir dir;
  test::write_long_history(dir);
  History h = load_history(dir.string());
  VerifyReport report = verify(backend_, h);
  ASSERT_THAT(report.revisions, SizeIs(test::kLongHistory));
  for (int k = 1; k <= test::kLongHistory; ++k) {
    const RevisionResult& r = report.revisions[k - 1];
    SCOPED_TRACE(r.revision.id);
    ASSERT_EQ(r.revision.id, long_id(k));
    EXPECT_EQ(r.find(Check::upgrade)->status, Status::ok);
    const CheckResult* rt = r.find(Check::round_trip);
    ASSERT_NE(rt, nullptr);
    if (k == test::kFailingDown || k == test::kPartialDown) {
      EXPECT_EQ(rt->status, Status::failed);
      EXPECT_EQ(rt->summary, "downgrade failed");
    } else if (k == test::kForgetsIndex) {
      EXPECT_EQ(rt->status, Status::failed);
      EXPECT_EQ(rt->summary, "downgrade left a trace");
      EXPECT_THAT(rt->details.at(0), HasSubstr("index ix_t1_v on t1: after downgrade"));
    } else if (k == test::kEmptyDown) {
      EXPECT_EQ(rt->status, Status::skipped);
      EXPECT_EQ(rt->skip_reason, SkipReason::no_downgrade);
      EXPECT_EQ(r.status(), Status::ok);
    } else {
      EXPECT_EQ(r.status(), Status::ok) << render_revision(r);
      EXPECT_EQ(rt->status, Status::ok);
    }
  }
  EXPECT_EQ(report.failed_revisions(), 3u);
  // The failing down of 3 was rolled back: the database stayed where the upgrade left it.
  // The forgotten index (10) and the half-run down (25) each moved the walk to a new one.
  EXPECT_EQ(report.rebuilds, 2);
  std::string summary = render_summary(report);
  EXPECT_THAT(summary, HasSubstr("40 revisions: 37 ok, 3 failed, 1 with no downgrade"));
  EXPECT_THAT(summary, Not(HasSubstr("not run")));
  const CheckResult* cycle = report.find(Check::full_cycle);
  EXPECT_EQ(cycle->status, Status::failed);
  EXPECT_EQ(cycle->summary,
            fmt::format("downgrade of {} failed on the way down", long_id(test::kPartialDown)));
  EXPECT_EQ(report.find(Check::single_head)->status, Status::ok);
}

TEST_P(GoesOnTest, WithoutFreshDatabasesTheWalkEmptiesItsOwnAndSaysWhatCouldNotRun) {
  test::TempDir dir;
  test::write_long_history(dir);
  History h = load_history(dir.string());
  auto db = scratch();
  VerifyReport report = verify(db->connection(), h);  // no fresh_database: emptied in place
  ASSERT_THAT(report.revisions, SizeIs(test::kLongHistory));
  // Emptied in place, the database's session still holds revision 5's TEMP table: 5 does
  // not upgrade again, so what needs it cannot run, and each says so.
  const CheckResult* rt = report.revisions[test::kForgetsIndex - 1].find(Check::round_trip);
  EXPECT_THAT(
      rt->details.back(),
      HasSubstr(fmt::format("the walk goes on from this database emptied in place, where {} "
                            "did not upgrade again",
                            long_id(test::kTempTable))));
  EXPECT_THAT(rt->details.back(), HasSubstr("t5_scratch"));
  for (int k = test::kForgetsIndex + 1; k <= test::kLongHistory; ++k) {
    const RevisionResult& r = report.revisions[k - 1];
    ASSERT_EQ(r.status(), Status::skipped) << r.revision.id;
    EXPECT_EQ(r.checks.front().skip_reason, SkipReason::not_run);
    EXPECT_EQ(
        r.checks.front().summary,
        fmt::format("not run: it needs {}, which did not upgrade again on this database emptied "
                    "in place",
                    long_id(test::kTempTable)));
  }
  EXPECT_EQ(report.revisions[test::kForgetsIndex - 2].status(), Status::ok) << "verified before";

  // A fresh_database that fails falls back to the same: a history without such leftovers
  // goes on from the emptied database.
  VerifyOptions o;
  o.fresh_database = []() -> std::shared_ptr<Connection> { throw error("no server today"); };
  auto other = scratch();
  VerifyReport plain = verify(other->connection(), load_history(data("forgets_index")), o);
  EXPECT_EQ(plain.rebuilds, 1);
  EXPECT_EQ(plain.revisions.at(2).status(), Status::ok) << render_text(plain);
}

TEST_P(GoesOnTest, ARevisionThatDoesNotUpgradeAgainStopsOnlyWhatNeedsIt) {
  // Two branches from b1: b2 -> b3 -> b6 and b4 -> b5. b2's upgrade works twice only (it
  // spends a one-off token kept outside the database); b3's down forgets an index, so the
  // walk needs a new database at b3, where b2 does not upgrade a third time.
  int uses = 0;
  auto create = [](const std::string& table) {
    return [table](Operations& op) {
      op.execute(fmt::format("CREATE TABLE {} (id INTEGER NOT NULL PRIMARY KEY)", table));
    };
  };
  auto drop = [](const std::string& table) {
    return [table](Operations& op) { op.execute(fmt::format("DROP TABLE {}", table)); };
  };
  Registry reg;
  reg.add("b10000000001", "", "create a", create("a"), drop("a"));
  reg.add(
      "b10000000002", "b10000000001", "spend a token",
      [&uses, create](Operations& op) {
        if (++uses > 2) throw error("the token was spent");
        create("b")(op);
      },
      drop("b"));
  reg.add(
      "b10000000003", "b10000000002", "index a",
      [create](Operations& op) {
        create("c")(op);
        op.execute("CREATE INDEX ix_a_id ON a (id)");
      },
      drop("c"));
  reg.add("b10000000004", "b10000000001", "create d", create("d"), drop("d"));
  reg.add("b10000000005", "b10000000004", "create e", create("e"), drop("e"));
  reg.add("b10000000006", "b10000000003", "create f", create("f"), drop("f"));
  History h = load_history(reg);
  VerifyOptions o;
  o.heads = {"b10000000005", "b10000000006"};
  VerifyReport report = verify(backend_, h, o);
  ASSERT_THAT(report.revisions, SizeIs(6));
  EXPECT_EQ(report.revisions[2].revision.id, "b10000000003");
  const CheckResult* rt = report.revisions[2].find(Check::round_trip);
  EXPECT_EQ(rt->status, Status::failed);
  EXPECT_THAT(rt->details.back(),
              HasSubstr("the walk goes on from a new database, where b10000000002 did "
                        "not upgrade again"));
  EXPECT_THAT(rt->details.back(), HasSubstr("the token was spent"));
  // The other branch is verified after that; only what needs b2 is not run.
  EXPECT_EQ(report.revisions[3].status(), Status::ok) << render_text(report);
  EXPECT_EQ(report.revisions[4].status(), Status::ok) << render_text(report);
  const RevisionResult& f = report.revisions[5];
  EXPECT_EQ(f.status(), Status::skipped);
  EXPECT_EQ(f.checks.front().summary,
            "not run: it needs b10000000002, which did not upgrade again on a new database");
  EXPECT_EQ(report.find(Check::full_cycle)->summary,
            "not run: b10000000002 did not upgrade again on a new database");
  EXPECT_THAT(render_summary(report), HasSubstr("6 revisions: 4 ok, 1 failed, 1 not run"));
}

TEST_P(GoesOnTest, AnUpgradeLeftHalfDoneIsLeftBehindWithItsDatabase) {
  // 2 runs outside a transaction and fails after creating x; 3, on another branch from 1,
  // creates x too: it can only pass on a database without 2's half.
  test::TempDir dir;
  test::write_revision(dir, 1, "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE a;");
  test::write_revision(dir, 2,
                       "CREATE TABLE x (id INTEGER NOT NULL PRIMARY KEY);\n"
                       "INSERT INTO no_such_table (id) VALUES (1);",
                       "DROP TABLE x;", test::no_transaction);
  dir.write(
      fmt::format("{}_r3.sql", long_id(3)),
      test::revision_headers(long_id(3), long_id(1), "") +
          test::up_down("CREATE TABLE x (id INTEGER NOT NULL PRIMARY KEY);", "DROP TABLE x;"));
  VerifyOptions o;
  o.heads = {long_id(2), long_id(3)};
  VerifyReport report = verify(backend_, load_history(dir.string()), o);
  ASSERT_THAT(report.revisions, SizeIs(3));
  EXPECT_EQ(report.revisions[1].find(Check::upgrade)->summary, "upgrade failed");
  EXPECT_EQ(report.rebuilds, 1);
  EXPECT_EQ(report.revisions[2].status(), Status::ok) << render_text(report);
  EXPECT_EQ(report.find(Check::full_cycle)->summary,
            fmt::format("not run: the upgrade of {} failed", long_id(2)));
}

TEST(GoesOn, ObjectsOutsideSchemasNeedAFreshDatabase) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  // A publication lives in the database, in no schema: dropping every schema leaves it,
  // and the history's first revision cannot create it again there.
  test::TempDir dir;
  test::write_revision(dir, 1,
                       "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY, v INTEGER);\n"
                       "CREATE PUBLICATION app_changes FOR TABLE a;",
                       "DROP PUBLICATION app_changes;\nDROP TABLE a;");
  test::write_revision(
      dir, 2, "CREATE TABLE b (id INTEGER NOT NULL PRIMARY KEY);\nCREATE INDEX ix_a_v ON a (v);",
      "DROP TABLE b;", "-- migtest:allow index_not_concurrent\n");
  test::write_revision(dir, 3, "CREATE TABLE c (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE c;");
  History h = load_history(dir.string());

  VerifyReport fresh = verify(url, h);
  EXPECT_EQ(fresh.rebuilds, 1);
  EXPECT_EQ(fresh.revisions.at(1).find(Check::round_trip)->summary, "downgrade left a trace");
  EXPECT_EQ(fresh.revisions.at(2).status(), Status::ok) << render_text(fresh);
  EXPECT_EQ(fresh.find(Check::full_cycle)->status, Status::ok) << render_text(fresh);

  detail::ScratchDatabase db(url);
  VerifyReport in_place = verify(db.connection(), h);
  EXPECT_THAT(in_place.revisions.at(1).find(Check::round_trip)->details.back(),
              HasSubstr("publication \"app_changes\" already exists"));
  EXPECT_EQ(in_place.revisions.at(2).status(), Status::skipped) << render_text(in_place);
}

TEST_P(GoesOnTest, EmptyDownsInForeignLayoutsAreNoDowngradeAndIrreversible) {
  const std::string table_b = "CREATE TABLE b (id INTEGER NOT NULL PRIMARY KEY);\n";
  struct Layout {
    const char* name;
    std::function<void(const test::TempDir&)> write;
    const char* down_file;  // the file the report names
    const char* second;     // the id of the revision with the empty down
  };
  auto simple = [](const char* table) {
    return fmt::format("CREATE TABLE {} (id INTEGER NOT NULL PRIMARY KEY);\n", table);
  };
  std::vector<Layout> layouts = {
      {"diesel",
       [&](const test::TempDir& d) {
         d.write("2024-01-01-000001_create_a/up.sql", simple("a"));
         d.write("2024-01-01-000001_create_a/down.sql", "DROP TABLE a;\n");
         d.write("2024-01-02-000001_create_b/up.sql", table_b);
         d.write("2024-01-02-000001_create_b/down.sql",
                 "-- This file should undo anything in `up.sql`\n");
         d.write("2024-01-03-000001_create_c/up.sql", simple("c"));
         d.write("2024-01-03-000001_create_c/down.sql", "DROP TABLE c;\n");
       },
       "2024-01-02-000001_create_b/down.sql", "20240102000001"},
      {"golang-migrate",
       [&](const test::TempDir& d) {
         d.write("1_create_a.up.sql", simple("a"));
         d.write("1_create_a.down.sql", "DROP TABLE a;\n");
         d.write("2_create_b.up.sql", table_b);
         d.write("2_create_b.down.sql", "");
         d.write("3_create_c.up.sql", simple("c"));
         d.write("3_create_c.down.sql", "DROP TABLE c;\n");
       },
       "2_create_b.down.sql", "2"},
      {"dbmate",
       [&](const test::TempDir& d) {
         d.write("20240101000001_create_a.sql",
                 "-- migrate:up\n" + simple("a") + "-- migrate:down\nDROP TABLE a;\n");
         d.write("20240101000002_create_b.sql",
                 "-- migrate:up\n" + table_b + "\n-- migrate:down\n\n");
         d.write("20240101000003_create_c.sql",
                 "-- migrate:up\n" + simple("c") + "-- migrate:down\nDROP TABLE c;\n");
       },
       "20240101000002_create_b.sql", "20240101000002"},
      {"goose",
       [&](const test::TempDir& d) {
         d.write("00001_create_a.sql",
                 "-- +goose Up\n" + simple("a") + "-- +goose Down\nDROP TABLE a;\n");
         d.write("00002_create_b.sql",
                 "-- +goose Up\n" + table_b + "-- +goose Down\n-- there is no way back\n");
         d.write("00003_create_c.sql",
                 "-- +goose Up\n" + simple("c") + "-- +goose Down\nDROP TABLE c;\n");
       },
       "00002_create_b.sql", "2"},
  };
  for (const Layout& l : layouts) {
    SCOPED_TRACE(l.name);
    test::TempDir dir;
    l.write(dir);
    History h = load_history(dir.string());
    ASSERT_EQ(h.layout(), l.name);
    VerifyReport report = verify(backend_, h);
    ASSERT_THAT(report.revisions, SizeIs(3));
    const RevisionResult& b = report.revisions[1];
    ASSERT_EQ(b.revision.id, l.second);
    const CheckResult* rt = b.find(Check::round_trip);
    EXPECT_EQ(rt->status, Status::skipped);
    EXPECT_EQ(rt->skip_reason, SkipReason::no_downgrade);
    EXPECT_THAT(rt->summary, HasSubstr("no downgrade: "));
    EXPECT_THAT(rt->summary,
                HasSubstr(std::string(l.down_file) + " holds no statement (irreversible)"));
    EXPECT_EQ(b.status(), Status::ok);
    EXPECT_TRUE(report.ok()) << render_text(report);
    EXPECT_EQ(report.revisions[2].find(Check::round_trip)->status, Status::ok);
    // Irreversible: the way down stops above it, as for a revision without a down file.
    EXPECT_EQ(report.find(Check::full_cycle)->summary,
              fmt::format("head -> {} (irreversible) -> head", l.second));
    std::string text = render_text(report);
    EXPECT_THAT(text, HasSubstr("(no downgrade)\n"));
    EXPECT_THAT(text, HasSubstr("3 revisions: 3 ok, 0 failed, 1 with no downgrade"));
    EXPECT_THAT(render_junit(report), HasSubstr("<skipped message=\"no downgrade: "));
  }
}

TEST_P(GoesOnTest, AnEmptyMigrateDownIsANoOpThatTheFullCycleChecks) {
  // In migtest's own files `-- migrate:down irreversible` says "no way back"; an empty
  // `-- migrate:down` is a reversible no-op, which here leaves table b behind.
  test::TempDir dir;
  test::write_revision(dir, 1, "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE a;");
  test::write_revision(dir, 2, "CREATE TABLE b (id INTEGER NOT NULL PRIMARY KEY);", "");
  test::write_revision(dir, 3, "CREATE TABLE c (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE c;");
  VerifyReport report = verify(backend_, load_history(dir.string()));
  const CheckResult* rt = report.revisions.at(1).find(Check::round_trip);
  EXPECT_EQ(rt->skip_reason, SkipReason::no_downgrade);
  EXPECT_THAT(rt->summary, HasSubstr("holds no statement (a no-op on the way down)"));
  EXPECT_EQ(report.failed_revisions(), 0u) << render_text(report);
  const CheckResult* cycle = report.find(Check::full_cycle);
  EXPECT_EQ(cycle->status, Status::failed);
  EXPECT_EQ(cycle->summary, "the way down to base left a trace");
  ASSERT_THAT(cycle->differences, SizeIs(1)) << render_text(report);
  EXPECT_EQ(cycle->differences[0].table, "b");
  EXPECT_THAT(cycle->details, ::testing::Contains(fmt::format(
                                  "the way down went through {}, whose -- migrate:down holds no "
                                  "statement: nothing was undone there",
                                  long_id(2))));
  // Back up, the no-op down's leftover is in the way of its own upgrade.
  EXPECT_THAT(cycle->details, ::testing::Contains(fmt::format(
                                  "upgrade of {} failed on the way back up", long_id(2))));
}

INSTANTIATE_TEST_SUITE_P(Backends, GoesOnTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return std::string(p.param); });

// ---------------------------------------------------------------------------
// Without a database

TEST(VerifyPlan, LeavesOutWhatHasNothingToCheck) {
  test::TempDir dir;
  test::write_revision(dir, 1, "CREATE TABLE a (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE a;");
  test::write_revision(dir, 2, "UPDATE a SET id = id;", "", "");
  dir.write(fmt::format("{}_r3.sql", long_id(3)),
            test::revision_headers(long_id(3), long_id(2), "") +
                "-- migrate:up\nDELETE FROM a;\n-- migrate:down irreversible\n");
  test::write_revision(dir, 4, "CREATE TABLE d (id INTEGER NOT NULL PRIMARY KEY);",
                       "DROP TABLE d;");
  History h = load_history(dir.string());
  VerifyOptions o;
  Seed s;
  s.revision = long_id(2);
  s.sql = "INSERT INTO a (id) VALUES (1);";
  s.expect = "SELECT id FROM a";
  s.until = long_id(3);
  o.seeds.push_back(s);
  VerifyPlan plan = plan_verify(h, o, Dialect::sqlite);
  ASSERT_THAT(plan.revisions, SizeIs(4));
  using C = Check;
  EXPECT_EQ(plan.revisions[0].checks, (std::vector<C>{C::upgrade, C::round_trip, C::lint}));
  EXPECT_EQ(plan.revisions[1].checks, (std::vector<C>{C::upgrade, C::data, C::lint}))
      << "no downgrade";
  EXPECT_EQ(plan.revisions[2].checks, (std::vector<C>{C::upgrade, C::data, C::lint}))
      << "irreversible";
  EXPECT_EQ(plan.revisions[3].checks, (std::vector<C>{C::upgrade, C::round_trip, C::lint}))
      << "seed over";
  EXPECT_EQ(plan.history, (std::vector<C>{C::single_head, C::full_cycle})) << "no models";

  Metadata md;
  o.metadata = &md;
  o.skip = {long_id(4)};
  o.min_downgrade = long_id(1);
  o.checks = {C::upgrade, C::round_trip, C::model_match};
  plan = plan_verify(h, o, Dialect::sqlite);
  EXPECT_EQ(plan.revisions[0].checks, (std::vector<C>{C::upgrade})) << "the floor";
  EXPECT_EQ(plan.revisions[3].checks, (std::vector<C>{C::upgrade})) << "the skip list";
  EXPECT_EQ(plan.history, (std::vector<C>{C::model_match}));

  o.skip = {"nope"};
  EXPECT_THROW(plan_verify(h, o, Dialect::sqlite), error);
}

TEST(VerifyPlan, CppRevisionsAreNotLinted) {
  Registry reg;
  reg.add(
      "c10000000001", "", "create a",
      [](Operations& op) { op.execute("CREATE TABLE a (id INTEGER)"); },
      [](Operations& op) { op.execute("DROP TABLE a"); });
  VerifyPlan plan = plan_verify(load_history(reg), {}, Dialect::postgresql);
  ASSERT_THAT(plan.revisions, SizeIs(1));
  EXPECT_EQ(plan.revisions[0].checks, (std::vector<Check>{Check::upgrade, Check::round_trip}));
}

}  // namespace
}  // namespace migtest
