// expected_schema(models, connection) on PostgreSQL: the server builds the models and the
// database's own reader reads them, so a database migrated to the models compares equal
// however its migrations spell things, and real changes are still seen.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/diff.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "migtest/schema.hpp"
#include "migtest/url.hpp"
#include "support/postgres.hpp"
#include "support/scratch.hpp"

namespace {

using migtest::Schema;

// Every Metadata feature PostgreSQL supports.
migtest::Metadata every_feature() {
  using namespace migtest;
  Metadata md;
  md.table("user")
      .column("id", Integer{}, primary_key)
      .column("fingerprint", String{}, unique, migtest::index)
      .column("username", String(40), nullable)
      .column("email", String(255), unique)
      .column("karma", Integer{}, server_default("0"))
      .column("mood", Enum("mood", {"sad", "ok", "happy"}), server_default("'ok'"))
      .column("created_at", DateTime{with_timezone}, server_default("now()"))
      .column("updated_at", DateTime{}, nullable, server_default("CURRENT_TIMESTAMP"))
      .column("birthday", Date{}, nullable)
      .column("wakes_at", Time{}, nullable)
      .column("wakes_at_tz", Time{with_timezone}, nullable)
      .column("active", Boolean{}, server_default("true"))
      .column("bio", Text{}, nullable, server_default("''"))
      .column("weight", Float{}, nullable)
      .column("height", Double{}, nullable, server_default("1.5"))
      .column("balance", Numeric(12, 2), server_default("-1.5"))
      .column("ratio", Numeric(6), nullable)
      .column("avatar", Blob{}, nullable)
      .column("settings", Json{}, server_default("'{}'"))
      .column("token", Uuid{}, nullable)
      .column("tags", Raw({{"sqlite", "TEXT"}, {"postgresql", "text[]"}}), nullable)
      .check("length(username) > 2")
      .check("karma >= -100 AND karma <= 1000000")
      .index("ix_user_lower_email", {"lower(email)"}, unique)
      .index("ix_user_active", {"karma DESC"}, where("active AND mood IN ('ok', 'happy')"));
  md.table("post")
      .column("id", BigInteger{}, primary_key, autoincrement)
      .column("author_id", Integer{}, foreign_key("user.id", on_delete::cascade))
      .column("editor_id", Integer{}, nullable,
              foreign_key("user.id", on_delete::set_null, on_update::cascade,
                          deferrable(Initially::deferred)))
      .column("title", String(200))
      .column("body", Json{}, server_default("'{}'::jsonb"))
      .column("published", Boolean{}, server_default("false"))
      .column("score", SmallInteger{}, server_default("-3"))
      .check("title <> ''")
      .check("ck_post_score", "score BETWEEN -10 AND 10")
      .unique_constraint({"author_id", "title"})
      .index("ix_post_body", {"body"}, index_method("gin"))
      .index("ix_post_published", {"author_id", "id"}, where("published"));
  md.table("tag")
      .column("name", String(50))
      .column("post_id", BigInteger{}, foreign_key("post.id"))
      .primary_key({"post_id", "name"}, "pk_tag")
      .unique_constraint("uq_tag_name", {"name", "post_id"});
  md.table("comment")
      .column("id", Integer{}, primary_key, autoincrement)
      .column("post_id", BigInteger{})
      .column("parent_id", Integer{}, nullable)
      .foreign_key({"post_id"}, "post", {"id"}, named("fk_comment_post"), on_delete::restrict)
      .foreign_key({"parent_id"}, "comment", {"id"});
  md.view("published_posts",
          "SELECT p.id, p.title, u.username FROM post p JOIN \"user\" u ON u.id = author_id "
          "WHERE published ORDER BY p.id");
  md.view("karma_total", "SELECT sum(karma) AS total, count(*) FROM \"user\"");
  md.materialized_view("post_counts",
                       "SELECT author_id, count(*) AS n FROM post GROUP BY author_id");
  return md;
}

TEST(PostgresExpected, ServerNamesAndIdentity) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  const Schema s = migtest::expected_schema(every_feature(), *c);
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(s.dialect, migtest::Dialect::postgresql);
  const migtest::Table* user = s.find_table("user");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->find_column("id")->identity, "by default");
  EXPECT_EQ(user->primary_key->name, "user_pkey");
  EXPECT_EQ(user->find_column("created_at")->type, "timestamp with time zone");
  EXPECT_EQ(user->find_column("ratio")->type, "numeric(6,0)");
  EXPECT_EQ(user->find_column("settings")->type, "jsonb");
  const migtest::Table* post = s.find_table("post");
  ASSERT_TRUE(post);
  EXPECT_TRUE(post->find_column("id")->autoincrement);
  EXPECT_EQ(post->find_column("id")->identity, "");
  EXPECT_EQ(post->find_column("body")->default_value, std::optional<std::string>("'{}'::jsonb"));
  ASSERT_EQ(post->checks.size(), 2u);
  EXPECT_EQ(post->checks[0].name, "ck_post_score");
  EXPECT_EQ(post->checks[1].name, "post_title_check");
  EXPECT_EQ(post->uniques[0].name, "post_author_id_title_key");
  // A foreign key column is never an implicit identity.
  const migtest::Table* tag = s.find_table("tag");
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->find_column("post_id")->identity, "");
  bool has_seq =
      std::any_of(s.sequences.begin(), s.sequences.end(), [](const migtest::Sequence& q) {
        return q.name == "post_id_seq" && q.owned_by == "post.id" && q.type == "bigint";
      });
  EXPECT_TRUE(has_seq);
}

