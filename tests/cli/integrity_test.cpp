// History that cannot lie, through the real binary: edited revisions refused with both
// checksums, validate and repair, dirty revisions (a kill -9 included), revisions added below
// applied ones, and commands that read or are refused creating nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/connection.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/revisions.hpp"
#include "support/scratch.hpp"

using migtest::test::no_transaction;
using migtest::test::revision_file;
using migtest::test::revision_headers;
using migtest::test::run_migtest;
using migtest::test::shell_quote;
using migtest::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = boost::filesystem;

std::string simple(const std::string& id, const std::string& parent, const std::string& table) {
  return revision_file(id, parent, "CREATE TABLE " + table + " (x INTEGER);",
                       "DROP TABLE " + table + ";");
}

// `--url U --migrations DIR ` for a command line.
std::string on(const std::string& url, const fs::path& versions) {
  return "--url " + shell_quote(url) + " --migrations " + shell_quote(versions.string()) + " ";
}

class CliIntegrityTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CliIntegrityTest, AnEditedRevisionIsRefusedNamingTheFileAndBothChecksums) {
  MIGTEST_SCRATCH(db, GetParam());
  TempDir dir("migtest-cli-integrity");
  const auto first = dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  dir.write("v/000000000002_b.sql", simple("000000000002", "000000000001", "b"));
  const std::string cmd = on(db.url(), dir / "v");
  ASSERT_EQ(run_migtest(cmd + "upgrade 000000000001", dir.path()).code, 0);
  auto shown = run_migtest(cmd + "show 000000000001", dir.path());
  const std::string before = shown.out.substr(shown.out.find("Checksum: ") + 10, 12);

  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a_renamed"));
  auto r = run_migtest(cmd + "upgrade head", dir.path());
  EXPECT_EQ(r.code, 1) << r.err;
  shown = run_migtest(cmd + "show 000000000001", dir.path());
  const std::string after = shown.out.substr(shown.out.find("Checksum: ") + 10, 12);
  EXPECT_THAT(
      r.err, HasSubstr("error: " + first.generic_string() + " was applied with checksum " + before +
                       ", the file now has " + after + ": an applied revision was edited"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;        // one line
  EXPECT_EQ(run_migtest(cmd + "current", dir.path()).out, "000000000001\n");  // nothing ran

  r = run_migtest(cmd + "validate", dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("error: " + first.generic_string() + " was applied with checksum"));
  EXPECT_THAT(r.out,
              HasSubstr("1 problem: upgrade and downgrade refuse to run until they are resolved"));

  r = run_migtest(cmd + "repair", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("re-recorded checksum of " + first.generic_string() + ": " + before +
                               " -> " + after));
  r = run_migtest(cmd + "validate", dir.path());
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("ok: 1 applied revision matches the history"));
  EXPECT_EQ(run_migtest(cmd + "upgrade head", dir.path()).code, 0);
  EXPECT_EQ(run_migtest(cmd + "current", dir.path()).out, "000000000002\n");
}

TEST_P(CliIntegrityTest, CurrentShowsADirtyRevisionAndRepairResolvesIt) {
  MIGTEST_SCRATCH(db, GetParam());
  TempDir dir("migtest-cli-dirty");
  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  dir.write("v/000000000002_b.sql",
            revision_file("000000000002", "000000000001",
                          "CREATE TABLE half (x INTEGER);\nINSERT INTO nowhere VALUES (1);",
                          "DROP TABLE half;", no_transaction));
  const std::string cmd = on(db.url(), dir / "v");
  auto r = run_migtest(cmd + "upgrade head", dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("may be partly applied"));
  r = run_migtest(cmd + "current", dir.path());
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(
      r.out,
      HasSubstr("000000000001 (revision 000000000002 is dirty: its upgrade failed at statement 2 "
                "outside a transaction: "));
  r = run_migtest(cmd + "upgrade head", dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("migtest repair --applied 000000000002"));
  r = run_migtest(cmd + "repair --not-applied 000000000002", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("removed 000000000002 from the version table; it was dirty"));
  EXPECT_EQ(run_migtest(cmd + "current", dir.path()).out, "000000000001\n");
}

TEST_P(CliIntegrityTest, AKillInsideARevisionOutsideATransactionLeavesItDirty) {
  MIGTEST_SCRATCH(db, GetParam());
  TempDir dir("migtest-cli-kill");
  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  // Statement 2 runs for a long time: the process is killed inside it.
  dir.write(
      "v/000000000002_slow.sql",
      revision_headers("000000000002", "000000000001", "r000000000002", no_transaction) +
          "-- migrate:up sqlite\nCREATE TABLE partial (x INTEGER);\n"
          "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
          "SELECT count(*) FROM c;\n"
          "-- migrate:up postgresql\nCREATE TABLE partial (x INTEGER);\nSELECT pg_sleep(60);\n"
          "-- migrate:down\nDROP TABLE partial;\n");
  migtest::test::Process upgrade(MIGTEST_EXE, on(db.url(), dir / "v") + "upgrade head");
  ASSERT_GT(upgrade.pid(), 0);
  auto c = db.connect_to();
  const bool inside = upgrade.wait_until(
      [&] {
        try {
          return c->scalar(
                      "SELECT count(*) FROM migtest_version WHERE version_num = '000000000002' AND "
                      "dirty = 'upgrade'")
                         .as_int() == 1 &&
                 c->query("SELECT x FROM partial").columns.size() == 1;
        } catch (const migtest::database_error&) {
          return false;  // not there yet
        }
      },
      30);
  ASSERT_TRUE(inside) << "the revision never reached its second statement";
  upgrade.kill();
  c.reset();

  const std::string cmd = on(db.url(), dir / "v");
  auto r = run_migtest(cmd + "current", dir.path());
  EXPECT_THAT(r.out,
              HasSubstr("000000000001 (revision 000000000002 is dirty: its upgrade started at "));
  EXPECT_THAT(r.out, HasSubstr("did not finish (was the process killed?)"));
  r = run_migtest(cmd + "upgrade head", dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("is dirty"));
}

TEST_P(CliIntegrityTest, ARevisionAddedBelowAppliedOnesNeedsOutOfOrder) {
  MIGTEST_SCRATCH(db, GetParam());
  TempDir dir("migtest-cli-ooo");
  dir.write("m/20240101000000_a.sql",
            "-- migrate:up\nCREATE TABLE a (x INTEGER);\n-- migrate:down\nDROP TABLE a;\n");
  dir.write("m/20240301000000_c.sql",
            "-- migrate:up\nCREATE TABLE c (x INTEGER);\n-- migrate:down\nDROP TABLE c;\n");
  const std::string cmd = on(db.url(), dir / "m");
  ASSERT_EQ(run_migtest(cmd + "upgrade head", dir.path()).code, 0);
  const auto added =
      dir.write("m/20240201000000_b.sql",
                "-- migrate:up\nCREATE TABLE b (x INTEGER);\n-- migrate:down\nDROP TABLE b;\n");
  auto r = run_migtest(cmd + "upgrade head", dir.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("revision 20240201000000 (" + added.generic_string() +
                               ") was never applied, but 20240301000000 above it was"));
  EXPECT_THAT(r.err, Not(HasSubstr("Already at")));
  r = run_migtest(cmd + "upgrade head --out-of-order", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Running upgrade (out of order) 20240201000000"));
  EXPECT_EQ(run_migtest(cmd + "validate", dir.path()).code, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CliIntegrityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

TEST(CliReadOnly, CommandsThatReadCreateNoDatabaseFile) {
  TempDir dir("migtest-cli-read");
  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  const auto schema = dir.write("schema.sql", "CREATE TABLE a (x INTEGER);\n");
  const std::string url = "sqlite:///" + (dir / "app.db");
  const std::string cmd = on(url, dir / "v");
  for (const std::string& args :
       {std::string("current"), std::string("validate"), std::string("history -i"),
        std::string("upgrade head --sql"), std::string("schema"),
        std::string("check --live --schema ") + shell_quote(schema.string()),
        std::string("diff ") + shell_quote(url) + " " + shell_quote(url)}) {
    auto r = run_migtest(cmd + args, dir.path());
    EXPECT_FALSE(fs::exists(dir / "app.db"))
        << args << " created the database file; it said: " << r.err;
  }
  EXPECT_THAT(run_migtest(cmd + "current", dir.path()).err, HasSubstr("does not exist yet"));
}

TEST(CliReadOnly, RefusedCommandsCreateNoDatabaseFile) {
  TempDir dir("migtest-cli-refused");
  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  dir.write("v/000000000002_b.sql", simple("000000000002", "000000000001", "b"));
  dir.write("v/000000000003_c.sql", simple("000000000003", "000000000001", "c"));
  dir.mkdir("empty");
  const std::string url = "sqlite:///" + (dir / "app.db");
  struct Case {
    std::string args;
    int code;
  };
  for (const Case& k :
       {Case{on(url, dir / "v") + "upgrade head", 2}, Case{on(url, dir / "v") + "upgrade ffff", 2},
        Case{on(url, dir / "v") + "downgrade -1", 2},
        Case{on(url, dir / "empty") + "upgrade head", 2},
        Case{on(url, dir / "v") + "stamp base", 0}}) {
    auto r = run_migtest(k.args, dir.path());
    EXPECT_EQ(r.code, k.code) << k.args << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "app.db")) << k.args << " created the database file";
  }
}

TEST(CliReadOnly, ReadingAPostgresDatabaseCreatesNoVersionTable) {
  MIGTEST_SCRATCH(db, "postgresql");
  TempDir dir("migtest-cli-read-pg");
  dir.write("v/000000000001_a.sql", simple("000000000001", "", "a"));
  const std::string cmd = on(db.url(), dir / "v");
  for (const char* args : {"current", "validate", "history -i", "upgrade head --sql"}) {
    EXPECT_EQ(run_migtest(cmd + args, dir.path()).code, 0) << args;
  }
  auto c = db.connect_to();
  EXPECT_EQ(c->scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").as_int(), 0);
}

}  // namespace
