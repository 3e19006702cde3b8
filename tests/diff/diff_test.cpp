// compare() on hand-built schemas: each kind of change exactly once, no false positives,
// ignore patterns, options, and the rendered text.
#include "migtest/diff.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <sstream>
#include <type_traits>
#include <variant>

#include "migtest/format.hpp"
#include "support/schema_objects.hpp"

namespace {

using K = migtest::Difference::Kind;
using migtest::Difference;
using migtest::Schema;

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

migtest::ForeignKey fk(std::string name, std::vector<std::string> columns, std::string table,
                       std::vector<std::string> referred, std::string on_delete = "NO ACTION") {
  migtest::ForeignKey f;
  f.name = std::move(name);
  f.columns = std::move(columns);
  f.referred_table = std::move(table);
  f.referred_columns = std::move(referred);
  f.on_delete = std::move(on_delete);
  return f;
}

// The model side: constraint names mostly left unset, as metadata usually does.
Schema model() {
  Schema s;
  s.dialect = migtest::Dialect::postgresql;
  migtest::Table user;
  user.name = "user";
  user.columns = {col("id", "integer", false), col("fingerprint", "character varying", false),
                  col("username", "character varying", true), col("karma", "integer", false, "0")};
  user.primary_key = migtest::PrimaryKey{"", {"id"}};
  user.indexes = {idx("ix_user_fingerprint", {"fingerprint"}, true)};
  user.uniques = {{"", {"username"}}};

  migtest::Table post;
  post.name = "post";
  post.columns = {col("id", "integer", false), col("author_id", "integer", false),
                  col("title", "character varying(200)", false)};
  post.primary_key = migtest::PrimaryKey{"", {"id"}};
  post.foreign_keys = {fk("", {"author_id"}, "user", {"id"}, "CASCADE")};
  post.checks = {{"ck_post_title", "length(title) > 0"}, {"", "id > 0"}};
  post.uniques = {{"uq_post_author_title", {"author_id", "title"}}};
  post.indexes = {idx("ix_post_title_lower", {"lower(title)"}, false, "title IS NOT NULL")};
  post.triggers = {{"trg_post", "post", "CREATE TRIGGER trg_post AFTER INSERT ON post"}};

  s.tables = {user, post};
  s.views = {{"", "popular_post", "SELECT id, title FROM post", false}};
  s.sequences = {{"", "user_id_seq", "user.id", "integer", 1, 1}};
  s.enums = {migtest::Enum("mood", {"happy", "sad"})};
  s.functions = {{"", "bump(integer)", "BEGIN RETURN $1 + 1; END"}};
  return s;
}

// The database side of the same schema: every constraint named (as PostgreSQL does),
// lists in another order.
Schema database() {
  Schema s = model();
  auto& user = *s.find_table("user");
  user.primary_key->name = "user_pkey";
  user.uniques[0].name = "user_username_key";
  auto& post = *s.find_table("post");
  post.primary_key->name = "post_pkey";
  post.foreign_keys[0].name = "post_author_id_fkey";
  post.checks[1].name = "post_id_check";
  std::reverse(post.checks.begin(), post.checks.end());
  std::reverse(s.tables.begin(), s.tables.end());
  return s;
}

std::string kinds(const std::vector<Difference>& diffs) {
  std::string out;
  for (const auto& d : diffs) out += std::string(to_string(d.kind)) + " ";
  return out;
}

// Applies `change` to the database side and expects exactly one difference of `kind`.
Difference only(const std::function<void(Schema&, Schema&)>& change, K kind,
                const migtest::CompareOptions& options = {}) {
  Schema actual = database();
  Schema expected = model();
  change(actual, expected);
  auto diffs = migtest::compare(actual, expected, options);
  EXPECT_EQ(diffs.size(), 1u) << kinds(diffs) << "\n" << migtest::render(diffs);
  if (diffs.empty()) return Difference{K::table_added, "(none)", "", "", ""};
  EXPECT_EQ(diffs[0].kind, kind) << diffs[0].describe();
  return diffs[0];
}

migtest::Table& table(Schema& s, const char* name) { return *s.find_table(name); }

// --- no false positives -------------------------------------------------------

TEST(Compare, EqualSchemasHaveNoDifferences) {
  EXPECT_TRUE(migtest::compare(model(), model()).empty());
  auto diffs = migtest::compare(database(), model());
  EXPECT_TRUE(diffs.empty()) << migtest::render(diffs);
}

TEST(Compare, ListOrderDoesNotMatter) {
  Schema a = database(), b = model();
  std::reverse(b.tables.begin(), b.tables.end());
  for (auto& t : a.tables) {
    std::reverse(t.indexes.begin(), t.indexes.end());
    std::reverse(t.uniques.begin(), t.uniques.end());
    std::reverse(t.foreign_keys.begin(), t.foreign_keys.end());
  }
  EXPECT_TRUE(migtest::compare(a, b).empty());
}

TEST(Compare, ColumnOrderIsIgnoredUnlessAsked) {
  Schema a = database();
  auto& cols = table(a, "user").columns;
  std::swap(cols[1], cols[3]);
  EXPECT_TRUE(migtest::compare(a, model()).empty());
  migtest::CompareOptions o;
  o.compare_column_order = true;
  auto d =
      only([](Schema& x,
              Schema&) { std::swap(table(x, "user").columns[1], table(x, "user").columns[3]); },
           K::column_order_changed, o);
  EXPECT_EQ(d.table, "user");
  EXPECT_EQ(d.actual, "id, karma, username, fingerprint");
  EXPECT_EQ(d.expected, "id, fingerprint, username, karma");
}

TEST(Compare, ColumnOrderOnlyConsidersSharedColumns) {
  migtest::CompareOptions o;
  o.compare_column_order = true;
  only([](Schema& x,
          Schema&) { table(x, "user").columns.erase(table(x, "user").columns.begin() + 1); },
       K::column_added, o);
}

TEST(Compare, UnnamedExpectedConstraintsMatchAnyName) {
  // database() names everything the model leaves unnamed; nothing is reported.
  Schema a = database();
  table(a, "post").checks[0].name = "whatever";
  table(a, "post").checks[1].name = "something";  // the named model check: now renamed
  auto diffs = migtest::compare(a, model());
  ASSERT_EQ(diffs.size(), 1u) << migtest::render(diffs);
  EXPECT_EQ(diffs[0].kind, K::check_changed);
  EXPECT_EQ(diffs[0].object, "ck_post_title");
}

TEST(Compare, NamedPrimaryKeysCompareNamesUnnamedMatchAny) {
  // Unnamed on the database side (SQLite) matches a named model key.
  Schema a = model(), b = model();
  table(b, "user").primary_key->name = "pk_user";
  EXPECT_TRUE(migtest::compare(a, b).empty());
  EXPECT_TRUE(migtest::compare(b, a).empty());
  auto d = only(
      [](Schema& x, Schema& y) {
        table(x, "user").primary_key->name = "user_pkey";
        table(y, "user").primary_key->name = "pk_user";
      },
      K::primary_key_changed);
  EXPECT_EQ(d.actual, "CONSTRAINT user_pkey PRIMARY KEY (id)");
  EXPECT_EQ(d.expected, "CONSTRAINT pk_user PRIMARY KEY (id)");
}

TEST(Compare, StrictNamesComparesNamesTheExpectedSideLeavesUnset) {
  migtest::CompareOptions o;
  o.strict_names = true;
  auto diffs = migtest::compare(database(), model(), o);
  // Two primary keys, one unique, one foreign key, one check: each one change.
  EXPECT_EQ(kinds(diffs),
            "primary_key_changed foreign_key_changed check_changed "
            "primary_key_changed unique_changed ");
  EXPECT_TRUE(migtest::compare(database(), database(), o).empty());
}

TEST(Compare, UniqueConstraintAndUniqueIndexAreDifferentObjects) {
  Schema a = model();
  auto& user = table(a, "user");
  user.uniques.clear();
  user.indexes.push_back(idx("user_username_key", {"username"}, true));
  auto diffs = migtest::compare(a, model());
  EXPECT_EQ(kinds(diffs), "unique_added index_removed ");
}

// --- each kind exactly once -----------------------------------------------------

TEST(Compare, TableAddedIsOneDifference) {
  auto d = only(
      [](Schema& x, Schema&) {
        x.tables.erase(std::find_if(x.tables.begin(), x.tables.end(),
                                    [](const migtest::Table& t) { return t.name == "post"; }));
      },
      K::table_added);
  EXPECT_EQ(d.table, "post");
  EXPECT_EQ(d.actual, "");
  EXPECT_EQ(d.expected, "TABLE post (id, author_id, title)");
  EXPECT_EQ(d.describe(), "table post: database absent, model TABLE post (id, author_id, title)");
}

TEST(Compare, TableRemovedIsOneDifference) {
  auto d = only(
      [](Schema& x, Schema&) {
        migtest::Table t;
        t.name = "audit";
        t.columns = {col("id", "integer", false), col("what", "text", true)};
        t.indexes = {idx("ix_audit_what", {"what"})};
        t.checks = {{"", "id > 0"}};
        x.tables.push_back(t);
      },
      K::table_removed);
  EXPECT_EQ(d.table, "audit");
  EXPECT_EQ(d.actual, "TABLE audit (id, what)");
  EXPECT_EQ(d.expected, "");
}

TEST(Compare, TableOptionChanged) {
  auto d = only([](Schema& x, Schema&) { table(x, "post").without_rowid = true; },
                K::table_option_changed);
  EXPECT_EQ(d.describe(), "table post: database WITHOUT ROWID, model rowid table");
}

TEST(Compare, ColumnAdded) {
  auto d =
      only([](Schema&, Schema& y) { table(y, "user").columns.push_back(col("bio", "text", true)); },
           K::column_added);
  EXPECT_EQ(d.table, "user");
  EXPECT_EQ(d.object, "bio");
  EXPECT_EQ(d.describe(), "column user.bio: database absent, model text NULL");
}

TEST(Compare, ColumnRemoved) {
  auto d =
      only([](Schema& x, Schema&) { table(x, "user").columns.push_back(col("bio", "text", true)); },
           K::column_removed);
  EXPECT_EQ(d.describe(), "column user.bio: database text NULL, model absent");
}

TEST(Compare, TypeChanged) {
  auto d =
      only([](Schema& x, Schema&) { table(x, "post").columns[2].type = "text"; }, K::type_changed);
  EXPECT_EQ(d.describe(),
            "column post.title: database text NOT NULL, model character varying(200) NOT NULL");
}

TEST(Compare, NullableChanged) {
  auto d = only([](Schema& x, Schema&) { table(x, "user").columns[2].nullable = false; },
                K::nullable_changed);
  EXPECT_EQ(d.object, "username");
  EXPECT_EQ(d.actual, "character varying NOT NULL");
  EXPECT_EQ(d.expected, "character varying NULL");
}

TEST(Compare, DefaultChanged) {
  auto d = only([](Schema& x, Schema&) { table(x, "user").columns[3].default_value = "1"; },
                K::default_changed);
  EXPECT_EQ(
      d.describe(),
      "column user.karma: database integer NOT NULL DEFAULT 1, model integer NOT NULL DEFAULT 0");
}

TEST(Compare, DefaultsAreNotComparedWhenSwitchedOff) {
  migtest::CompareOptions o;
  o.compare_defaults = false;
  Schema a = database();
  table(a, "user").columns[3].default_value.reset();
  EXPECT_TRUE(migtest::compare(a, model(), o).empty());
  // And the line of another change does not show the defaults it did not compare.
  table(a, "user").columns[3].nullable = true;
  auto diffs = migtest::compare(a, model(), o);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].describe(),
            "column user.karma: database integer NULL, model integer NOT NULL");
}

