// Configuration input refused before anything runs: --config that is not a file, a bad
// version_table, a malformed URL named by where it came from; and which URL wins.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/files.hpp"
#include "support/process.hpp"

using migtest::test::run_migtest;
using migtest::test::shell_quote;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

// A project with one revision, configured by ./migtest.toml.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.write("versions/a1b2c3d4e5f6_first.sql",
               "-- revision: a1b2c3d4e5f6\n-- down_revision: none\n-- message: first\n\n"
               "-- migrate:up\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n\n"
               "-- migrate:down\nDROP TABLE t;\n");
  }

  void write_config(const std::string& text) {
    tmp_.write("migtest.toml", "migrations = \"versions\"\n" + text);
  }
  // Nothing was written: no database file next to the configuration.
  bool nothing_written() const {
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.path().extension() == ".db") return false;
    }
    return true;
  }

  const migtest::test::TempDir tmp_{"migtest-config"};
  const fs::path& dir_ = tmp_.path();
};

TEST_F(ConfigTest, ConfigThatIsADirectoryIsNamed) {
  tmp_.mkdir("conf.d");
  auto r = run_migtest("--config conf.d current", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "error: config file 'conf.d' is a directory (expected a TOML file such as "
            "'conf.d/migtest.toml')\n");
  // ./migtest.toml found by default is checked the same way.
  tmp_.mkdir("migtest.toml");
  r = run_migtest("history", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("config file 'migtest.toml' is a directory"));
}

TEST_F(ConfigTest, ConfigThatIsNotARegularFileIsRefusedWithoutReadingIt) {
  // A FIFO would block a reader forever.
  ASSERT_EQ(::mkfifo((dir_ / "fifo.toml").c_str(), 0600), 0);
  auto r = run_migtest("--config fifo.toml current", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: config file 'fifo.toml' is not a regular file\n");
  r = run_migtest("--config missing.toml current", dir_);
  EXPECT_EQ(r.err, "error: config file 'missing.toml' does not exist\n");
}

TEST_F(ConfigTest, EmptyVersionTableIsRefusedBeforeAnythingRuns) {
  write_config("url = \"sqlite:///app.db\"\nversion_table = \"\"\n");
  auto r = run_migtest("upgrade head", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: migtest.toml:3: version_table is empty\n");
  EXPECT_TRUE(nothing_written());
}

TEST_F(ConfigTest, VersionTableMustNameATableOnBothDialects) {
  for (const std::string& bad :
       std::vector<std::string>{"my version", "1st_version", "v\\u0000x", "public.1st", "a.b.c",
                                "\\\"quoted\\\"", std::string(64, 'v')}) {
    SCOPED_TRACE(bad);
    write_config("url = \"sqlite:///app.db\"\n\nversion_table = \"" + bad + "\"\n");
    auto r = run_migtest("upgrade head", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_THAT(r.err, HasSubstr("error: migtest.toml:4: version_table '"));
    EXPECT_THAT(r.err, HasSubstr("must be 1 to 63 ASCII letters, digits or '_', not starting "
                                 "with a digit"));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(nothing_written());
  }
  // The NUL is shown escaped, not cut off.
  write_config("version_table = \"v\\u0000x\"\n");
  EXPECT_THAT(run_migtest("heads", dir_).err, HasSubstr("version_table 'v\\x00x'"));

  write_config("url = \"sqlite:///app.db\"\nversion_table = \"" + std::string(63, 'v') + "\"\n");
  auto r = run_migtest("upgrade head", dir_);
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(ConfigTest, MalformedUrlIsNamedByWhereItCameFrom) {
  write_config("url = \"postgresql://me:Tr5%zz@h/db\"\n");
  auto r = run_migtest("heads", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("error: migtest.toml:2: malformed PostgreSQL URL "
                               "'postgresql://me:***@h/db': invalid percent-encoding"));
  r = run_migtest("heads", dir_, "DATABASE_URL=" + shell_quote("sqlite:///a.db?mdoe=ro"));
  EXPECT_THAT(r.err,
              HasSubstr("error: DATABASE_URL: malformed SQLite URL 'sqlite:///a.db?mdoe=ro': "
                        "unknown parameter 'mdoe'"));
  r = run_migtest("--url mysql://h/db heads", dir_);
  EXPECT_THAT(r.err, HasSubstr("error: --url: unknown database URL scheme 'mysql'"));
  for (const auto& out : {r.out, r.err}) EXPECT_THAT(out, ::testing::Not(HasSubstr("Tr5")));
}

TEST_F(ConfigTest, UrlPrecedenceIsFileThenEnvironmentThenFlag) {
  // Only the URL in effect is checked: a malformed one in the file, overridden, is no error.
  write_config("url = \"postgresql://me:Tr5%zz@h/db\"\n");
  auto r = run_migtest("upgrade head", dir_, "DATABASE_URL=sqlite:///from_env.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "from_env.db"));
  r = run_migtest("--url sqlite:///from_flag.db upgrade head", dir_,
                  "DATABASE_URL=sqlite:///from_env2.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "from_flag.db"));
  EXPECT_FALSE(fs::exists(dir_ / "from_env2.db"));
  write_config("url = \"sqlite:///from_file.db\"\n");
  r = run_migtest("upgrade head", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "from_file.db"));
}

TEST_F(ConfigTest, ModeRoUrlNeverWrites) {
  write_config("url = \"sqlite:///app.db?mode=ro\"\n");
  auto r = run_migtest("upgrade head", dir_);
  EXPECT_NE(r.code, 0);
  EXPECT_THAT(r.err,
              HasSubstr("SQLite database 'app.db' does not exist (mode=ro never creates it)"));
  EXPECT_TRUE(nothing_written());
  ASSERT_EQ(run_migtest("--url sqlite:///app.db upgrade head", dir_).code, 0);
  const auto before = fs::last_write_time(dir_ / "app.db");
  r = run_migtest("downgrade base", dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("readonly database"));
  r = run_migtest("current", dir_);
  EXPECT_EQ(r.out, "a1b2c3d4e5f6\n") << r.err;
  EXPECT_EQ(fs::last_write_time(dir_ / "app.db"), before);
}

}  // namespace
