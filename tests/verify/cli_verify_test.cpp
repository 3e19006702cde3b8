// `migtest verify` as a user runs it: the binary, its output, its exit code, its JUnit file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "migtest/connection.hpp"
#include "support/postgres.hpp"
#include "verify/history_files.hpp"

namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct Output {
  int code = -1;
  std::string text;
};

Output run(const std::string& args) {
  if (!fs::exists(MIGTEST_EXE)) {
    ADD_FAILURE() << MIGTEST_EXE << " is not built (build the migtest_exe target)";
    return {};
  }
  std::string cmd = std::string(MIGTEST_EXE) + " " + args + " 2>&1";
  Output out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.text.append(buf.data(), n);
  int status = ::pclose(p);
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/verify/" + name;
}

// The report of migtest::test::write_long_history: every revision has its line, the three
// planted failures fail, the empty down is "no downgrade", and nothing is "not run".
void expect_every_revision_verified(const Output& o) {
  using migtest::test::long_id;
  EXPECT_EQ(o.code, 1) << o.text;
  for (int k = 1; k <= migtest::test::kLongHistory; ++k) {
    std::string line_start = "\n  " + long_id(k) + "  r" + std::to_string(k);
    auto at = o.text.find(line_start);
    ASSERT_NE(at, std::string::npos) << long_id(k) << "\n" << o.text;
    std::string line = o.text.substr(at + 1, o.text.find('\n', at + 1) - at - 1);
    bool planted = k == migtest::test::kFailingDown || k == migtest::test::kForgetsIndex ||
                   k == migtest::test::kPartialDown;
    EXPECT_THAT(line, HasSubstr(planted ? " FAIL " : " ok ")) << line;
    if (k == migtest::test::kEmptyDown) {
      EXPECT_THAT(line, HasSubstr("(no downgrade)"));
    }
  }
  EXPECT_THAT(o.text,
              HasSubstr("FAIL downgrade failed:\n      downgrade of revision " + long_id(3)));
  EXPECT_THAT(o.text, HasSubstr("40 revisions: 37 ok, 3 failed, 1 with no downgrade"));
  EXPECT_THAT(o.text, ::testing::Not(HasSubstr("not run")));
}

TEST(CliVerify, PlantedFaultExitsOneWithTheObjectThatDiffers) {
  const migtest::test::TempDir dir("migtest-verify-cli");
  const std::string junit = dir / "report.xml";
  Output o = run("--migrations " + data("forgets_index") + " verify --junit " + junit);
  EXPECT_EQ(o.code, 1) << o.text;
  EXPECT_THAT(o.text, HasSubstr("verifying 3 revisions on sqlite (temporary database)\n"));
  EXPECT_THAT(o.text,
              HasSubstr("1f0000000002  Add karma and index finge... FAIL downgrade left a trace:\n"
                        "      index ix_user_fingerprint on user: after downgrade"));
  EXPECT_THAT(o.text, HasSubstr("3 revisions: 2 ok, 1 failed"));
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  EXPECT_THAT(xml.str(), HasSubstr("<failure message=\"downgrade left a trace\">"));
}

TEST(CliVerify, CorrectHistoryWithSeedsExitsZero) {
  Output o = run("--migrations " + data("good/versions") + " verify --seeds " + data("good/seeds"));
  EXPECT_EQ(o.code, 0) << o.text;
  EXPECT_THAT(o.text, HasSubstr("4 revisions: 4 ok, 0 failed"));
  EXPECT_THAT(o.text, HasSubstr("full cycle"));
}

TEST(CliVerify, OptionsAndBadChecks) {
  Output o = run("--migrations " + data("two_heads") +
                 " verify --heads 5b0000000002,5b0000000003 --checks single_head,upgrade");
  EXPECT_EQ(o.code, 0) << o.text;
  EXPECT_THAT(o.text, HasSubstr("heads: 5b0000000002, 5b0000000003"));
  Output bad = run("--migrations " + data("two_heads") + " verify --checks nope");
  EXPECT_EQ(bad.code, 2) << bad.text;
  EXPECT_THAT(bad.text, HasSubstr("unknown check 'nope'"));
  Output lint =
      run("--migrations " + data("loses_rows/versions") + " verify --checks lint --strict-lint");
  EXPECT_EQ(lint.code, 0) << "the file allows its rules: " << lint.text;
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
  // carry the run's pid: migtest_verify_<pid>_<n>_<hex>.
  const std::string marker = "temporary database migtest_verify_";
  auto at = o.text.find(marker);
  ASSERT_NE(at, std::string::npos) << o.text;
  at += marker.size();
  std::string pid = o.text.substr(at, o.text.find('_', at) - at);
  auto admin = migtest::connect(url);
  EXPECT_EQ(admin
                ->scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1",
                         {"migtest\\_verify\\_" + pid + "\\_%"})
                .as_int(),
            0)
      << pid;
}

TEST(CliVerify, PostgresqlRunsOnANewDatabaseAndDropsIt) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  Output o = run("--url '" + url + "' --migrations " + data("loses_default") + " verify");
  EXPECT_EQ(o.code, 1) << o.text;
  EXPECT_THAT(o.text, HasSubstr("on postgresql (temporary database migtest_verify_"));
  EXPECT_THAT(o.text,
              HasSubstr("FAIL downgrade left a trace:\n      column user.karma: after downgrade"));
  // The database this run named is gone. Other test processes running in parallel
  // (ctest -j) have their own migtest_verify_ databases, so only this one is checked.
  const std::string marker = "temporary database ";
  auto at = o.text.find(marker + "migtest_verify_");
  ASSERT_NE(at, std::string::npos) << o.text;
  at += marker.size();
  const std::string name =
      o.text.substr(at, o.text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_", at) - at);
  ASSERT_GT(name.size(), std::string("migtest_verify_").size()) << o.text;
  auto admin = migtest::connect(url);
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).as_int(),
            0)
      << name;
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").as_int(), 0)
      << "the server's own database is untouched";
}

}  // namespace