TEST(Compare, GeneratedChanged) {
  only([](Schema& x, Schema&) { table(x, "user").columns[3].generated = "id * 2"; },
       K::generated_changed);
  only(
      [](Schema& x, Schema& y) {
        table(x, "user").columns[3].generated = "id * 2";
        table(y, "user").columns[3].generated = "id * 2";
        table(y, "user").columns[3].generated_stored = true;
      },
      K::generated_changed);
}

TEST(Compare, IdentityChanged) {
  auto d = only([](Schema& x, Schema&) { table(x, "user").columns[0].identity = "always"; },
                K::identity_changed);
  EXPECT_EQ(d.actual, "integer NOT NULL GENERATED ALWAYS AS IDENTITY");
}

TEST(Compare, AutoincrementChanged) {
  only([](Schema&, Schema& y) { table(y, "user").columns[0].autoincrement = true; },
       K::autoincrement_changed);
}

TEST(Compare, CollationChanged) {
  only([](Schema& x, Schema&) { table(x, "user").columns[2].collation = "C"; },
       K::collation_changed);
}

TEST(Compare, PrimaryKeyChanged) {
  auto d = only(
      [](Schema& x, Schema&) {
        table(x, "post").primary_key->columns = {"id", "author_id"};
      },
      K::primary_key_changed);
  EXPECT_EQ(d.describe(),
            "primary key of post: database CONSTRAINT post_pkey PRIMARY KEY (id, author_id), "
            "model PRIMARY KEY (id)");
  only([](Schema& x, Schema&) { table(x, "post").primary_key.reset(); }, K::primary_key_changed);
  only([](Schema&, Schema& y) { table(y, "post").primary_key.reset(); }, K::primary_key_changed);
}

