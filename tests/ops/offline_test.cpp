// Offline SQL (`upgrade --sql`): C++ revisions rendered through an offline Operations, SQL
// revisions printed; the printed script, run by hand on an empty database, builds the same
// schema as the runner does; nothing touches the database it names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>

#include "migtest/dialect.hpp"
#include "migtest/ops.hpp"
#include "migtest/registry.hpp"
#include "migtest/runner.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

migtest::Registry& blog() {
  static migtest::Registry r = [] {
    migtest::Registry reg;
    reg.add(
        "0ff100000001", "", "Blog",
        [](migtest::Operations& op) {
          op.create_table("user",
                          {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                           migtest::column("username", migtest::String(50), migtest::nullable)});
          op.create_table("post", {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                                   migtest::column("author_id", migtest::Integer{},
                                                   migtest::foreign_key("user.id"))});
          op.bulk_insert("user", {"id", "username"}, {{1, "o'neil"}});
        },
        [](migtest::Operations& op) {
          op.drop_table("post");
          op.drop_table("user");
        });
    reg.add(
        "0ff100000002", "0ff100000001", "Display name",
        [](migtest::Operations& op) {
          op.add_column("user",
                        migtest::column("display_name", migtest::String(50), migtest::nullable));
          op.execute(R"(UPDATE "user" SET display_name = username WHERE id > $1)", {0});
          op.alter_column("user", "display_name", migtest::alter().nullable(false));
        },
        [](migtest::Operations& op) { op.drop_column("user", "display_name"); });
    return reg;
  }();
  return r;
}

std::string script(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + (l.rfind("--", 0) == 0 ? "\n" : ";\n");
  return out;
}

class OfflineTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OfflineTest, PrintedScriptBuildsWhatTheRunnerBuilds) {
  const std::string dialect = GetParam();
  MIGTEST_SCRATCH(by_runner, dialect);
  MIGTEST_SCRATCH(by_script, dialect);
  migtest::History h = migtest::load_history(blog());
  std::vector<std::string> lines =
      migtest::offline_sql(h, migtest::parse_dialect(dialect), {}, "head");
  EXPECT_THAT(lines,
              Contains(HasSubstr("-- Running upgrade 0ff100000001 -> 0ff100000002, Display name")));
  EXPECT_THAT(lines, Contains(R"(UPDATE "user" SET display_name = username WHERE id > 0)"));
  EXPECT_THAT(lines, Contains(HasSubstr("'o''neil'")));
  // The version table gets the revision with its checksum, as the runner records it.
  EXPECT_THAT(lines,
              Contains(StartsWith(
                  R"(INSERT INTO "migtest_version" (version_num, checksum, applied_at, )"
                  R"(is_head, dirty, dirty_statement, dirty_error) VALUES ('0ff100000002', ')" +
                  h.script("0ff100000002").checksum + "'")));
  EXPECT_THAT(
      lines,
      Contains(R"(UPDATE "migtest_version" SET is_head = 0 WHERE version_num = '0ff100000001')"));
  if (dialect == "sqlite") {
    EXPECT_THAT(lines, Contains(HasSubstr("INSERT INTO \"_migtest_new_user\"")));  // the rebuild
    EXPECT_THAT(lines, Contains("PRAGMA foreign_keys = OFF"));  // user has children
  } else {
    EXPECT_THAT(lines, Contains(R"(ALTER TABLE "user" ALTER COLUMN "display_name" SET NOT NULL)"));
  }

  auto rc = by_runner.connect_to();
  migtest::Runner(*rc, h).upgrade("head");
  auto sc = by_script.connect_to();
  sc->execute_script(script(lines));
  EXPECT_EQ(migtest::reflect(*sc), migtest::reflect(*rc));
  EXPECT_EQ(sc->scalar(R"(SELECT display_name FROM "user")").as_text(), "o'neil");
  EXPECT_EQ(migtest::Runner(*sc, h).current(), std::vector<std::string>{"0ff100000002"});

  // And down again, from where the database stands.
  std::vector<std::string> down =
      migtest::offline_sql(h, migtest::parse_dialect(dialect), {"0ff100000002"}, "-1",
                           migtest::OfflineOptions{"migtest_version", migtest::Direction::down});
  migtest::Runner(*rc, h).downgrade("-1");
  sc->execute_script(script(down));
  EXPECT_EQ(migtest::reflect(*sc), migtest::reflect(*rc));
}

