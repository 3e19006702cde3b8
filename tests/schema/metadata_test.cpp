// The Metadata builder: what it records, and every validation error.
#include "migtest/metadata.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/error.hpp"
#include "migtest/format.hpp"

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

migtest::Metadata blog() {
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("fingerprint", migtest::String{}, migtest::unique, migtest::index)
      .column("username", migtest::String{}, migtest::nullable)
      .column("karma", migtest::Integer{}, migtest::server_default("0"));
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{},
              migtest::foreign_key("user.id", migtest::on_delete::cascade))
      .column("title", migtest::String(200))
      .check("ck_post_title", "length(title) > 0")
      .index("ix_post_title_lower", {"lower(title)"}, migtest::where("title IS NOT NULL"))
      .unique_constraint("uq_post_author_title", {"author_id", "title"});
  md.view("popular_post", "SELECT id, title FROM post");
  return md;
}

TEST(Metadata, RecordsTablesColumnsAndViewsInDeclarationOrder) {
  auto md = blog();
  EXPECT_NO_THROW(md.validate());
  ASSERT_EQ(md.tables().size(), 2u);
  const auto& user = md.tables()[0];
  EXPECT_EQ(user.name, "user");
  EXPECT_EQ(user.schema, "");
  ASSERT_EQ(user.columns.size(), 4u);
  EXPECT_EQ(user.columns[0].name, "id");
  EXPECT_EQ(user.columns[0].type, migtest::Integer{});
  EXPECT_TRUE(user.columns[0].primary_key);
  EXPECT_FALSE(user.columns[0].nullable);
  EXPECT_FALSE(user.find_column("fingerprint")->nullable);  // NOT NULL by default
  EXPECT_TRUE(user.find_column("username")->nullable);
  EXPECT_EQ(user.find_column("karma")->server_default, "0");
  EXPECT_EQ(user.find_column("nope"), nullptr);
  ASSERT_EQ(md.views().size(), 1u);
  EXPECT_EQ(md.views()[0].name, "popular_post");
  EXPECT_EQ(md.views()[0].definition, "SELECT id, title FROM post");
  EXPECT_FALSE(md.views()[0].materialized);
  EXPECT_EQ(md.find_table("post"), &md.tables()[1]);
  EXPECT_EQ(md.find_table("post", "other"), nullptr);
}

TEST(Metadata, ColumnOptionsAreListedAtTableLevel) {
  auto md = blog();
  const auto& user = md.tables()[0];
  ASSERT_TRUE(user.primary_key);
  EXPECT_THAT(user.primary_key->columns, ElementsAre("id"));
  EXPECT_EQ(user.primary_key->name, "");
  // unique + index: one unique index named like SQLAlchemy's, no separate constraint.
  EXPECT_TRUE(user.uniques.empty());
  ASSERT_EQ(user.indexes.size(), 1u);
  EXPECT_EQ(user.indexes[0].name, "ix_user_fingerprint");
  EXPECT_THAT(user.indexes[0].columns, ElementsAre("fingerprint"));
  EXPECT_TRUE(user.indexes[0].unique);

  const auto& post = md.tables()[1];
  ASSERT_EQ(post.foreign_keys.size(), 1u);
  const auto& fk = post.foreign_keys[0];
  EXPECT_THAT(fk.columns, ElementsAre("author_id"));
  EXPECT_EQ(fk.referred_schema, "");
  EXPECT_EQ(fk.referred_table, "user");
  EXPECT_THAT(fk.referred_columns, ElementsAre("id"));
  EXPECT_EQ(fk.on_delete, migtest::ReferentialAction::cascade);
  EXPECT_EQ(fk.on_update, migtest::ReferentialAction::no_action);
  EXPECT_EQ(fk.name, "");
  ASSERT_TRUE(post.find_column("author_id")->foreign_key);
  EXPECT_EQ(post.find_column("author_id")->foreign_key->referred_table, "user");

  ASSERT_EQ(post.checks.size(), 1u);
  EXPECT_EQ(post.checks[0].name, "ck_post_title");
  EXPECT_EQ(post.checks[0].expression, "length(title) > 0");
  ASSERT_EQ(post.uniques.size(), 1u);
  EXPECT_EQ(post.uniques[0].name, "uq_post_author_title");
  EXPECT_THAT(post.uniques[0].columns, ElementsAre("author_id", "title"));
  ASSERT_EQ(post.indexes.size(), 1u);
  EXPECT_EQ(post.indexes[0].where, "title IS NOT NULL");
  EXPECT_FALSE(post.indexes[0].unique);
  EXPECT_TRUE(post.indexes[0].is_expression(0));
}