TEST(Compare, UniqueAdded) {
  auto d = only(
      [](Schema&, Schema& y) {
        table(y, "user").uniques.push_back({"", {"karma"}});
      },
      K::unique_added);
  EXPECT_EQ(d.describe(), "unique constraint on user: database absent, model UNIQUE (karma)");
}

TEST(Compare, UniqueRemoved) {
  auto d = only(
      [](Schema& x, Schema&) {
        table(x, "user").uniques.push_back({"user_karma_key", {"karma"}});
      },
      K::unique_removed);
  EXPECT_EQ(d.object, "user_karma_key");
  EXPECT_EQ(d.describe(),
            "unique constraint user_karma_key on user: database CONSTRAINT user_karma_key "
            "UNIQUE (karma), model absent");
}

TEST(Compare, UniqueChangedByName) {
  auto d = only([](Schema& x, Schema&) { table(x, "post").uniques[0].columns = {"title"}; },
                K::unique_changed);
  EXPECT_EQ(d.object, "uq_post_author_title");
}

TEST(Compare, UniqueRenamed) {
  auto d = only([](Schema& x, Schema&) { table(x, "post").uniques[0].name = "post_title_key"; },
                K::unique_changed);
  EXPECT_EQ(d.actual, "CONSTRAINT post_title_key UNIQUE (author_id, title)");
  EXPECT_EQ(d.expected, "CONSTRAINT uq_post_author_title UNIQUE (author_id, title)");
}

