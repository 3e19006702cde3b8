// The version table as a record that cannot lie: checksums of what was applied, revisions
// missing or skipped, dirty revisions, tables of migtest 0.1 upgraded in place, and commands
// that read or are refused writing nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/runner.hpp"
#include "support/files.hpp"
#include "support/revisions.hpp"
#include "support/scratch.hpp"

using migtest::IntegrityProblem;
using migtest::test::has_table;
using migtest::test::no_transaction;
using migtest::test::revision_file;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/runner/" + name;
}

std::vector<IntegrityProblem::Kind> kinds(const std::vector<IntegrityProblem>& problems) {
  std::vector<IntegrityProblem::Kind> out;
  for (const auto& p : problems) out.push_back(p.kind);
  return out;
}

// A two-revision history in a folder the test can edit: 000000000001 creates t1, 000000000002 t2.
struct TwoRevisions {
  migtest::test::TempDir dir{"migtest-integrity"};
  TwoRevisions() {
    dir.write("versions/000000000001_t1.sql",
              revision_file("000000000001", "", "CREATE TABLE t1 (x INTEGER);", "DROP TABLE t1;"));
    dir.write("versions/000000000002_t2.sql",
              revision_file("000000000002", "000000000001", "CREATE TABLE t2 (x INTEGER);",
                            "DROP TABLE t2;"));
  }
  std::string versions() const { return dir / "versions"; }
  migtest::History load() const { return migtest::load_history(versions()); }
};

class IntegrityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(IntegrityTest, EachAppliedRevisionIsRecordedWithItsChecksum) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  runner.upgrade("head");
  auto rows = runner.applied();
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_EQ(row.checksum, history.script(row.revision).checksum) << row.revision;
    EXPECT_EQ(row.applied_at.size(), 20u) << row.applied_at;  // 2026-12-03T12:00:00Z
    EXPECT_FALSE(row.dirty);
    EXPECT_EQ(row.head, row.revision == "3c4d5e6f7a03");
  }
  EXPECT_TRUE(runner.validate().empty());
  runner.downgrade("-1");
  EXPECT_EQ(runner.applied().size(), 2u);
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
}

TEST_P(IntegrityTest, AnEditedRevisionStopsEveryMigrationUntilRepaired) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  TwoRevisions h;
  {
    auto history = h.load();
    migtest::Runner(*c, history).upgrade("000000000001");
  }
  const auto file = h.dir.write(
      "versions/000000000001_t1.sql",
      revision_file("000000000001", "", "CREATE TABLE t1 (x BIGINT);", "DROP TABLE t1;"));
  auto history = h.load();
  migtest::Runner runner(*c, history);
  const std::string recorded = runner.applied().at(0).checksum;
  try {
    runner.upgrade("head");
    FAIL() << "an edited revision must stop the upgrade";
  } catch (const migtest::integrity_error& e) {
    const std::string what = e.what();
    EXPECT_THAT(what, HasSubstr(file.generic_string() + " was applied with checksum " +
                                recorded.substr(0, 12)));
    EXPECT_THAT(what, HasSubstr("the file now has " +
                                history.script("000000000001").checksum.substr(0, 12)));
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].recorded, recorded);
    EXPECT_EQ(e.problems()[0].actual, history.script("000000000001").checksum);
  }
  EXPECT_FALSE(has_table(*c, "t2"));  // refused before anything ran
  EXPECT_THROW(runner.downgrade("base"), migtest::integrity_error);
  EXPECT_TRUE(has_table(*c, "t1"));
  EXPECT_THAT(kinds(runner.validate()), ElementsAre(IntegrityProblem::Kind::edited));

  auto repaired = runner.repair();
  ASSERT_EQ(repaired.size(), 1u);
  EXPECT_THAT(repaired[0], HasSubstr("000000000001_t1.sql"));
  EXPECT_TRUE(runner.validate().empty());
  EXPECT_EQ(runner.upgrade("head").size(), 1u);
}

TEST_P(IntegrityTest, ARecordedRevisionNoFileDefinesIsMissing) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  TwoRevisions h;
  {
    auto history = h.load();
    migtest::Runner(*c, history).upgrade("head");
  }
  boost::filesystem::remove(h.dir / "versions/000000000002_t2.sql");
  auto history = h.load();
  migtest::Runner runner(*c, history);
  try {
    runner.upgrade("head");
    FAIL();
  } catch (const migtest::integrity_error& e) {
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("the database is at 000000000002, which no revision defines"));
  }
  EXPECT_THAT(kinds(runner.validate()), ElementsAre(IntegrityProblem::Kind::missing));
  EXPECT_THAT(runner.mark_not_applied("000000000002"), HasSubstr("removed 000000000002"));
  EXPECT_THAT(runner.current(), ElementsAre("000000000001"));
  EXPECT_TRUE(runner.validate().empty());
}

