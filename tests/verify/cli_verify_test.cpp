// `migtest verify` as a user runs it: the binary, its output, its exit code, its JUnit file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "migtest/connection.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "verify/history_files.hpp"

namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

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