TEST(Compare, UnnamedUniqueWithOtherColumnsIsRemovedAndAdded) {
  // Nothing identifies an unnamed unique constraint but its columns.
  Schema a = database();
  table(a, "user").uniques[0].columns = {"fingerprint", "username"};
  EXPECT_EQ(kinds(migtest::compare(a, model())), "unique_added unique_removed ");
}

TEST(Compare, IndexAdded) {
  auto d =
      only([](Schema&,
              Schema& y) { table(y, "user").indexes.push_back(idx("ix_user_karma", {"karma"})); },
           K::index_added);
  EXPECT_EQ(d.describe(),
            "index ix_user_karma on user: database absent, model INDEX ix_user_karma (karma)");
}

TEST(Compare, IndexRemoved) {
  only([](Schema& x,
          Schema&) { table(x, "user").indexes.push_back(idx("ix_user_karma", {"karma"})); },
       K::index_removed);
}

TEST(Compare, IndexChanged) {
  only([](Schema& x, Schema&) { table(x, "post").indexes[0].where = ""; }, K::index_changed);
  only([](Schema& x, Schema&) { table(x, "user").indexes[0].unique = false; }, K::index_changed);
  only([](Schema& x, Schema&) { table(x, "user").indexes[0].method = "hash"; }, K::index_changed);
  only([](Schema& x, Schema&) { table(x, "post").indexes[0].columns = {"title"}; },
       K::index_changed);
}

TEST(Compare, IndexRenamedIsOneChange) {
  auto d = only([](Schema& x, Schema&) { table(x, "user").indexes[0].name = "idx_fp"; },
                K::index_changed);
  EXPECT_EQ(d.object, "ix_user_fingerprint");
  EXPECT_EQ(d.actual, "UNIQUE INDEX idx_fp (fingerprint)");
}