TEST(Metadata, UniqueAloneIsAConstraintIndexAloneAnIndex) {
  migtest::Metadata md;
  md.table("t")
      .column("id", migtest::Integer{}, migtest::primary_key.named("pk_t"))
      .column("a", migtest::Text{}, migtest::unique)
      .column("b", migtest::Text{}, migtest::unique.named("uq_t_b"))
      .column("c", migtest::Text{}, migtest::index);
  md.validate();
  const auto& t = md.tables()[0];
  EXPECT_EQ(t.primary_key->name, "pk_t");
  ASSERT_EQ(t.uniques.size(), 2u);
  EXPECT_EQ(t.uniques[0].name, "");
  EXPECT_THAT(t.uniques[0].columns, ElementsAre("a"));
  EXPECT_EQ(t.uniques[1].name, "uq_t_b");
  ASSERT_EQ(t.indexes.size(), 1u);
  EXPECT_EQ(t.indexes[0].name, "ix_t_c");
  EXPECT_FALSE(t.indexes[0].unique);
}

TEST(Metadata, CompositeKeysTableLevelForeignKeysAndOptions) {
  migtest::Metadata md;
  md.table("audit.tag")
      .column("owner", migtest::BigInteger{})
      .column("label", migtest::String(40))
      .primary_key({"owner", "label"}, "pk_tag");
  md.table("note")
      .column("id", migtest::Integer{}, migtest::primary_key, migtest::autoincrement)
      .column("owner", migtest::BigInteger{}, migtest::nullable)
      .column("label", migtest::String(40), migtest::nullable)
      .column("body", migtest::Text{})
      .foreign_key({"owner", "label"}, "audit.tag", {"owner", "label"},
                   migtest::on_delete::set_null, migtest::on_update::cascade,
                   migtest::named("fk_note_tag"), migtest::deferrable(migtest::Initially::deferred))
      .unique_constraint({"owner", "label"})
      .check("length(body) < 10000")
      .index("ix_note_body", {"body"}, migtest::unique, migtest::index_method("hash"))
      .without_rowid();
  md.materialized_view("audit.tag_count", "SELECT count(*) FROM audit.tag");
  ASSERT_NO_THROW(md.validate());

  const auto* tag = md.find_table("tag", "audit");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->primary_key->name, "pk_tag");
  EXPECT_THAT(tag->primary_key->columns, ElementsAre("owner", "label"));
  EXPECT_FALSE(tag->columns[0].primary_key);  // table-level: the column flag stays off

  const auto& note = *md.find_table("note");
  EXPECT_TRUE(note.columns[0].autoincrement);
  ASSERT_EQ(note.foreign_keys.size(), 1u);
  const auto& fk = note.foreign_keys[0];
  EXPECT_EQ(fk.name, "fk_note_tag");
  EXPECT_EQ(fk.referred_schema, "audit");
  EXPECT_EQ(fk.referred_table, "tag");
  EXPECT_THAT(fk.columns, ElementsAre("owner", "label"));
  EXPECT_EQ(fk.on_delete, migtest::ReferentialAction::set_null);
  EXPECT_EQ(fk.on_update, migtest::ReferentialAction::cascade);
  EXPECT_TRUE(fk.deferrable);
  EXPECT_TRUE(fk.initially_deferred);
  EXPECT_EQ(note.uniques[0].name, "");
  EXPECT_EQ(note.checks[0].name, "");
  EXPECT_TRUE(note.indexes[0].unique);
  EXPECT_EQ(note.indexes[0].method, "hash");
  EXPECT_FALSE(note.indexes[0].is_expression(0));
  EXPECT_TRUE(note.without_rowid);
  ASSERT_EQ(md.views().size(), 1u);
  EXPECT_EQ(md.views()[0].schema, "audit");
  EXPECT_TRUE(md.views()[0].materialized);
}