// bulk_insert's values printed as literals the dialect reads back to the same values: NULL,
// integers, reals to their last digit, quoted text, and blobs (X'..' / '\x..'::bytea).
TEST_P(OfflineTest, EveryKindOfValueIsPrintedAsTheDialectReadsItBack) {
  const std::string dialect = GetParam();
  migtest::Registry reg;
  reg.add(
      "0ff1000000b1", "", "Values",
      [](migtest::Operations& op) {
        op.create_table("v", {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                              migtest::column("r", migtest::Double{}, migtest::nullable),
                              migtest::column("b", migtest::Blob{}, migtest::nullable),
                              migtest::column("t", migtest::String(10), migtest::nullable)});
        op.bulk_insert(
            "v", {"id", "r", "b", "t"},
            {{1, 0.1, migtest::Blob{{0x00, 0xab, 0xff}}, nullptr}, {2, nullptr, nullptr, "it's"}});
      },
      [](migtest::Operations& op) { op.drop_table("v"); });
  migtest::History h = migtest::load_history(reg);
  const std::vector<std::string> lines =
      migtest::offline_sql(h, migtest::parse_dialect(dialect), {}, "head");
  EXPECT_THAT(lines, Contains(HasSubstr(dialect == "sqlite" ? "X'00ABFF'" : "'\\x00abff'::bytea")));
  MIGTEST_SCRATCH(db, dialect);
  auto c = db.connect_to();
  c->execute_script(script(lines));
  EXPECT_EQ(c->scalar("SELECT r FROM v WHERE id = 1").as_real(), 0.1);
  EXPECT_EQ(c->scalar("SELECT b FROM v WHERE id = 1").as_blob(),
            (migtest::Blob{{0x00, 0xab, 0xff}}));
  EXPECT_TRUE(c->scalar("SELECT t FROM v WHERE id = 1").is_null());
  EXPECT_EQ(c->scalar("SELECT t FROM v WHERE id = 2").as_text(), "it's");
  EXPECT_TRUE(c->scalar("SELECT b FROM v WHERE id = 2").is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, OfflineTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(Offline, CodeThatReadsTheDatabaseIsSaidNotRendered) {
  migtest::Registry reg;
  reg.add("0ff100000003", "", "Reads", [](migtest::Operations& op) {
    op.create_table("t", {migtest::column("id", migtest::Integer{}, migtest::primary_key)});
    if (!op.is_offline()) op.execute("SELECT 1");
    auto n = op.connection().scalar("SELECT count(*) FROM t");
    op.execute("INSERT INTO t VALUES ($1)", {n.as_int() + 1});
  });
  migtest::History h = migtest::load_history(reg);
  for (std::string dialect : {"sqlite", "postgresql"}) {
    std::vector<std::string> lines =
        migtest::offline_sql(h, migtest::parse_dialect(dialect), {}, "head");
    EXPECT_THAT(lines, Contains(HasSubstr("CREATE TABLE \"t\""))) << dialect;
    EXPECT_THAT(
        lines,
        Contains(HasSubstr("reads the database (op.connection()), which cannot be rendered")))
        << dialect;
    EXPECT_THAT(lines, Not(Contains(HasSubstr("INSERT INTO t")))) << dialect;
  }
}

TEST(Offline, UpgradeSqlTouchesNoDatabase) {
  namespace fs = boost::filesystem;
  const migtest::test::TempDir dir("migtest-offline");
  dir.write("versions/0ff100000010_users.sql",
            "-- revision: 0ff100000010\n-- down_revision: none\n-- message: Users\n"
            "-- migrate:up\nCREATE TABLE \"user\" (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP "
            "TABLE \"user\";\n");
  std::string url = "sqlite:///" + (dir / "app.db");
  auto o = migtest::test::run_migtest(
      "--url " + migtest::test::shell_quote(url) + " --migrations versions upgrade head --sql",
      dir.path());
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("CREATE TABLE \"user\" (id INTEGER PRIMARY KEY);"));
  EXPECT_THAT(o.out, HasSubstr("BEGIN;"));
  EXPECT_THAT(
      o.out,
      HasSubstr(
          "INSERT INTO \"migtest_version\" (version_num, checksum, applied_at, is_head, dirty, "
          "dirty_statement, dirty_error) VALUES ('0ff100000010', '"));
  EXPECT_FALSE(fs::exists(dir / "app.db"));
  auto ranged =
      migtest::test::run_migtest("--url " + migtest::test::shell_quote(url) +
                                     " --migrations versions downgrade 0ff100000010:base --sql",
                                 dir.path());
  EXPECT_EQ(ranged.code, 0) << ranged.err;
  EXPECT_THAT(ranged.out, HasSubstr("DROP TABLE \"user\";"));
}

}  // namespace