TEST(Compare, ForeignKeyAdded) {
  auto d = only(
      [](Schema&, Schema& y) {
        table(y, "user").foreign_keys.push_back(fk("", {"karma"}, "post", {"id"}));
      },
      K::foreign_key_added);
  EXPECT_EQ(d.describe(),
            "foreign key on user: database absent, model FOREIGN KEY (karma) REFERENCES post (id)");
}

TEST(Compare, ForeignKeyRemoved) {
  only(
      [](Schema& x, Schema&) {
        table(x, "user").foreign_keys.push_back(fk("user_karma_fkey", {"karma"}, "post", {"id"}));
      },
      K::foreign_key_removed);
}

TEST(Compare, ForeignKeyChangedActionIsOneChange) {
  auto d =
      only([](Schema& x, Schema&) { table(x, "post").foreign_keys[0].on_delete = "NO ACTION"; },
           K::foreign_key_changed);
  EXPECT_EQ(d.object, "post_author_id_fkey");
  EXPECT_EQ(d.describe(),
            "foreign key post_author_id_fkey on post: database CONSTRAINT post_author_id_fkey "
            "FOREIGN KEY (author_id) REFERENCES user (id), model FOREIGN KEY (author_id) "
            "REFERENCES user (id) ON DELETE CASCADE");
  only([](Schema& x, Schema&) { table(x, "post").foreign_keys[0].deferrable = true; },
       K::foreign_key_changed);
}

TEST(Compare, ForeignKeyChangedTargetByName) {
  only(
      [](Schema& x, Schema& y) {
        table(y, "post").foreign_keys[0].name = "fk_post_author";
        table(x, "post").foreign_keys[0].name = "fk_post_author";
        table(x, "post").foreign_keys[0].referred_columns = {"karma"};
      },
      K::foreign_key_changed);
}

TEST(Compare, CheckAdded) {
  only(
      [](Schema&, Schema& y) {
        table(y, "user").checks.push_back({"", "karma >= 0"});
      },
      K::check_added);
}

TEST(Compare, CheckRemoved) {
  auto d = only(
      [](Schema& x, Schema&) {
        table(x, "user").checks.push_back({"user_karma_check", "karma >= 0"});
      },
      K::check_removed);
  EXPECT_EQ(
      d.describe(),
      "check user_karma_check on user: database CONSTRAINT user_karma_check CHECK (karma >= 0), "
      "model absent");
}

TEST(Compare, CheckChangedByName) {
  only(
      [](Schema& x, Schema&) {
        for (auto& c : table(x, "post").checks)
          if (c.name == "ck_post_title") c.expression = "length(title) > 1";
      },
      K::check_changed);
}

TEST(Compare, TriggerAddedRemovedChanged) {
  only([](Schema& x, Schema&) { table(x, "post").triggers.clear(); }, K::trigger_added);
  only([](Schema&, Schema& y) { table(y, "post").triggers.clear(); }, K::trigger_removed);
  auto d =
      only([](Schema& x, Schema&) { table(x, "post").triggers[0].definition += " FOR EACH ROW"; },
           K::trigger_changed);
  EXPECT_EQ(d.object, "trg_post");
}

TEST(Compare, ViewAddedRemovedChanged) {
  auto d = only([](Schema& x, Schema&) { x.views.clear(); }, K::view_added);
  EXPECT_EQ(d.table, "");
  EXPECT_EQ(d.object, "popular_post");
  EXPECT_EQ(
      d.describe(),
      "view popular_post: database absent, model VIEW popular_post AS SELECT id, title FROM post");
  only([](Schema&, Schema& y) { y.views.clear(); }, K::view_removed);
  only([](Schema& x, Schema&) { x.views[0].definition = "SELECT id FROM post"; }, K::view_changed);
  only([](Schema& x, Schema&) { x.views[0].materialized = true; }, K::view_changed);
}

TEST(Compare, SequenceAddedRemovedChanged) {
  only([](Schema& x, Schema&) { x.sequences.clear(); }, K::sequence_added);
  only([](Schema&, Schema& y) { y.sequences.clear(); }, K::sequence_removed);
  only([](Schema& x, Schema&) { x.sequences[0].increment = 2; }, K::sequence_changed);
}

