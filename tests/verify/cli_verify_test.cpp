// `migtest verify` as a user runs it: the binary, its output, its exit code, its JUnit file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <sstream>

#include "migtest/connection.hpp"
#include "support/json.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "verify/history_files.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = boost::filesystem;

using migtest::test::Output;

// The binary's report and errors, in the one stream a user reads them in.
Output run(const std::string& args) {
  if (!fs::exists(MIGTEST_EXE)) {
    ADD_FAILURE() << MIGTEST_EXE << " is not built (build the migtest_exe target)";
    return {};
  }
  return migtest::test::run_program(MIGTEST_EXE, args, migtest::test::combined());
}

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/verify/" + name;
}

// The report of migtest::test::write_long_history: every revision has its line, the three
// planted failures fail, the empty down is "no downgrade", and nothing is "not run".
void expect_every_revision_verified(const Output& o) {
  using migtest::test::long_id;
  EXPECT_EQ(o.code, 1) << o.out;
  for (int k = 1; k <= migtest::test::kLongHistory; ++k) {
    std::string line_start = "\n  " + long_id(k) + "  r" + std::to_string(k);
    auto at = o.out.find(line_start);
    ASSERT_NE(at, std::string::npos) << long_id(k) << "\n" << o.out;
    std::string line = o.out.substr(at + 1, o.out.find('\n', at + 1) - at - 1);
    bool planted = k == migtest::test::kFailingDown || k == migtest::test::kForgetsIndex ||
                   k == migtest::test::kPartialDown;
    EXPECT_THAT(line, HasSubstr(planted ? " FAIL " : " ok ")) << line;
    if (k == migtest::test::kEmptyDown) {
      EXPECT_THAT(line, HasSubstr("(no downgrade)"));
    }
  }
  EXPECT_THAT(o.out,
              HasSubstr("FAIL downgrade failed:\n      downgrade of revision " + long_id(3)));
  EXPECT_THAT(o.out, HasSubstr("40 revisions: 37 ok, 3 failed, 1 with no downgrade"));
  EXPECT_THAT(o.out, ::testing::Not(HasSubstr("not run")));
}

TEST(CliVerify, PlantedFaultExitsOneWithTheObjectThatDiffers) {
  const migtest::test::TempDir dir("migtest-verify-cli");
  const std::string junit = dir / "report.xml";
  Output o = run("--migrations " + data("forgets_index") + " verify --junit " + junit);
  EXPECT_EQ(o.code, 1) << o.out;
  EXPECT_THAT(o.out, HasSubstr("verifying 3 revisions on sqlite (temporary database)\n"));
  EXPECT_THAT(o.out,
              HasSubstr("1f0000000002  Add karma and index finge... FAIL downgrade left a trace:\n"
                        "      index ix_user_fingerprint on user: after downgrade"));
  EXPECT_THAT(o.out, HasSubstr("3 revisions: 2 ok, 1 failed"));
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  EXPECT_THAT(xml.str(), HasSubstr("<failure message=\"downgrade left a trace\">"));
}

