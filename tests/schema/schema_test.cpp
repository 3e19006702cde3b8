// Schema value types: equality, lookup, sort, text form, gtest and fmt printing.
#include "migtest/schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "migtest/format.hpp"
#include "support/schema_objects.hpp"

namespace {

using migtest::test::col;

migtest::Index idx(std::string name, std::vector<std::string> columns, bool unique = false,
                   std::string where = "") {
  migtest::Index i;
  i.name = std::move(name);
  i.columns = std::move(columns);
  i.unique = unique;
  i.where = std::move(where);
  return i;
}

migtest::Table user_table() {
  migtest::Table t;
  t.name = "user";
  t.columns = {col("id", "integer", false), col("fingerprint", "varchar", false),
               col("username", "varchar", true), col("karma", "integer", false, "0")};
  t.primary_key = migtest::PrimaryKey{"", {"id"}};
  t.uniques = {{"uq_b", {"username"}}, {"", {"fingerprint"}}};
  t.checks = {{"", "karma >= 0"}, {"ck_a", "length(username) > 0"}};
  t.indexes = {idx("ix_user_karma", {"karma"}),
               idx("ix_user_fp", {"lower(fingerprint)"}, true, "karma > 0")};
  migtest::ForeignKey fk;
  fk.columns = {"karma"};
  fk.referred_table = "karma_level";
  fk.referred_columns = {"level"};
  fk.on_delete = "CASCADE";
  t.foreign_keys = {fk};
  return t;
}

migtest::Schema sample() {
  migtest::Schema s;
  s.dialect = migtest::Dialect::sqlite;
  migtest::Table post;
  post.name = "post";
  post.columns = {col("id", "integer", false)};
  s.tables = {user_table(), post};
  s.views = {{"", "popular", "SELECT id\n  FROM post", false}};
  return s;
}

TEST(Schema, EqualityIsMemberwise) {
  EXPECT_EQ(sample(), sample());
  auto other = sample();
  other.tables[0].columns[3].default_value = "1";
  EXPECT_NE(other, sample());
  other = sample();
  other.tables[0].columns[1].collation = "NOCASE";
  EXPECT_NE(other, sample());
  other = sample();
  other.tables[0].foreign_keys[0].on_update = "CASCADE";
  EXPECT_NE(other, sample());
  other = sample();
  other.tables[0].indexes[1].where = "";
  EXPECT_NE(other, sample());
  other = sample();
  other.views[0].materialized = true;
  EXPECT_NE(other, sample());
  other = sample();
  other.dialect = migtest::Dialect::postgresql;
  EXPECT_NE(other, sample());
}

TEST(Schema, SortMakesEqualityIgnoreListOrder) {
  auto a = sample();
  auto b = sample();
  std::reverse(b.tables.begin(), b.tables.end());
  std::reverse(b.tables[1].uniques.begin(), b.tables[1].uniques.end());
  std::reverse(b.tables[1].checks.begin(), b.tables[1].checks.end());
  std::reverse(b.tables[1].indexes.begin(), b.tables[1].indexes.end());
  EXPECT_NE(a, b);
  a.sort();
  b.sort();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.tables[0].name, "post");
  // Unnamed constraints sort before named ones, then by content.
  EXPECT_EQ(a.tables[1].uniques[0].name, "");
  EXPECT_EQ(a.tables[1].checks[1].name, "ck_a");
}

TEST(Schema, IsSortedSaysWhetherSortWouldMoveAnything) {
  auto s = sample();
  s.sort();
  EXPECT_TRUE(s.is_sorted());
  auto tables = s;
  std::reverse(tables.tables.begin(), tables.tables.end());
  EXPECT_FALSE(tables.is_sorted());
  auto checks = s;
  std::reverse(checks.tables[1].checks.begin(), checks.tables[1].checks.end());
  EXPECT_FALSE(checks.tables[1].is_sorted());
  EXPECT_FALSE(checks.is_sorted());
  checks.sort();
  EXPECT_TRUE(checks.is_sorted());
  EXPECT_EQ(checks, s);
}

TEST(Schema, SortKeepsColumnOrder) {
  auto s = sample();
  s.sort();
  EXPECT_EQ(s.find_table("user")->columns[0].name, "id");
  EXPECT_EQ(s.find_table("user")->columns[3].name, "karma");
}

TEST(Schema, FindTableColumnIndexView) {
  auto s = sample();
  ASSERT_NE(s.find_table("user"), nullptr);
  EXPECT_EQ(s.find_table("user", "audit"), nullptr);
  EXPECT_EQ(s.find_table("nope"), nullptr);
  migtest::Table* t = s.find_table("user");
  t->find_column("karma")->nullable = true;
  EXPECT_TRUE(s.find_table("user")->find_column("karma")->nullable);
  EXPECT_EQ(t->find_column("nope"), nullptr);
  ASSERT_NE(t->find_index("ix_user_fp"), nullptr);
  EXPECT_TRUE(t->find_index("ix_user_fp")->unique);
  EXPECT_EQ(t->find_index("nope"), nullptr);
  ASSERT_NE(s.find_view("popular"), nullptr);
  EXPECT_EQ(s.find_view("popular", "x"), nullptr);
}