TEST(Compare, SequenceOwnedByARemovedColumnGoesWithIt) {
  // A serial column dropped: its owned sequence is part of the same change.
  Schema a = database();
  a.sequences.push_back({"", "user_karma_seq", "user.karma", "integer", 1, 1});
  Schema b = model();
  auto& cols = table(b, "user").columns;
  cols.erase(cols.begin() + 3);
  auto diffs = migtest::compare(a, b);
  EXPECT_EQ(kinds(diffs), "column_removed ");
  // A table dropped with its serial sequence: one difference.
  Schema c = model();
  c.tables.erase(c.tables.begin());  // user, owner of user_id_seq
  c.sequences.clear();
  EXPECT_EQ(kinds(migtest::compare(database(), c)), "table_removed ");
}

TEST(Compare, EnumAddedRemovedChanged) {
  only([](Schema& x, Schema&) { x.enums.clear(); }, K::enum_added);
  only([](Schema&, Schema& y) { y.enums.clear(); }, K::enum_removed);
  auto d = only([](Schema& x, Schema&) { x.enums[0].values.push_back("meh"); }, K::enum_changed);
  EXPECT_EQ(
      d.describe(),
      "enum mood: database ENUM mood ('happy', 'sad', 'meh'), model ENUM mood ('happy', 'sad')");
}

TEST(Compare, FunctionAddedRemovedChanged) {
  only([](Schema& x, Schema&) { x.functions.clear(); }, K::function_added);
  only([](Schema&, Schema& y) { y.functions.clear(); }, K::function_removed);
  only([](Schema& x, Schema&) { x.functions[0].definition = "BEGIN RETURN $1; END"; },
       K::function_changed);
}

TEST(Compare, SchemaQualifiedTables) {
  Schema a = model(), b = model();
  a.tables[0].schema = "audit";
  auto diffs = migtest::compare(a, b);
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_EQ(diffs[0].kind, K::table_added);
  EXPECT_EQ(diffs[0].table, "user");
  EXPECT_EQ(diffs[1].kind, K::table_removed);
  EXPECT_EQ(diffs[1].table, "audit.user");
}

TEST(Compare, SeveralChangesOfOneColumnAreOneDifferenceEachRenderedOnce) {
  Schema a = database();
  auto& karma = table(a, "user").columns[3];
  karma.nullable = true;
  karma.default_value.reset();
  auto diffs = migtest::compare(a, model());
  EXPECT_EQ(kinds(diffs), "nullable_changed default_changed ");
  EXPECT_EQ(migtest::render(diffs),
            "column user.karma: database integer NULL, model integer NOT NULL DEFAULT 0\n");
}

// --- ignore patterns ------------------------------------------------------------

TEST(Compare, IgnoreTablesByGlob) {
  Schema a = database();
  migtest::Table t;
  t.name = "tmp_import_1";
  t.columns = {col("x", "integer", true)};
  a.tables.push_back(t);
  t.name = "cache";
  a.tables.push_back(t);
  a.views.push_back({"", "tmp_view", "SELECT 1", false});
  migtest::CompareOptions o;
  o.ignore_tables = {"tmp_*", "cach?"};
  EXPECT_TRUE(migtest::compare(a, model(), o).empty());
  o.ignore_tables = {"tmp_*"};
  EXPECT_EQ(kinds(migtest::compare(a, model(), o)), "table_removed ");
}

TEST(Compare, IgnoredTableTakesItsOwnedSequences) {
  migtest::CompareOptions o;
  o.ignore_tables = {"user"};
  Schema b = model();
  b.sequences.clear();
  table(b, "user").columns.clear();  // would be many differences if not ignored
  EXPECT_TRUE(migtest::compare(database(), b, o).empty());
}

TEST(Compare, IgnorePatternsMatchQualifiedNames) {
  Schema a = model();
  migtest::Table t;
  t.schema = "audit";
  t.name = "log";
  t.columns = {col("x", "integer", true)};
  a.tables.push_back(t);
  migtest::CompareOptions o;
  o.ignore_tables = {"audit.*"};
  EXPECT_TRUE(migtest::compare(a, model(), o).empty());
}