TEST(Metadata, TablePrimaryKeyMakesItsColumnsNotNull) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}, migtest::nullable).primary_key({"a"});
  EXPECT_FALSE(md.tables()[0].columns[0].nullable);
  migtest::Metadata md2;
  md2.table("t").column("a", migtest::Integer{}, migtest::nullable, migtest::primary_key);
  EXPECT_FALSE(md2.tables()[0].columns[0].nullable);
}

TEST(Metadata, PortableTypes) {
  using K = migtest::Type::Kind;
  EXPECT_EQ(migtest::Integer{}.kind, K::integer);
  EXPECT_EQ(migtest::BigInteger{}.kind, K::big_integer);
  EXPECT_EQ(migtest::SmallInteger{}.kind, K::small_integer);
  EXPECT_EQ(migtest::Boolean{}.kind, K::boolean);
  EXPECT_EQ(migtest::String{}.length, std::nullopt);
  EXPECT_EQ(migtest::String(200).length, 200);
  EXPECT_EQ(migtest::Text{}.kind, K::text);
  EXPECT_EQ(migtest::Float{}.kind, K::float32);
  EXPECT_EQ(migtest::Double{}.kind, K::float64);
  migtest::Type n = migtest::Numeric(10, 2);
  EXPECT_EQ(n.kind, K::numeric);
  EXPECT_EQ(n.precision, 10);
  EXPECT_EQ(n.scale, 2);
  EXPECT_EQ(migtest::Date{}.kind, K::date);
  EXPECT_FALSE(migtest::DateTime{}.timezone);
  EXPECT_TRUE(migtest::DateTime{migtest::with_timezone}.timezone);
  EXPECT_TRUE(migtest::Time{migtest::with_timezone}.timezone);
  EXPECT_EQ(migtest::Type(migtest::Blob{}).kind, K::blob);
  EXPECT_EQ(migtest::Json{}.kind, K::json);
  EXPECT_EQ(migtest::Uuid{}.kind, K::uuid);
  migtest::Type e = migtest::Enum("mood", {"happy", "sad"});
  EXPECT_EQ(e.kind, K::enumeration);
  EXPECT_EQ(e.enum_name, "mood");
  EXPECT_THAT(e.enum_values, ElementsAre("happy", "sad"));
  migtest::Type r = migtest::Raw({{"sqlite", "TEXT"}, {"postgresql", "jsonb"}});
  EXPECT_EQ(r.raw_for(migtest::Dialect::postgresql), "jsonb");
  EXPECT_EQ(r.raw_for(migtest::Dialect::sqlite), "TEXT");
  EXPECT_EQ(migtest::Type(migtest::Raw(std::map<std::string, std::string>{{"sqlite", "TEXT"}}))
                .raw_for(migtest::Dialect::postgresql),
            std::nullopt);

  EXPECT_NE(migtest::Type(migtest::String(10)), migtest::Type(migtest::String(20)));
  EXPECT_NE(migtest::Type(migtest::DateTime{}),
            migtest::Type(migtest::DateTime{migtest::with_timezone}));
}

TEST(Metadata, TypesPrintReadably) {
  EXPECT_EQ(to_string(migtest::Integer{}), "Integer");
  EXPECT_EQ(to_string(migtest::String(200)), "String(200)");
  EXPECT_EQ(to_string(migtest::String{}), "String");
  EXPECT_EQ(to_string(migtest::Numeric(10, 2)), "Numeric(10, 2)");
  EXPECT_EQ(to_string(migtest::DateTime{migtest::with_timezone}), "DateTime(timezone)");
  EXPECT_EQ(to_string(migtest::Type(migtest::Enum("mood", {"happy", "sad"}))),
            "Enum mood(happy, sad)");
  EXPECT_EQ(to_string(migtest::Raw({{"sqlite", "TEXT"}, {"postgresql", "jsonb"}})),
            "Raw(postgresql: jsonb, sqlite: TEXT)");
  EXPECT_EQ(fmt::format("{}", migtest::Type(migtest::Uuid{})), "Uuid");
  EXPECT_EQ(fmt::format("{}", migtest::ReferentialAction::set_null), "SET NULL");
}