TEST_P(IntegrityTest, ARevisionAddedBelowAppliedOnesIsRefusedThenAppliedOnRequest) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::test::TempDir dir("migtest-ooo");
  dir.write("m/1_a.up.sql", "CREATE TABLE a (x INTEGER);");
  dir.write("m/1_a.down.sql", "DROP TABLE a;");
  dir.write("m/3_c.up.sql", "CREATE TABLE c (x INTEGER);");
  dir.write("m/3_c.down.sql", "DROP TABLE c;");
  {
    auto history = migtest::load_history(dir / "m");
    migtest::Runner(*c, history).upgrade("head");
  }
  const auto added = dir.write("m/2_b.up.sql", "CREATE TABLE b (x INTEGER);");
  dir.write("m/2_b.down.sql", "DROP TABLE b;");
  auto history = migtest::load_history(dir / "m");
  {
    migtest::Runner runner(*c, history);
    try {
      runner.upgrade("head");
      FAIL() << "a revision below applied ones must not be skipped silently";
    } catch (const migtest::integrity_error& e) {
      EXPECT_THAT(std::string(e.what()), HasSubstr("revision 2 (" + added.generic_string() +
                                                   ") was never applied, but 3 above it was"));
    }
    EXPECT_FALSE(has_table(*c, "b"));
    // A downgrade would run b's down although b never ran: refused before anything runs.
    EXPECT_THROW(runner.downgrade("base"), migtest::target_error);
    EXPECT_TRUE(has_table(*c, "c"));
  }
  migtest::RunOptions o;
  o.out_of_order = true;
  migtest::Runner runner(*c, history, o);
  auto steps = runner.upgrade("head");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].revision, "2");
  EXPECT_TRUE(has_table(*c, "b"));
  EXPECT_THAT(runner.current(), ElementsAre("3"));
  EXPECT_TRUE(runner.validate().empty());
  runner.downgrade("base");
  EXPECT_FALSE(has_table(*c, "a"));
}

TEST_P(IntegrityTest, AFailedRevisionOutsideATransactionIsDirtyUntilRepaired) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("notx"));
  migtest::Runner runner(*c, history);
  EXPECT_THROW(runner.upgrade("head"), migtest::migration_error);
  auto rows = runner.applied();
  ASSERT_EQ(rows.size(), 2u);
  const auto& dirty = rows[1];
  EXPECT_EQ(dirty.revision, "2b3c4d5e6f02");
  ASSERT_TRUE(dirty.dirty);
  EXPECT_EQ(*dirty.dirty, migtest::Direction::up);
  EXPECT_EQ(dirty.dirty_statement, 2);
  EXPECT_THAT(dirty.dirty_error, HasSubstr("no_such_table"));
  EXPECT_THAT(dirty.dirty_text(),
              HasSubstr("its upgrade failed at statement 2 outside a transaction"));
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));

  // Nothing runs over it: not again, not down, not a stamp.
  try {
    runner.upgrade("head");
    FAIL();
  } catch (const migtest::integrity_error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("revision 2b3c4d5e6f02 ("));
    EXPECT_THAT(std::string(e.what()), HasSubstr("is dirty"));
    EXPECT_THAT(std::string(e.what()), HasSubstr("migtest repair --applied 2b3c4d5e6f02"));
  }
  EXPECT_THROW(runner.downgrade("base"), migtest::integrity_error);
  EXPECT_THROW(runner.stamp("head"), migtest::integrity_error);
  EXPECT_TRUE(has_table(*c, "half"));

  // A person finished it by hand: recorded as applied, a head.
  c->execute("CREATE TABLE no_such_table (x INTEGER)");
  EXPECT_THAT(runner.mark_applied("2b3c"), HasSubstr("recorded 2b3c4d5e6f02"));
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
  EXPECT_TRUE(runner.validate().empty());
  EXPECT_EQ(runner.applied()[1].checksum, history.script("2b3c4d5e6f02").checksum);
}

TEST_P(IntegrityTest, ADirtyUpgradeUndoneByHandIsRemoved) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("notx"));
  migtest::Runner runner(*c, history);
  EXPECT_THROW(runner.upgrade("head"), migtest::migration_error);
  c->execute("DROP TABLE half");
  EXPECT_THAT(runner.mark_not_applied("2b3c4d5e6f02"), HasSubstr("it was dirty"));
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));
  EXPECT_EQ(runner.applied().size(), 1u);
  EXPECT_TRUE(runner.validate().empty());
}