TEST(Glob, StarAndQuestionMark) {
  EXPECT_TRUE(migtest::glob_match("*", ""));
  EXPECT_TRUE(migtest::glob_match("*", "anything"));
  EXPECT_TRUE(migtest::glob_match("tmp_*", "tmp_"));
  EXPECT_TRUE(migtest::glob_match("tmp_*", "tmp_x1"));
  EXPECT_FALSE(migtest::glob_match("tmp_*", "xtmp_1"));
  EXPECT_TRUE(migtest::glob_match("*_log", "audit_log"));
  EXPECT_FALSE(migtest::glob_match("*_log", "audit_logs"));
  EXPECT_TRUE(migtest::glob_match("a?c", "abc"));
  EXPECT_FALSE(migtest::glob_match("a?c", "ac"));
  EXPECT_TRUE(migtest::glob_match("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(migtest::glob_match("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(migtest::glob_match("user", "user"));
  EXPECT_FALSE(migtest::glob_match("user", "users"));
}

// --- rendering --------------------------------------------------------------------

TEST(Render, OneLinePerDifferenceGroupedByTableWithLabels) {
  Schema a = database();
  table(a, "user").columns[3].nullable = true;
  table(a, "post").columns[2].type = "text";
  a.views.clear();
  auto diffs = migtest::compare(a, model());
  EXPECT_EQ(migtest::render(diffs),
            "column post.title: database text NOT NULL, model character varying(200) NOT NULL\n"
            "column user.karma: database integer NULL DEFAULT 0, model integer NOT NULL DEFAULT 0\n"
            "view popular_post: database absent, model VIEW popular_post AS SELECT id, title FROM "
            "post\n");
  migtest::CompareOptions o;
  o.actual_label = "before";
  o.expected_label = "after";
  std::vector<Difference> shuffled = {diffs[2], diffs[1], diffs[0], diffs[1]};
  EXPECT_EQ(
      migtest::render(shuffled, o),
      "view popular_post: before absent, after VIEW popular_post AS SELECT id, title FROM post\n"
      "column user.karma: before integer NULL DEFAULT 0, after integer NOT NULL DEFAULT 0\n"
      "column post.title: before text NOT NULL, after character varying(200) NOT NULL\n");
  EXPECT_EQ(migtest::render({}), "");
}

TEST(Render, PrintingAndFormatting) {
  Difference d{K::nullable_changed, "user", "karma", "integer NOT NULL DEFAULT 0", "integer NULL"};
  EXPECT_EQ(d.describe(),
            "column user.karma: database integer NOT NULL DEFAULT 0, model integer NULL");
  EXPECT_EQ(fmt::format("{}", d), d.describe());
  EXPECT_EQ(fmt::format("{}", d.kind), "nullable_changed");
  std::ostringstream os;
  os << d;
  EXPECT_EQ(os.str(), d.describe());
}

}  // namespace

// --- both sides as schema objects -------------------------------------------------

TEST(CompareObjects, ColumnChangesCarryBothColumns) {
  auto added =
      only([](Schema&, Schema& y) { table(y, "user").columns.push_back(col("bio", "text", true)); },
           K::column_added);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(added.actual_object));
  ASSERT_NE(added.expected_as<migtest::Column>(), nullptr);
  EXPECT_EQ(*added.expected_as<migtest::Column>(), col("bio", "text", true));
  EXPECT_EQ(added.table_schema, "");
  EXPECT_EQ(added.table_name, "user");

  auto typed =
      only([](Schema& x, Schema&) { table(x, "post").columns[2].type = "text"; }, K::type_changed);
  ASSERT_NE(typed.actual_as<migtest::Column>(), nullptr);
  ASSERT_NE(typed.expected_as<migtest::Column>(), nullptr);
  EXPECT_EQ(typed.actual_as<migtest::Column>()->type, "text");
  EXPECT_EQ(typed.expected_as<migtest::Column>()->type, "character varying(200)");
  EXPECT_EQ(typed.actual_as<migtest::Index>(), nullptr);  // the other alternatives are empty
}