TEST(PostgresExpected, CreateAllThenReflectIsExpectedSchema) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  migtest::Metadata md = every_feature();
  migtest::create_all(*c, md);
  Schema actual = migtest::reflect(*c);
  Schema expected = migtest::expected_schema(md, *c);
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << migtest::to_string(actual) << "expected:\n"
                              << migtest::to_string(expected);
  EXPECT_EQ(actual.tables.size(), 4u);
  EXPECT_EQ(actual.views.size(), 3u);
}

// The same models built by hand-written migrations, spelled the way people write them.
TEST(PostgresExpected, HandWrittenMigrationsMatchTheModel) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    create type mood as enum ('sad', 'ok', 'happy');
    create table "user" (
      id int generated by default as identity primary key,
      fingerprint varchar not null unique,
      username varchar(40),
      email varchar(255) not null unique,
      karma int not null default 0,
      mood mood not null default 'ok',
      created_at timestamptz not null default now(),
      updated_at timestamp default current_timestamp,
      birthday date, wakes_at time, wakes_at_tz timetz,
      active bool not null default TRUE,
      bio text default '',
      weight float4, height float8 default 1.5,
      balance decimal(12, 2) not null default -1.5,
      ratio numeric(6),
      avatar bytea, settings jsonb not null default '{}', token uuid, tags text[],
      check (length(username) > 2),
      check (karma between -100 and 1000000)
    );
    alter table "user" drop constraint user_fingerprint_key;
    create unique index ix_user_fingerprint on "user" (fingerprint);
    create unique index ix_user_lower_email on "user" (lower(email));
    create index ix_user_active on "user" (karma desc) where active and mood in ('ok', 'happy');
    create table post (
      id bigserial primary key,
      author_id int not null references "user" on delete cascade,
      editor_id int references "user" (id) on delete set null on update cascade
        deferrable initially deferred,
      title varchar(200) not null check (title <> ''),
      body jsonb not null default '{}'::jsonb,
      published boolean not null default false,
      score smallint not null default -3,
      constraint ck_post_score check (score >= -10 and score <= 10),
      unique (author_id, title)
    );
    create index ix_post_body on post using gin (body);
    create index ix_post_published on post (author_id, id) where published;
    create table tag (name varchar(50) not null, post_id bigint not null references post (id),
                      constraint pk_tag primary key (post_id, name),
                      constraint uq_tag_name unique (name, post_id));
    create table comment (id serial primary key, post_id bigint not null, parent_id int);
    alter table comment add constraint fk_comment_post foreign key (post_id) references post (id)
      on delete restrict;
    alter table comment add foreign key (parent_id) references comment (id);
    create view published_posts as
      select p.id, p.title, u.username from post p join "user" u on u.id = p.author_id
      where p.published order by p.id;
    create view karma_total as select sum(karma) as total, count(*) as count from "user";
    create materialized view post_counts as
      select author_id, count(*) as n from post group by 1;
  )sql");
  Schema actual = migtest::reflect(*c);
  Schema expected = migtest::expected_schema(every_feature(), *c);
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << migtest::to_string(actual) << "expected:\n"
                              << migtest::to_string(expected);
}