TEST_P(IntegrityTest, AFailedDowngradeOutsideATransactionIsDirty) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::test::TempDir dir("migtest-dirty-down");
  dir.write("v/000000000001_a.sql",
            revision_file("000000000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  dir.write("v/000000000002_b.sql",
            revision_file("000000000002", "000000000001", "CREATE TABLE b (x INTEGER);",
                          "DROP TABLE b;\nDROP TABLE nope;", no_transaction));
  auto history = migtest::load_history(dir / "v");
  migtest::Runner runner(*c, history);
  runner.upgrade("head");
  EXPECT_THROW(runner.downgrade("-1"), migtest::migration_error);
  auto rows = runner.applied();
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[1].dirty);
  EXPECT_EQ(*rows[1].dirty, migtest::Direction::down);
  EXPECT_EQ(rows[1].dirty_statement, 2);
  EXPECT_THAT(runner.current(), ElementsAre("000000000002"));
  EXPECT_THROW(runner.upgrade("head"), migtest::integrity_error);
  runner.mark_not_applied("000000000002");
  EXPECT_THAT(runner.current(), ElementsAre("000000000001"));
}

TEST_P(IntegrityTest, AVersionTableOfMigtest01IsUpgradedInPlace) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  { migtest::Runner(*c, history).upgrade("2b3c"); }
  // What migtest 0.1 left: the heads alone.
  c->execute("DROP TABLE migtest_version");
  c->execute(
      "CREATE TABLE migtest_version (version_num VARCHAR(64) NOT NULL, CONSTRAINT "
      "migtest_version_pkc PRIMARY KEY "
      "(version_num))");
  c->execute("INSERT INTO migtest_version (version_num) VALUES ('2b3c4d5e6f02')");
  migtest::Runner runner(*c, history);
  EXPECT_THAT(runner.current(), ElementsAre("2b3c4d5e6f02"));
  auto notes = runner.validate();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].kind, IntegrityProblem::Kind::unrecorded);
  EXPECT_FALSE(notes[0].blocking());

  EXPECT_EQ(runner.upgrade("head").size(), 1u);
  auto rows = runner.applied();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].checksum, "");  // applied before checksums were recorded
  EXPECT_EQ(rows[1].checksum, "");
  EXPECT_EQ(rows[2].checksum, history.script("3c4d5e6f7a03").checksum);
  EXPECT_THAT(runner.current(), ElementsAre("3c4d5e6f7a03"));
  EXPECT_THAT(kinds(runner.validate()), ElementsAre(IntegrityProblem::Kind::unrecorded));
  EXPECT_EQ(runner.repair().size(), 2u);
  EXPECT_TRUE(runner.validate().empty());

  // The same columns, in the same order, as a table made new.
  MIGTEST_SCRATCH(fresh, GetParam());
  auto f = fresh.connect_to();
  migtest::Runner(*f, history).upgrade("head");
  EXPECT_EQ(c->query("SELECT * FROM migtest_version WHERE 1 = 0").columns,
            f->query("SELECT * FROM migtest_version WHERE 1 = 0").columns);
}

TEST_P(IntegrityTest, ReadingTheVersionTableCreatesNothing) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  EXPECT_TRUE(runner.current().empty());
  EXPECT_TRUE(runner.applied().empty());
  EXPECT_TRUE(runner.validate().empty());
  EXPECT_EQ(runner.plan_upgrade("head").size(), 3u);
  EXPECT_FALSE(has_table(*c, "migtest_version"));
}

TEST_P(IntegrityTest, ARefusedUpgradeWritesNothing) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::test::TempDir dir("migtest-two-heads");
  dir.write("v/000000000001_a.sql",
            revision_file("000000000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"));
  dir.write("v/000000000002_b.sql",
            revision_file("000000000002", "000000000001", "CREATE TABLE b (x INTEGER);", ""));
  dir.write("v/000000000003_c.sql",
            revision_file("000000000003", "000000000001", "CREATE TABLE c (x INTEGER);", ""));
  auto history = migtest::load_history(dir / "v");
  migtest::Runner runner(*c, history);
  EXPECT_THROW(runner.upgrade("head"), migtest::multiple_heads_error);
  EXPECT_THROW(runner.upgrade("ffff"), migtest::graph_error);
  EXPECT_FALSE(has_table(*c, "migtest_version"));
  EXPECT_FALSE(has_table(*c, "a"));
}

TEST_P(IntegrityTest, StampRecordsWhatTheFilesHoldNow) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = migtest::load_history(data("linear"));
  migtest::Runner runner(*c, history);
  runner.stamp("head");
  auto rows = runner.applied();
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_EQ(row.checksum, history.script(row.revision).checksum);
  EXPECT_TRUE(runner.validate().empty());
  runner.stamp("1a2b");
  EXPECT_EQ(runner.applied().size(), 1u);
  EXPECT_THAT(runner.current(), ElementsAre("1a2b3c4d5e01"));
}

INSTANTIATE_TEST_SUITE_P(Backends, IntegrityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

}  // namespace