TEST(CompareObjects, TablesConstraintsIndexesAndOthersCarryTheirObjects) {
  auto removed = only(
      [](Schema&, Schema& y) {
        y.tables.erase(std::find_if(y.tables.begin(), y.tables.end(),
                                    [](const migtest::Table& t) { return t.name == "post"; }));
      },
      K::table_removed);
  ASSERT_NE(removed.actual_as<migtest::Table>(), nullptr);
  Schema db = database();
  migtest::Table post = table(db, "post");
  post.sort();  // compare() works on sorted copies
  EXPECT_EQ(*removed.actual_as<migtest::Table>(), post);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(removed.expected_object));

  auto fk_changed =
      only([](Schema& x, Schema&) { table(x, "post").foreign_keys[0].on_delete = "SET NULL"; },
           K::foreign_key_changed);
  EXPECT_EQ(fk_changed.actual_as<migtest::ForeignKey>()->on_delete, "SET NULL");
  EXPECT_EQ(fk_changed.expected_as<migtest::ForeignKey>()->on_delete, "CASCADE");
  EXPECT_EQ(fk_changed.actual_as<migtest::ForeignKey>()->name, "post_author_id_fkey");

  auto index =
      only([](Schema& x, Schema&) { table(x, "post").indexes[0].where = ""; }, K::index_changed);
  EXPECT_EQ(index.actual_as<migtest::Index>()->where, "");
  EXPECT_EQ(index.expected_as<migtest::Index>()->where, "title IS NOT NULL");

  auto pk = only([](Schema& x, Schema&) { table(x, "post").primary_key.reset(); },
                 K::primary_key_changed);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(pk.actual_object));
  EXPECT_EQ(pk.expected_as<migtest::PrimaryKey>()->columns, std::vector<std::string>{"id"});

  auto view = only([](Schema& x, Schema&) { x.views[0].definition = "SELECT id FROM post"; },
                   K::view_changed);
  EXPECT_EQ(view.actual_as<migtest::View>()->definition, "SELECT id FROM post");
  EXPECT_EQ(view.expected_as<migtest::View>()->definition, "SELECT id, title FROM post");
  EXPECT_EQ(view.table_name, "");  // not in a table

  auto comment = only([](Schema&, Schema& y) { table(y, "user").columns[3].comment = "points"; },
                      K::comment_changed);
  EXPECT_EQ(comment.actual_as<migtest::Column>()->comment, "");
  EXPECT_EQ(comment.expected_as<migtest::Column>()->comment, "points");
}

// The texts users read are the objects printed: one source for both.
TEST(CompareObjects, TextsAreTheObjectsPrinted) {
  Schema a = database(), e = model();
  table(a, "post").indexes[0].where = "";
  table(a, "post").checks.clear();
  table(a, "post").triggers[0].definition += " FOR EACH ROW";
  table(e, "user").uniques.push_back({"uq_user_karma", {"karma"}});
  table(e, "user").foreign_keys.push_back(fk("fk_user_self", {"karma"}, "user", {"id"}));
  a.sequences[0].increment = 2;
  e.enums[0].values.push_back("meh");
  e.functions[0].definition = "BEGIN RETURN $1 + 2; END";
  auto text_of = [](const migtest::SchemaObject& o) {
    return std::visit(
        [](const auto& x) -> std::string {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>)
            return "";
          else if constexpr (std::is_same_v<T, migtest::Table> ||
                             std::is_same_v<T, migtest::Column>)
            return "(not printed whole)";
          else
            return migtest::to_string(x);
        },
        o);
  };
  auto diffs = migtest::compare(a, e);
  EXPECT_EQ(kinds(diffs),
            "check_added check_added index_changed trigger_changed unique_added foreign_key_added "
            "sequence_changed enum_changed function_changed ");
  for (const auto& d : diffs) {
    EXPECT_EQ(text_of(d.actual_object), d.actual) << d.describe();
    EXPECT_EQ(text_of(d.expected_object), d.expected) << d.describe();
  }
}

TEST(CompareObjects, TableNamesApartEvenWhenANameHoldsADot) {
  Schema a, e;
  migtest::Table t;
  t.schema = "billing";
  t.name = "invoice.v2";  // a quoted name may hold a dot: "schema.table" cannot be split back
  t.columns = {col("id", "integer", false)};
  a.tables = {t};
  t.columns.push_back(col("total", "numeric", true));
  e.tables = {t};
  auto diffs = migtest::compare(a, e);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].table, "billing.invoice.v2");
  EXPECT_EQ(diffs[0].table_schema, "billing");
  EXPECT_EQ(diffs[0].table_name, "invoice.v2");
}
