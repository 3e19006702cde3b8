// A version table in a named schema: version_table = "audit.migtest_version".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "migtest/dialect.hpp"
#include "migtest/runner.hpp"
#include "migtest/source.hpp"
#include "support/scratch.hpp"

namespace {

using ::testing::HasSubstr;

std::string linear() { return std::string(MIGTEST_TEST_DATA) + "/runner/linear"; }

TEST(VersionTableInASchema, PostgresCreatesTheSchemaAndKeepsTheTableThere) {
  MIGTEST_SCRATCH(db, "postgresql");
  auto c = db.connect_to();
  const auto history = migtest::load_history(linear());
  migtest::RunOptions o;
  o.version_table = "audit.migtest_version";
  migtest::Runner runner(*c, history, o);
  runner.upgrade("head");
  EXPECT_EQ(c->scalar("SELECT version_num FROM audit.migtest_version WHERE is_head = 1").as_text(),
            "3c4d5e6f7a03");
  EXPECT_EQ(
      c->scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'migtest_version'").as_int(), 1);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'migtest_version_pkc'")
                .as_int(),
            1);
  EXPECT_EQ(migtest::Runner(*c, history, o).current(), std::vector<std::string>{"3c4d5e6f7a03"});
  // Reflecting both schemas, it is left out by its qualified name.
  migtest::ReflectOptions r;
  r.schemas = {"", "audit"};
  r.exclude_tables = {o.version_table};
  EXPECT_FALSE(migtest::reflect(*c, r).find_table("migtest_version", "audit"));
  runner.downgrade("base");
  EXPECT_EQ(c->scalar("SELECT count(*) FROM audit.migtest_version").as_int(), 0);
}

TEST(VersionTableInASchema, OfflineSqlQualifiesAndQuotesIt) {
  const auto history = migtest::load_history(linear());
  migtest::OfflineOptions o;
  o.version_table = "Audit.migtest_version";
  const auto pg = migtest::offline_sql(history, migtest::Dialect::postgresql, {}, "head", o);
  std::string text;
  for (const auto& s : pg) text += s + "\n";
  EXPECT_THAT(text, HasSubstr("CREATE SCHEMA IF NOT EXISTS \"Audit\""));
  EXPECT_THAT(text, HasSubstr("CREATE TABLE IF NOT EXISTS \"Audit\".\"migtest_version\""));
  EXPECT_THAT(text, HasSubstr("INSERT INTO \"Audit\".\"migtest_version\""));
  const auto lite = migtest::offline_sql(history, migtest::Dialect::sqlite, {}, "head", o);
  text.clear();
  for (const auto& s : lite) text += s + "\n";
  EXPECT_THAT(text, ::testing::Not(HasSubstr("CREATE SCHEMA")));
}

}  // namespace