TEST(Metadata, EnumsAreCollectedOnceInFirstUseOrder) {
  migtest::Metadata md;
  md.table("a")
      .column("m", migtest::Enum("mood", {"happy", "sad"}))
      .column("c", migtest::Enum("colour", {"red"}));
  md.table("b").column("m", migtest::Enum("mood", {"happy", "sad"}));
  md.validate();
  auto enums = md.enums();
  ASSERT_EQ(enums.size(), 2u);
  EXPECT_EQ(enums[0], migtest::Enum("mood", {"happy", "sad"}));
  EXPECT_EQ(enums[1].name, "colour");
}

TEST(Metadata, IsARegularValue) {
  auto md = blog();
  migtest::Metadata copy = md;
  copy.table("extra").column("id", migtest::Integer{});
  EXPECT_EQ(md.tables().size(), 2u);
  EXPECT_EQ(copy.tables().size(), 3u);
}

// --- validation: each bad input is a schema_error naming the object ---------

std::string validation_error(const migtest::Metadata& md) {
  try {
    md.validate();
  } catch (const migtest::schema_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MetadataValidation, ForeignKeyToUnknownTable) {
  migtest::Metadata md;
  md.table("post").column("author_id", migtest::Integer{}, migtest::foreign_key("person.id"));
  EXPECT_EQ(validation_error(md),
            "metadata: table post: foreign key (author_id) refers to unknown table person");
}

TEST(MetadataValidation, ForeignKeyToUnknownColumn) {
  auto md = blog();
  md.table("comment").column("post_id", migtest::Integer{}, migtest::foreign_key("post.uid"));
  EXPECT_EQ(validation_error(md),
            "metadata: table comment: foreign key (post_id) refers to unknown column post.uid");
}

TEST(MetadataValidation, ForeignKeyTargetThatIsNotTableDotColumn) {
  auto md = blog();
  md.table("comment").column("post_id", migtest::Integer{}, migtest::foreign_key("post"));
  EXPECT_EQ(validation_error(md),
            "metadata: column comment.post_id: foreign key target 'post' is not table.column");
}

TEST(MetadataValidation, ForeignKeyColumnCountsDiffer) {
  auto md = blog();
  md.table("comment")
      .column("a", migtest::Integer{})
      .column("b", migtest::Integer{})
      .foreign_key({"a", "b"}, "user", {"id"}, migtest::named("fk_comment_user"));
  EXPECT_EQ(validation_error(md),
            "metadata: table comment: foreign key fk_comment_user has 2 column(s) but refers "
            "to 1 in user");
}

TEST(MetadataValidation, ForeignKeyOnMissingLocalColumn) {
  auto md = blog();
  md.table("comment").column("id", migtest::Integer{}).foreign_key({"user_id"}, "user", {"id"});
  EXPECT_EQ(validation_error(md),
            "metadata: table comment: foreign key names missing column user_id");
}

TEST(MetadataValidation, TwoTablesOfOneName) {
  auto md = blog();
  md.table("user").column("id", migtest::Integer{});
  EXPECT_EQ(validation_error(md), "metadata: two tables named user");
}

TEST(MetadataValidation, SameNameInAnotherSchemaIsFine) {
  auto md = blog();
  md.table("audit.user").column("id", migtest::Integer{});
  EXPECT_EQ(validation_error(md), "(no error)");
}

TEST(MetadataValidation, ViewNamedLikeATable) {
  auto md = blog();
  md.view("post", "SELECT 1");
  EXPECT_EQ(validation_error(md),
            "metadata: view post: a table or view of that name exists already");
}

TEST(MetadataValidation, TwoColumnsOfOneName) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).column("a", migtest::Text{});
  EXPECT_EQ(validation_error(md), "metadata: table t: two columns named a");
}

TEST(MetadataValidation, TableWithoutColumns) {
  migtest::Metadata md;
  md.table("t");
  EXPECT_EQ(validation_error(md), "metadata: table t: no columns");
}

TEST(MetadataValidation, IndexOnMissingColumn) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).index("ix_t_b", {"a", "b"});
  EXPECT_EQ(validation_error(md), "metadata: table t: index ix_t_b names missing column b");
}

TEST(MetadataValidation, IndexOnExpressionIsNotCheckedAgainstColumns) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Text{}).index("ix_t_lower", {"lower(a)", "a || 'x'"});
  EXPECT_EQ(validation_error(md), "(no error)");
}

