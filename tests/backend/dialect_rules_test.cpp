// The dialect objects: each answers for its own dialect, on a real database of it, and the
// two differ where SQLite and PostgreSQL do.
#include "backend/dialect_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "support/scratch.hpp"

namespace migtest {
namespace {

using ::testing::HasSubstr;

Metadata one_table() {
  Metadata md;
  md.table("note").column("id", Integer{}, primary_key).column("body", Text{}, nullable);
  return md;
}

class DialectRulesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DialectRulesTest, TheObjectIsTheDialectsOwn) {
  const Dialect d = parse_dialect(GetParam());
  EXPECT_EQ(detail::dialect_object(d).dialect(), d);
  EXPECT_EQ(&detail::dialect_object(d), &detail::dialect_object(d));  // one object per dialect
}

// create_all_sql and reflect through the object: the table the SQL creates is read back.
TEST_P(DialectRulesTest, CreatesAndReflectsOnARealDatabase) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  const detail::DialectRules& rules = detail::dialect_object(c->dialect());
  for (const auto& sql : rules.create_all_sql(one_table())) c->execute(sql);
  const Schema s = rules.reflect(*c, {});
  EXPECT_EQ(s.dialect, c->dialect());
  ASSERT_EQ(s.tables.size(), 1u);
  EXPECT_EQ(s.tables.front().name, "note");
  EXPECT_EQ(s.tables.front().columns.size(), 2u);
}

// run_operation emits each statement before it runs it, and the database has the result.
TEST_P(DialectRulesTest, RunsAnOperationAndEmitsItsStatements) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  const detail::DialectRules& rules = detail::dialect_object(c->dialect());
  for (const auto& sql : rules.create_all_sql(one_table())) c->execute(sql);
  std::vector<std::string> emitted;
  ColumnDef stars;
  stars.name = "stars";
  stars.type = Integer{};
  stars.nullable = true;
  ops::Operation add = ops::AddColumn{"", "note", stars};
  rules.run_operation(*c, add, rules.reflect(*c, {}),
                      [&](const std::string& sql, const Params&) { emitted.push_back(sql); }, {});
  EXPECT_THAT(emitted, ::testing::Contains(HasSubstr("stars")));
  EXPECT_EQ(rules.reflect(*c, {}).tables.front().columns.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DialectRulesTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

TEST(DialectRules, TheTwoDifferWhereTheEnginesDo) {
  const detail::DialectRules& lite = detail::dialect_object(Dialect::sqlite);
  const detail::DialectRules& pg = detail::dialect_object(Dialect::postgresql);
  EXPECT_TRUE(lite.rebuilds_tables());
  EXPECT_FALSE(pg.rebuilds_tables());
  EXPECT_TRUE(lite.checks_offline());
  EXPECT_FALSE(pg.checks_offline());
  EXPECT_FALSE(lite.has_server());
  EXPECT_TRUE(pg.has_server());
  EXPECT_FALSE(lite.has_schemas());
  EXPECT_TRUE(pg.has_schemas());
  EXPECT_FALSE(lite.error_aborts_transaction());
  EXPECT_TRUE(pg.error_aborts_transaction());
  EXPECT_FALSE(lite.server_builds_expected_schema());
  EXPECT_TRUE(pg.server_builds_expected_schema());
  const Value blob = Blob{{0, 255}};
  EXPECT_EQ(lite.literal(blob), "X'00FF'");
  EXPECT_EQ(pg.literal(blob), "'\\x00ff'::bytea");
}

TEST(DialectRules, OnlySqliteBuildsTheExpectedSchemaWithoutAServer) {
  const Schema s = detail::dialect_object(Dialect::sqlite).expected_schema(one_table());
  EXPECT_EQ(s.dialect, Dialect::sqlite);
  ASSERT_EQ(s.tables.size(), 1u);
  try {
    detail::dialect_object(Dialect::postgresql).expected_schema(one_table());
    ADD_FAILURE() << "no error";
  } catch (const config_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("built by the server"));
  }
}

}  // namespace
}  // namespace migtest