// Each kind of real change still makes the schemas differ, in the field that changed.
TEST(PostgresExpected, RealChangesAreSeen) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  migtest::Metadata md = every_feature();
  migtest::create_all(*c, md);
  const Schema expected = migtest::expected_schema(md, *c);
  ASSERT_EQ(migtest::reflect(*c), expected);
  const std::vector<std::string> changes{
      "ALTER TABLE \"user\" ALTER COLUMN karma SET DEFAULT 1",
      "ALTER TABLE \"user\" ALTER COLUMN bio SET NOT NULL",
      "ALTER TABLE \"user\" ALTER COLUMN email TYPE varchar(256)",
      "ALTER TABLE \"user\" DROP CONSTRAINT user_username_check, "
      "ADD CONSTRAINT user_username_check CHECK (length(username) > 3)",
      "DROP INDEX ix_user_active; CREATE INDEX ix_user_active ON \"user\" (karma DESC) "
      "WHERE active AND mood IN ('ok')",
      "DROP INDEX ix_post_body; CREATE INDEX ix_post_body ON post USING btree (body)",
      "ALTER TABLE comment DROP CONSTRAINT fk_comment_post, ADD CONSTRAINT fk_comment_post "
      "FOREIGN KEY (post_id) REFERENCES post (id) ON DELETE CASCADE",
      "CREATE OR REPLACE VIEW karma_total AS SELECT sum(karma) + 0 AS total, count(*) AS count "
      "FROM \"user\"",
      "ALTER TYPE mood ADD VALUE 'angry'",
      "ALTER TABLE post ALTER COLUMN id DROP DEFAULT",
      "ALTER TABLE \"user\" ALTER COLUMN id DROP IDENTITY",
  };
  for (const auto& change : changes) {
    c->begin();
    c->execute_script(change);
    Schema changed = migtest::reflect(*c);
    EXPECT_NE(changed, expected) << change;
    c->rollback();
  }
  EXPECT_EQ(migtest::reflect(*c), expected);
}

// Unnamed constraints on long names: the server cuts them to 63 bytes and numbers clashes,
// in the scratch schema as in the database.
TEST(PostgresExpected, ServerChosenNamesOnLongNames) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  using namespace migtest;
  Metadata md;
  std::string long_name = "a_table_with_a_rather_long_name_that_goes_on_and_on_forever";
  md.table(long_name)
      .column("id", Integer{}, primary_key)
      .column("a_column_with_quite_a_long_name_as_well", Integer{}, unique)
      .column("b", Integer{}, foreign_key(long_name + ".id"))
      .check("id > 0 AND b > 0")
      .check("id < 100 AND b < 100")
      .check("a_column_with_quite_a_long_name_as_well > 0")
      .column("serial_one", Integer{}, autoincrement);
  create_all(*c, md);
  Schema actual = reflect(*c);
  Schema expected = expected_schema(md, *c);
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << to_string(actual) << "expected:\n"
                              << to_string(expected);
}

}  // namespace
