// Metadata and its definitions are regular values: == holds for equal declarations and fails
// when any one field differs.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "migtest/metadata.hpp"

namespace migtest {
namespace {

// `base` equals a copy of itself and differs from each copy one of `changes` edits.
template <class T>
void expect_regular(const T& base, const std::vector<std::function<void(T&)>>& changes) {
  const T copy = base;
  EXPECT_TRUE(copy == base);
  EXPECT_FALSE(copy != base);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    T changed = base;
    changes[i](changed);
    EXPECT_FALSE(changed == base) << "change #" << i << " went unnoticed";
    EXPECT_TRUE(changed != base) << "change #" << i;
  }
}

ForeignKeyDef a_foreign_key() {
  ForeignKeyDef f;
  f.name = "fk_post_user";
  f.columns = {"user_id"};
  f.referred_table = "user";
  f.referred_columns = {"id"};
  return f;
}

TEST(DefinitionEquality, ForeignKeyDefComparesEveryField) {
  expect_regular<ForeignKeyDef>(
      a_foreign_key(),
      {[](auto& f) { f.name = "fk_other"; }, [](auto& f) { f.columns = {"author_id"}; },
       [](auto& f) { f.referred_schema = "billing"; }, [](auto& f) { f.referred_table = "u"; },
       [](auto& f) { f.referred_columns = {"uid"}; },
       [](auto& f) { f.on_delete = ReferentialAction::cascade; },
       [](auto& f) { f.on_update = ReferentialAction::set_null; },
       [](auto& f) { f.deferrable = true; }, [](auto& f) { f.initially_deferred = true; }});
}

TEST(DefinitionEquality, KeyUniqueCheckAndViewDefsCompareEveryField) {
  expect_regular<PrimaryKeyDef>({"pk_user", {"id"}}, {[](auto& p) { p.name = ""; },
                                                      [](auto& p) {
                                                        p.columns = {"id", "x"};
                                                      }});
  expect_regular<UniqueDef>({"uq_user_name", {"name"}},
                            {[](auto& u) { u.name = ""; }, [](auto& u) { u.columns = {"n"}; }});
  expect_regular<CheckDef>({"ck_karma", "karma >= 0"},
                           {[](auto& c) { c.name = ""; }, [](auto& c) { c.expression = "1"; }});
  expect_regular<ViewDef>(
      {"", "active", "SELECT 1", false},
      {[](auto& v) { v.schema = "s"; }, [](auto& v) { v.name = "other"; },
       [](auto& v) { v.definition = "SELECT 2"; }, [](auto& v) { v.materialized = true; }});
}

TEST(DefinitionEquality, IndexDefComparesEveryField) {
  IndexDef i;
  i.name = "ix_post_title";
  i.columns = {"title"};
  expect_regular<IndexDef>(
      i, {[](auto& x) { x.name = "ix_other"; }, [](auto& x) { x.columns = {"lower(title)"}; },
          [](auto& x) { x.unique = true; }, [](auto& x) { x.where = "title <> ''"; },
          [](auto& x) { x.method = "gin"; }});
}

TEST(DefinitionEquality, ColumnDefComparesEveryField) {
  ColumnDef c;
  c.name = "karma";
  c.type = Integer{};
  expect_regular<ColumnDef>(
      c, {[](auto& x) { x.name = "score"; }, [](auto& x) { x.type = Text{}; },
          [](auto& x) { x.nullable = true; }, [](auto& x) { x.primary_key = true; },
          [](auto& x) { x.primary_key_name = "pk"; }, [](auto& x) { x.autoincrement = true; },
          [](auto& x) { x.server_default = "0"; }, [](auto& x) { x.unique = true; },
          [](auto& x) { x.unique_name = "uq"; }, [](auto& x) { x.index = true; },
          [](auto& x) { x.foreign_key = a_foreign_key(); }});
}

TEST(DefinitionEquality, TableDefComparesEveryField) {
  Metadata md;
  md.table("user").column("id", Integer{}, primary_key).column("name", String(50));
  const TableDef t = md.tables().front();
  expect_regular<TableDef>(
      t, {[](auto& x) { x.schema = "s"; }, [](auto& x) { x.name = "person"; },
          [](auto& x) { x.columns.pop_back(); }, [](auto& x) { x.primary_key.reset(); },
          [](auto& x) {
            x.uniques.push_back({"", {"name"}});
          },
          [](auto& x) {
            x.indexes.push_back(IndexDef{"ix", {"name"}, false, "", ""});
          },
          [](auto& x) { x.foreign_keys.push_back(a_foreign_key()); },
          [](auto& x) {
            x.checks.push_back({"", "id > 0"});
          },
          [](auto& x) { x.without_rowid = true; }, [](auto& x) { x.strict = true; }});
}

Metadata blog() {
  Metadata md;
  md.table("user").column("id", Integer{}, primary_key).column("name", String(50), unique);
  md.table("post")
      .column("id", Integer{}, primary_key)
      .column("user_id", Integer{}, foreign_key("user.id", on_delete::cascade));
  md.view("names", "SELECT name FROM user");
  return md;
}

TEST(MetadataEquality, TheSameDeclarationsAreEqualAndACopyIsEqual) {
  const Metadata a = blog();
  const Metadata b = blog();
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  Metadata c = a;
  EXPECT_EQ(c, a);
}

TEST(MetadataEquality, AnyDifferenceInTablesViewsOrOrderIsUnequal) {
  Metadata extra_column = blog();
  extra_column.table("tag").column("id", Integer{}, primary_key);
  EXPECT_NE(extra_column, blog());

  Metadata other_view = blog();
  other_view.view("ids", "SELECT id FROM user");
  EXPECT_NE(other_view, blog());

  Metadata reordered;
  reordered.table("post")
      .column("id", Integer{}, primary_key)
      .column("user_id", Integer{}, foreign_key("user.id", on_delete::cascade));
  reordered.table("user").column("id", Integer{}, primary_key).column("name", String(50), unique);
  reordered.view("names", "SELECT name FROM user");
  EXPECT_NE(reordered, blog());  // declaration order is part of the value (create_all follows it)

  Metadata other_action;
  other_action.table("user")
      .column("id", Integer{}, primary_key)
      .column("name", String(50), unique);
  other_action.table("post")
      .column("id", Integer{}, primary_key)
      .column("user_id", Integer{}, foreign_key("user.id", on_delete::set_null));
  other_action.view("names", "SELECT name FROM user");
  EXPECT_NE(other_action, blog());
}

TEST(MetadataEquality, APrimaryKeyDeclaredTwiceIsUnequalToItDeclaredOnce) {
  Metadata twice;
  twice.table("t").column("a", Integer{}, primary_key).primary_key({"a"});
  Metadata once;
  once.table("t").column("a", Integer{}, primary_key);
  ASSERT_THROW(twice.validate(), schema_error);
  ASSERT_NO_THROW(once.validate());
  EXPECT_NE(twice, once);
}

}  // namespace
}  // namespace migtest