TEST(MetadataValidation, IndexWithoutNameOrColumns) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).index("", {"a"});
  EXPECT_EQ(validation_error(md), "metadata: table t: an index without a name");
  migtest::Metadata md2;
  md2.table("t").column("a", migtest::Integer{}).index("ix_t", {});
  EXPECT_EQ(validation_error(md2), "metadata: table t: index ix_t has no columns");
}

TEST(MetadataValidation, TwoIndexesOfOneName) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).index("ix_a", {"a"});
  md.table("u").column("a", migtest::Integer{}).index("ix_a", {"a"});
  EXPECT_EQ(validation_error(md), "metadata: table u: index ix_a exists already (on table t)");
}

TEST(MetadataValidation, UniqueOnMissingColumn) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).unique_constraint("uq_t", {"a", "c"});
  EXPECT_EQ(validation_error(md),
            "metadata: table t: unique constraint uq_t names missing column c");
}

TEST(MetadataValidation, UniqueNamingAColumnTwice) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).unique_constraint({"a", "a"});
  EXPECT_EQ(validation_error(md), "metadata: table t: unique constraint names column a twice");
}

TEST(MetadataValidation, PrimaryKeyOnMissingColumn) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).primary_key({"a", "b"});
  EXPECT_EQ(validation_error(md), "metadata: table t: primary key names missing column b");
}

TEST(MetadataValidation, PrimaryKeyDeclaredTwice) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}, migtest::primary_key).primary_key({"a"});
  EXPECT_EQ(validation_error(md), "metadata: table t: primary key declared twice");
  migtest::Metadata md2;
  md2.table("t")
      .column("a", migtest::Integer{})
      .primary_key({"a"})
      .column("b", migtest::Integer{}, migtest::primary_key);
  EXPECT_EQ(validation_error(md2),
            "metadata: table t: primary key declared twice (table-level and on column b)");
}

TEST(MetadataValidation, TwoPrimaryKeyColumnsAreOneCompositeKey) {
  migtest::Metadata md;
  md.table("t")
      .column("a", migtest::Integer{}, migtest::primary_key)
      .column("b", migtest::Integer{}, migtest::primary_key);
  EXPECT_EQ(validation_error(md), "(no error)");
  EXPECT_THAT(md.tables()[0].primary_key->columns, ElementsAre("a", "b"));
}

TEST(MetadataValidation, EmptyCheck) {
  migtest::Metadata md;
  md.table("t").column("a", migtest::Integer{}).check("ck_t_a", "");
  EXPECT_EQ(validation_error(md), "metadata: table t: check ck_t_a is empty");
}

TEST(MetadataValidation, EnumWithTwoValueLists) {
  migtest::Metadata md;
  md.table("a").column("m", migtest::Enum("mood", {"happy", "sad"}));
  md.table("b").column("m", migtest::Enum("mood", {"happy"}));
  EXPECT_EQ(validation_error(md),
            "metadata: column b.m: Enum mood declared with values (happy) and elsewhere "
            "(happy, sad)");
}

TEST(MetadataValidation, EnumWithoutValues) {
  migtest::Metadata md;
  md.table("a").column("m", migtest::Enum("mood", {}));
  EXPECT_EQ(validation_error(md), "metadata: column a.m: Enum mood has no values");
}

TEST(MetadataValidation, RawWithoutDialects) {
  migtest::Metadata md;
  md.table("a").column("x", migtest::Raw({}));
  EXPECT_EQ(validation_error(md), "metadata: column a.x: Raw type without any dialect");
}

TEST(MetadataValidation, StringOfZeroLength) {
  migtest::Metadata md;
  md.table("a").column("x", migtest::String(0));
  EXPECT_EQ(validation_error(md), "metadata: column a.x: String(0) needs a positive length");
}

TEST(MetadataValidation, EmptyViewDefinition) {
  auto md = blog();
  md.view("v", "");
  EXPECT_EQ(validation_error(md), "metadata: view v: empty definition");
}

TEST(MetadataValidation, ErrorsAreSchemaErrorsAndMigtestErrors) {
  migtest::Metadata md;
  md.table("t");
  EXPECT_THROW(md.validate(), migtest::schema_error);
  EXPECT_THROW(md.validate(), migtest::error);
}

}  // namespace