// A Diesel history whose versions share their first 9 digits: 20181217000002's down.sql fails
// at its line 2, 20181217000003's down.sql leaves an index behind.
void write_diesel_faults(const migtest::test::TempDir& dir) {
  dir.write("2018-12-17-000001_create_users/up.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  dir.write("2018-12-17-000001_create_users/down.sql", "DROP TABLE users;\n");
  dir.write("2018-12-17-000002_add_karma/up.sql", "ALTER TABLE users ADD COLUMN karma INTEGER;\n");
  dir.write("2018-12-17-000002_add_karma/down.sql",
            "-- PLANTED FAULT: no such table\nDROP TABLE no_such_table;\n");
  dir.write("2018-12-17-000003_index_email/up.sql",
            "-- migtest:allow index_not_concurrent\nCREATE INDEX ix_email ON users (email);\n"
            "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
  dir.write("2018-12-17-000003_index_email/down.sql", "DROP TABLE notes;\n");
}

std::string attribute_of(const std::string& xml, const std::string& testcase_start,
                         const std::string& attribute) {
  auto at = xml.find(testcase_start);
  if (at == std::string::npos) return "(no testcase " + testcase_start + ")";
  const std::string tag = xml.substr(at, xml.find('>', at) - at);
  auto a = tag.find(" " + attribute + "=\"");
  if (a == std::string::npos) return "(no " + attribute + ")";
  a += attribute.size() + 3;
  return tag.substr(a, tag.find('"', a) - a);
}

TEST(CliVerify, FailuresNameTheDownFileAndLineWithWholeIds) {
  const migtest::test::TempDir dir("migtest-verify-where");
  write_diesel_faults(dir);
  const std::string junit = dir / "report.xml";
  const std::string v2 = dir / "2018-12-17-000002_add_karma";
  const std::string v3 = dir / "2018-12-17-000003_index_email";
  Output o = run("--migrations " + dir.string() + " verify --junit " + junit);
  EXPECT_EQ(o.code, 1) << o.out;
  // Text: every id whole; the failed down names down.sql and its line, the leaky one too.
  EXPECT_THAT(o.out, HasSubstr("\n  20181217000002  "));
  EXPECT_THAT(o.out, HasSubstr("\n  20181217000003  "));
  EXPECT_THAT(o.out, HasSubstr("(" + v2 + "/down.sql:2) failed")) << o.out;
  EXPECT_THAT(o.out, HasSubstr("      at " + v3 + "/down.sql:1\n")) << o.out;
  EXPECT_THAT(o.out, Not(HasSubstr(v2 + "/up.sql"))) << o.out;
  EXPECT_THAT(o.out, Not(HasSubstr("201812170..."))) << o.out;

  // JUnit: each testcase names its whole id and points at the file that failed.
  const std::string xml = migtest::test::slurp(junit);
  const std::string rt2 = "<testcase classname=\"migtest.verify.round_trip\" name=\"20181217000002";
  const std::string rt3 = "<testcase classname=\"migtest.verify.round_trip\" name=\"20181217000003";
  const std::string up2 = "<testcase classname=\"migtest.verify.upgrade\" name=\"20181217000002";
  EXPECT_EQ(attribute_of(xml, rt2, "file"), v2 + "/down.sql") << xml;
  EXPECT_EQ(attribute_of(xml, rt2, "line"), "2") << xml;
  EXPECT_EQ(attribute_of(xml, rt3, "file"), v3 + "/down.sql") << xml;
  EXPECT_EQ(attribute_of(xml, rt3, "line"), "1") << xml;
  EXPECT_EQ(attribute_of(xml, up2, "file"), v2 + "/up.sql") << xml;
  EXPECT_EQ(attribute_of(xml, up2, "line"), "(no line)") << "a passing case has no line";

  // JSON: the same location on the failed check, ids whole.
  Output j = migtest::test::run_program(MIGTEST_EXE,
                                        "--migrations " + dir.string() + " verify --format json");
  EXPECT_EQ(j.code, 1) << j.out << j.err;
  const auto doc = migtest::test::parse_json(j.out);
  const auto& revisions = doc["revisions"].array();
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[1]["id"].str(), "20181217000002");
  for (const auto& c : revisions[1]["checks"].array()) {
    if (c["check"].str() == "round_trip") {
      EXPECT_EQ(c["file"].str(), v2 + "/down.sql");
      EXPECT_EQ(c["line"].number(), 2);
    } else {
      EXPECT_TRUE(c["line"].is_null()) << c["check"].str();
    }
  }
}

TEST(CliVerify, AOneFileRevisionsLeakyDownPointsAtItsDownMarker) {
  const migtest::test::TempDir dir("migtest-verify-where");
  const std::string junit = dir / "report.xml";
  Output o = run("--migrations " + data("forgets_index") + " verify --junit " + junit);
  EXPECT_EQ(o.code, 1) << o.out;
  const std::string file = data("forgets_index") + "/1f0000000002_add_karma_and_index.sql";
  // Line 9 holds `-- migrate:down`.
  EXPECT_THAT(o.out, HasSubstr("      at " + file + ":9\n")) << o.out;
  const std::string xml = migtest::test::slurp(junit);
  const std::string rt = "<testcase classname=\"migtest.verify.round_trip\" name=\"1f0000000002";
  EXPECT_EQ(attribute_of(xml, rt, "file"), file) << xml;
  EXPECT_EQ(attribute_of(xml, rt, "line"), "9") << xml;
}

TEST(CliVerify, ALongViewThatDiffersIsShownAsALineDiff) {
  const migtest::test::TempDir dir("migtest-verify-view");
  const std::string view =
      "SELECT u.id, u.name, u.email, u.karma, count(p.id) AS posts FROM users u LEFT JOIN post "
      "p ON p.author_id = u.id GROUP BY u.id";
  std::string wrong = view;
  wrong.replace(wrong.find("u.karma"), 7, "u.karma * 2 AS karma");
  dir.write("7a0000000001_tables.sql",
            "-- revision: 7a0000000001\n-- down_revision: none\n-- message: tables\n"
            "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, "
            "karma INTEGER);\nCREATE TABLE post (id INTEGER PRIMARY KEY, author_id INTEGER);\n"
            "CREATE VIEW user_stats AS " +
                view +
                ";\n"
                "-- migrate:down\nDROP VIEW user_stats;\nDROP TABLE post;\nDROP TABLE users;\n");
  // PLANTED FAULT: the down recreates the view with karma doubled.
  dir.write("7a0000000002_touch_view.sql",
            "-- revision: 7a0000000002\n-- down_revision: 7a0000000001\n-- message: touch view\n"
            "-- migrate:up\nDROP VIEW user_stats;\nCREATE VIEW user_stats AS " +
                view +
                ";\n"
                "-- migrate:down\nDROP VIEW user_stats;\nCREATE VIEW user_stats AS " +
                wrong + ";\n");
  Output o = run("--migrations " + dir.string() + " verify --checks upgrade,round_trip");
  EXPECT_EQ(o.code, 1) << o.out;
  EXPECT_THAT(o.out, HasSubstr("FAIL downgrade left a trace:\n"
                               "      view user_stats differs (- after downgrade, + before "
                               "upgrade):\n"))
      << o.out;
  EXPECT_THAT(o.out, ::testing::ContainsRegex("\n        - [^\n]*karma \\* 2 AS karma,\n"
                                              "        \\+ [^\n]*karma,\n"))
      << o.out;
  EXPECT_THAT(o.out, Not(HasSubstr("GROUP BY"))) << "two lines of context, not the whole text";
}

TEST(CliVerify, CorrectHistoryWithSeedsExitsZero) {
  Output o = run("--migrations " + data("good/versions") + " verify --seeds " + data("good/seeds"));
  EXPECT_EQ(o.code, 0) << o.out;
  EXPECT_THAT(o.out, HasSubstr("4 revisions: 4 ok, 0 failed"));
  EXPECT_THAT(o.out, HasSubstr("full cycle"));
}

TEST(CliVerify, OptionsAndBadChecks) {
  Output o = run("--migrations " + data("two_heads") +
                 " verify --heads 5b0000000002,5b0000000003 --checks single_head,upgrade");
  EXPECT_EQ(o.code, 0) << o.out;
  EXPECT_THAT(o.out, HasSubstr("heads: 5b0000000002, 5b0000000003"));
  Output bad = run("--migrations " + data("two_heads") + " verify --checks nope");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_THAT(bad.out, HasSubstr("unknown check 'nope'"));
  Output lint =
      run("--migrations " + data("loses_rows/versions") + " verify --checks lint --strict-lint");
  EXPECT_EQ(lint.code, 0) << "the file allows its rules: " << lint.out;
}

TEST(CliVerify, ALongHistoryIsVerifiedToTheEndWhateverFailsEarly) {
  migtest::test::TempDir dir;
  migtest::test::write_long_history(dir);
  expect_every_revision_verified(run("--migrations " + dir.string() + " verify"));
}

TEST(CliVerify, ALongHistoryIsVerifiedToTheEndOnPostgresql) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::TempDir dir;
  migtest::test::write_long_history(dir);
  Output o = run("--url '" + url + "' --migrations " + dir.string() + " verify");
  expect_every_revision_verified(o);
  // The run moved to new databases twice; they are dropped with the first one. Their names
  // carry the run's host and pid: migtest_verify_<host>_<pid>_<hex> (other tests' runs, on
  // the same host, may be verifying side by side).
  const std::string marker = "temporary database migtest_verify_";
  auto at = o.out.find(marker);
  ASSERT_NE(at, std::string::npos) << o.out;
  at += marker.size();
  const auto host_end = o.out.find('_', at);
  const std::string owner = o.out.substr(at, o.out.find('_', host_end + 1) - at);  // <host>_<pid>
  auto admin = migtest::connect(url);
  EXPECT_EQ(admin
                ->scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1",
                         {"migtest\\_verify\\_" + owner + "\\_%"})
                .as_int(),
            0)
      << owner;
}

TEST(CliVerify, PostgresqlRunsOnANewDatabaseAndDropsIt) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  Output o = run("--url '" + url + "' --migrations " + data("loses_default") + " verify");
  EXPECT_EQ(o.code, 1) << o.out;
  EXPECT_THAT(o.out, HasSubstr("on postgresql (temporary database migtest_verify_"));
  EXPECT_THAT(o.out,
              HasSubstr("FAIL downgrade left a trace:\n      column user.karma: after downgrade"));
  // The database this run named is gone. Other test processes running in parallel
  // (ctest -j) have their own migtest_verify_ databases, so only this one is checked.
  const std::string marker = "temporary database ";
  auto at = o.out.find(marker + "migtest_verify_");
  ASSERT_NE(at, std::string::npos) << o.out;
  at += marker.size();
  const std::string name =
      o.out.substr(at, o.out.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_", at) - at);
  ASSERT_GT(name.size(), std::string("migtest_verify_").size()) << o.out;
  auto admin = migtest::connect(url);
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).as_int(),
            0)
      << name;
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").as_int(), 0)
      << "the server's own database is untouched";
}

}  // namespace
