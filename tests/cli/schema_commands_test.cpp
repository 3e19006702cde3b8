// check, diff and schema through the real migtest binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

using migtest::test::run_migtest;
using migtest::test::shell_quote;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

const std::string kData = MIGTEST_TEST_DATA;

class SchemaCommandsTest : public ::testing::TestWithParam<std::string> {
 protected:
  const migtest::test::TempDir tmp_{"migtest-cli"};
  const fs::path& dir_ = tmp_.path();
};

TEST_P(SchemaCommandsTest, CheckAgainstADeclaredSchemaFile) {
  MIGTEST_SCRATCH(db, GetParam());
  // A PostgreSQL --url names the server on which check makes its scratch database.
  const std::string common = "--url " + shell_quote(db.url()) + " --migrations " +
                             shell_quote(kData + "/runner/linear") + " check --schema ";
  auto r = run_migtest(common + shell_quote(kData + "/cli/linear_schema.sql"), dir_);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("No differences"));

  r = run_migtest(common + shell_quote(kData + "/cli/linear_schema_drifted.sql"), dir_);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("karma"));
  EXPECT_THAT(r.out, HasSubstr("ix_post_author"));
  EXPECT_THAT(r.err, HasSubstr("differences"));
  // The scratch database is gone and the --url database was never touched.
  auto c = db.connect_to();
  const char* count_tables = GetParam() == "sqlite"
                                 ? "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                 : "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
  EXPECT_EQ(c->scalar(count_tables).as_int(), 0);
}

TEST_P(SchemaCommandsTest, DiffAndSchemaOfTwoDatabases) {
  MIGTEST_SCRATCH(a, GetParam());
  MIGTEST_SCRATCH(b, GetParam());
  a.connect_to()->execute_script("CREATE TABLE t (x INTEGER NOT NULL, y TEXT);");
  b.connect_to()->execute_script(
      "CREATE TABLE t (x INTEGER, y TEXT); CREATE INDEX ix_t_y ON t (y);");
  auto r = run_migtest("diff " + shell_quote(a.url()) + " " + shell_quote(b.url()), dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("t.x"));
  EXPECT_THAT(r.out, HasSubstr("ix_t_y"));
  r = run_migtest("diff " + shell_quote(a.url()) + " " + shell_quote(a.url()), dir_);
  EXPECT_EQ(r.code, 0) << r.out << r.err;

  r = run_migtest("schema " + shell_quote(b.url()), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ix_t_y"));
  auto again = run_migtest("schema " + shell_quote(b.url()), dir_);
  EXPECT_EQ(r.out, again.out);  // stable output
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaCommandsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

TEST(SchemaCommands, CheckWithoutModelsSaysWhereToGetThem) {
  const migtest::test::TempDir dir("migtest-cli");
  auto r =
      run_migtest("--migrations " + shell_quote(kData + "/runner/linear") + " check", dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--schema"));
}

}  // namespace