TEST(Schema, ObjectsPrintAsOneLine) {
  auto t = user_table();
  EXPECT_EQ(to_string(t.columns[3]), "karma integer NOT NULL DEFAULT 0");
  EXPECT_EQ(to_string(t.columns[2]), "username varchar NULL");
  EXPECT_EQ(to_string(*t.primary_key), "PRIMARY KEY (id)");
  EXPECT_EQ(to_string(migtest::PrimaryKey{"pk_user", {"a", "b"}}),
            "CONSTRAINT pk_user PRIMARY KEY (a, b)");
  EXPECT_EQ(to_string(t.uniques[0]), "CONSTRAINT uq_b UNIQUE (username)");
  EXPECT_EQ(to_string(t.foreign_keys[0]),
            "FOREIGN KEY (karma) REFERENCES karma_level (level) ON DELETE CASCADE");
  EXPECT_EQ(to_string(t.checks[1]), "CONSTRAINT ck_a CHECK (length(username) > 0)");
  EXPECT_EQ(to_string(t.indexes[1]),
            "UNIQUE INDEX ix_user_fp (lower(fingerprint)) WHERE karma > 0");
  migtest::Column g = col("total", "integer", true);
  g.generated = "a + b";
  g.generated_stored = true;
  g.collation = "C";
  EXPECT_EQ(to_string(g), "total integer NULL GENERATED ALWAYS AS (a + b) STORED COLLATE C");
  migtest::Column id = col("id", "bigint", false);
  id.identity = "by default";
  EXPECT_EQ(to_string(id), "id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY");
  migtest::ForeignKey fk;
  fk.name = "fk";
  fk.columns = {"a"};
  fk.referred_schema = "audit";
  fk.referred_table = "t";
  fk.referred_columns = {"b"};
  fk.deferrable = true;
  fk.initially_deferred = true;
  EXPECT_EQ(to_string(fk),
            "CONSTRAINT fk FOREIGN KEY (a) REFERENCES audit.t (b) DEFERRABLE INITIALLY DEFERRED");
  EXPECT_EQ(to_string(migtest::View{"", "popular", "SELECT id\n  FROM post", false}),
            "VIEW popular AS SELECT id FROM post");
  EXPECT_EQ(to_string(migtest::Enum("mood", {"happy", "sad"})), "ENUM mood ('happy', 'sad')");
  EXPECT_EQ(to_string(migtest::Sequence{"", "user_id_seq", "user.id", "integer", 1, 1}),
            "SEQUENCE user_id_seq integer START 1 INCREMENT 1 OWNED BY user.id");
  EXPECT_EQ(to_string(migtest::Trigger{"trg", "user", "CREATE TRIGGER trg\nAFTER INSERT ON user"}),
            "TRIGGER trg ON user: CREATE TRIGGER trg AFTER INSERT ON user");
  EXPECT_EQ(to_string(migtest::Function{"", "f(integer)", ""}), "FUNCTION f(integer)");
}

TEST(Schema, WholeSchemaPrintsStablySorted) {
  auto a = sample();
  auto b = sample();
  std::reverse(b.tables.begin(), b.tables.end());
  std::reverse(b.tables[1].checks.begin(), b.tables[1].checks.end());
  EXPECT_EQ(to_string(a), to_string(b));
  EXPECT_EQ(to_string(a),
            "-- dialect: sqlite\n"
            "TABLE post\n"
            "  id integer NOT NULL\n"
            "TABLE user\n"
            "  id integer NOT NULL\n"
            "  fingerprint varchar NOT NULL\n"
            "  username varchar NULL\n"
            "  karma integer NOT NULL DEFAULT 0\n"
            "  PRIMARY KEY (id)\n"
            "  UNIQUE (fingerprint)\n"
            "  CONSTRAINT uq_b UNIQUE (username)\n"
            "  FOREIGN KEY (karma) REFERENCES karma_level (level) ON DELETE CASCADE\n"
            "  CHECK (karma >= 0)\n"
            "  CONSTRAINT ck_a CHECK (length(username) > 0)\n"
            "  UNIQUE INDEX ix_user_fp (lower(fingerprint)) WHERE karma > 0\n"
            "  INDEX ix_user_karma (karma)\n"
            "VIEW popular AS SELECT id FROM post\n");
}

// GoogleTest's printers are migtest::gtest's: tests/fixtures/print_test.cpp.
TEST(Schema, StreamAndFmtPrinting) {
  auto s = sample();
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), to_string(s));
  EXPECT_EQ(fmt::format("{}", s.tables[0].columns[0]), "id integer NOT NULL");
  EXPECT_EQ(fmt::format("{}", s), to_string(s));
  EXPECT_EQ(fmt::format("[{:>20}]", *s.tables[0].primary_key), "[    PRIMARY KEY (id)]");
  EXPECT_EQ(fmt::format("{}", s.tables[1]), "TABLE post\n  id integer NOT NULL\n");
}

TEST(Schema, EnumKeepsBraceInitialisation) {
  migtest::Enum a{"public", "mood", {"happy"}};
  migtest::Enum b("mood", {"happy"});
  EXPECT_EQ(a.schema, "public");
  EXPECT_NE(a, b);
  b.schema = "public";
  EXPECT_EQ(a, b);
}

}  // namespace
