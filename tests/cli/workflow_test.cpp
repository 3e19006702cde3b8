// The seed's "Running Migrations" workflow through the real migtest binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

using migtest::test::run_migtest;
using migtest::test::shell_quote;
using migtest::test::TempDir;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

void write_sql(const std::string& path, const std::string& up, const std::string& down) {
  // Fill the generated file's sections the way a user does in an editor.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  auto up_at = text.find("-- migrate:up");
  ASSERT_NE(up_at, std::string::npos) << text;
  std::string header = text.substr(0, up_at);
  std::ofstream out(path);
  out << header << "-- migrate:up\n" << up << "\n-- migrate:down\n" << down << "\n";
}

class WorkflowTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WorkflowTest, SeedWorkflow) {
  MIGTEST_SCRATCH(db, GetParam());
  const TempDir tmp("migtest-cli");
  const fs::path& dir = tmp.path();
  const std::string url = "--url " + shell_quote(db.url());

  auto r = run_migtest("init", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "migrations" / "versions"));
  EXPECT_TRUE(fs::exists(dir / "migrations" / "migtest.toml"));

  r = run_migtest(url + " revision -m 'Create users'", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  std::string users = (dir / first_line(r.out)).string();
  EXPECT_THAT(users, HasSubstr("_create_users.sql"));
  write_sql(users, "CREATE TABLE \"user\" (id INTEGER PRIMARY KEY, username VARCHAR(50));",
            "DROP TABLE \"user\";");

  r = run_migtest(url + " revision -m 'Add karma to users'", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  std::string karma = (dir / first_line(r.out)).string();
  write_sql(karma, "ALTER TABLE \"user\" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;",
            "ALTER TABLE \"user\" DROP COLUMN karma;");
  std::string karma_id = fs::path(karma).filename().string().substr(0, 12);

  r = run_migtest(url + " upgrade head", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("-> " + karma_id + ", Add karma to users"));

  r = run_migtest(url + " current", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, karma_id + "\n");  // ids only on stdout, for scripts

  r = run_migtest(url + " history -i", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(first_line(r.out), HasSubstr(karma_id + " (head) (current), Add karma to users"));

  r = run_migtest(url + " downgrade -1", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_migtest(url + " current", dir);
  EXPECT_NE(r.out, karma_id + "\n");
  EXPECT_EQ(r.out.size(), 13u);

  r = run_migtest(url + " upgrade head", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_migtest(url + " downgrade base", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_migtest(url + " current", dir);
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkflowTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

TEST(Cli, ExitCodes) {
  const TempDir tmp("migtest-cli");
  const fs::path& dir = tmp.path();
  // Usage errors: 2, one line, no stack dump.
  auto r = run_migtest("upgrade", dir);
  EXPECT_EQ(r.code, 2) << r.err;
  r = run_migtest(
      "--url mysql://root:pw@x/db --migrations " + shell_quote(dir.string()) + " current", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown database URL scheme 'mysql'"));
  EXPECT_EQ(r.err.find("pw@"), std::string::npos) << r.err;
  r = run_migtest("no-such-command", dir);
  EXPECT_EQ(r.code, 2);
  r = run_migtest("--help", dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("upgrade"));
  r = run_migtest("upgrade --help", dir);
  EXPECT_EQ(r.code, 0);
  // A failed revision: 1, naming revision, file and line.
  std::string failing = std::string(MIGTEST_TEST_DATA) + "/runner/failing";
  r = run_migtest("--url sqlite:///x.db --migrations " + shell_quote(failing) + " upgrade head",
                  dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("2b3c4d5e6f02_broken.sql:8"));
  // Two progress lines, then the error on one line.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3) << r.err;
}

TEST(Cli, ConfigPrecedence) {
  const TempDir tmp("migtest-cli");
  const fs::path& dir = tmp.path();
  std::string linear = std::string(MIGTEST_TEST_DATA) + "/runner/linear";
  tmp.write("migtest.toml", "migrations = \"" + linear + "\"\nurl = \"sqlite:///from_toml.db\"\n");
  auto r = run_migtest("upgrade head", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "from_toml.db"));
  r = run_migtest("upgrade head", dir, "DATABASE_URL=sqlite:///from_env.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "from_env.db"));
  r = run_migtest("--url sqlite:///from_flag.db upgrade head", dir,
                  "DATABASE_URL=sqlite:///from_env2.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "from_flag.db"));
  EXPECT_FALSE(fs::exists(dir / "from_env2.db"));
  tmp.write("migtest.toml", "migrations = \"x\"\nbogus = \"1\"\n");
  r = run_migtest("current", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("migtest.toml:2: unknown setting 'bogus'"));
}

}  // namespace
