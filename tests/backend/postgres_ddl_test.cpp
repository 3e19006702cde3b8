// PostgreSQL canonical forms, DDL rendering and expected_schema: unit tests of the
// normaliser, and create_all -> reflect == expected_schema on the real server.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "backend/postgres/ddl.hpp"
#include "backend/postgres/normalize.hpp"
#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "migtest/schema.hpp"
#include "support/postgres.hpp"
#include "support/scratch.hpp"

namespace {

namespace pg = migtest::detail::pg;
using migtest::Schema;

// ---------------------------------------------------------------------------
// Canonical forms without a server

TEST(PostgresCanonical, Types) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"varchar(20)", "character varying(20)"},
      {"VARCHAR", "character varying"},
      {"int", "integer"},
      {"INT4", "integer"},
      {"int8", "bigint"},
      {"int2", "smallint"},
      {"bool", "boolean"},
      {"float4", "real"},
      {"float8", "double precision"},
      {"float", "double precision"},
      {"float(10)", "real"},
      {"decimal(10)", "numeric(10,0)"},
      {"numeric(10, 2)", "numeric(10,2)"},
      {"timestamptz", "timestamp with time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timestamp(3) with time zone", "timestamp(3) with time zone"},
      {"time", "time without time zone"},
      {"timetz", "time with time zone"},
      {"char", "character(1)"},
      {"char(3)", "character(3)"},
      {"int[]", "integer[]"},
      {"text ARRAY", "text[]"},
      {"varbit(4)", "bit varying(4)"},
      {"interval day to second", "interval day to second"},
      {"public.mood", "mood"},
      {"\"Mood\"", "\"Mood\""},
      {"\"user\"", "\"user\""},
      {"App.Mood", "app.mood"},
      {"pg_catalog.int4", "integer"},
      {"jsonb", "jsonb"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(pg::canonical_type(in), out) << in;
  // format_type's own spellings are fixed points.
  for (const auto& [in, out] : cases) EXPECT_EQ(pg::canonical_type(out), out) << out;
}

// The server's deparsed text (pg_get_expr) and what a person writes give one canonical text.
TEST(PostgresCanonical, ServerSpellingEqualsWrittenSpelling) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"((length((title)::text) > 0))", "length(title) > 0"},
      {"(n > '-1'::integer)", "n > -1"},
      {"(n = ANY (ARRAY[1, 2, 3]))", "n IN (1,2,3)"},
      {"((name)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
       "name IN ('a', 'b')"},
      {"(n <> ALL (ARRAY[1, 2]))", "n NOT IN (1, 2)"},
      {"(n = 1)", "n IN (1)"},
      {"((n >= 1) AND (n <= 5))", "n BETWEEN 1 AND 5"},
      {"((n < 1) OR (n > 5))", "n NOT BETWEEN 1 AND 5"},
      {"(((name)::text ~~ 'a%'::text) OR ((name)::text !~~* 'b%'::text))",
       "name LIKE 'a%' OR name NOT ILIKE 'b%'"},
      {"CASE WHEN (n > 0) THEN true ELSE NULL::boolean END", "CASE WHEN n > 0 THEN true END"},
      {"(COALESCE(n, 0) >= 0)", "coalesce(n, 0) >= 0"},
      {"((a AND b) AND c)", "a AND (b AND c)"},
      {"(((r * (2)::double precision) + (1)::double precision) > (d)::double precision)",
       "r*2 + 1 > d"},
      {"((n + (n + n)) > 0)", "n + (n + n) > 0"},
      {"((n - (n - n)) > 0)", "n - (n - n) > 0"},
      {"(length(TRIM(BOTH FROM x)) > 0)", "length(trim(x)) > 0"},
      {"(POSITION(('a'::text) IN (x)) > 0)", "position('a' in x) > 0"},
      {"(\"substring\"((x)::text, 1, 2) <> 'z'::text)", "substring(x, 1, 2) <> 'z'"},
      {"(SUBSTRING(name FROM 1 FOR 2) <> 'zz'::text)", "substring(name from 1 for 2) <> 'zz'"},
      {"(EXTRACT(year FROM ts) > (2000)::numeric)", "extract(year from ts) > 2000"},
      {"((x)::text ~~ like_escape('a\\_%'::text, '\\'::text))", "x LIKE 'a\\_%' ESCAPE '\\'"},
      {"((ts AT TIME ZONE 'UTC'::text) > (now() - '1 day'::interval))",
       "ts at time zone 'UTC' > now() - interval '1 day'"},
      {"(ROW(n, n) < ROW(1, 2))", "(n, n) < (1, 2)"},
      {"(((- n) < 0) AND ((+ n) > '-5'::integer))", "-n < 0 AND +n > -5"},
      {"(NOT ((n > 1) AND (n < 0)))", "NOT (n > 1 AND n < 0)"},
      {"((\"end\" > \"time\") AND (\"Camel\" > 0))", "\"end\" > \"time\" AND \"Camel\" > 0"},
      {"(((n > 1) IS NOT TRUE) OR (n IS NULL) OR (n IS NOT NULL))",
       "(n > 1) IS NOT TRUE OR n ISNULL OR n NOTNULL"},
      {"((n)::numeric(10,2) > 1.5)", "n::numeric(10, 2) > 1.5"},
      {"((n)::bigint > 1)", "CAST(n AS bigint) > 1"},
      {"'x'::character varying", "'x'"},
      {"'{}'::jsonb", "'{}'"},
      {"'5000000000'::bigint", "5000000000"},
      {"((1 + 2) * 3)", "(1+2)*3"},
      {"nextval('seq'::regclass)", "nextval('seq')"},
      {"'it''s'::text", "E'it\\'s'"},
      {"CURRENT_TIMESTAMP", "current_timestamp"},
  };
  for (const auto& [server, written] : cases) {
    EXPECT_EQ(pg::canonical_expression(server), pg::canonical_expression(written))
        << server << "  vs  " << written;
  }
  EXPECT_EQ(pg::canonical_expression("((length((title)::text) > 0))"), "length(title) > 0");
  EXPECT_EQ(pg::canonical_expression("a + b * c"), "a + b * c");
  EXPECT_EQ(pg::canonical_expression("(a + b) * c"), "(a + b) * c");
  EXPECT_EQ(pg::canonical_expression("a OR b AND c"), "a OR b AND c");
  EXPECT_EQ(pg::canonical_expression("(a OR b) AND c"), "(a OR b) AND c");
  EXPECT_EQ(pg::canonical_expression("x IN (SELECT id FROM t)"), "x IN (SELECT id FROM t)");
}

TEST(PostgresCanonical, RealChangesStayDifferent) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"n > 0", "n >= 0"},          {"n > 0", "n > 1"},
      {"a - (b - c)", "a - b - c"}, {"(a OR b) AND c", "a OR b AND c"},
      {"lower(x)", "upper(x)"},     {"x = 'a'", "x = 'A'"},
      {"n IN (1, 2)", "n IN (2, 1)"}, {"\"Camel\" > 0", "camel > 0"},
      {"now()", "CURRENT_TIMESTAMP"}, {"x LIKE 'a%'", "x ILIKE 'a%'"},
  };
  for (const auto& [a, b] : cases)
    EXPECT_NE(pg::canonical_expression(a), pg::canonical_expression(b)) << a << "  vs  " << b;
}

TEST(PostgresCanonical, Defaults) {
  EXPECT_EQ(pg::canonical_default("NULL::character varying"), std::nullopt);
  EXPECT_EQ(pg::canonical_default("NULL"), std::nullopt);
  EXPECT_EQ(pg::canonical_default("'x'::text"), std::optional<std::string>("'x'"));
  EXPECT_EQ(pg::canonical_default("0"), std::optional<std::string>("0"));
  EXPECT_EQ(pg::canonical_default("'-1.5'::numeric"), std::optional<std::string>("-1.5"));
  EXPECT_EQ(pg::canonical_default("'5'"), std::optional<std::string>("5"));
  EXPECT_EQ(pg::canonical_default("now()"), std::optional<std::string>("now()"));
  EXPECT_EQ(pg::canonical_default("true"), std::optional<std::string>("true"));
  EXPECT_EQ(pg::canonical_default("FALSE"), std::optional<std::string>("false"));
}

TEST(PostgresCanonical, IndexEntries) {
  EXPECT_EQ(pg::canonical_index_entry("lower((title)::text)"), "lower(title)");
  EXPECT_EQ(pg::canonical_index_entry("((n + 1))"), "n + 1");
  EXPECT_EQ(pg::canonical_index_entry("created_at DESC"), "created_at DESC");
  EXPECT_EQ(pg::canonical_index_entry("created_at DESC NULLS FIRST"), "created_at DESC");
  EXPECT_EQ(pg::canonical_index_entry("created_at ASC NULLS LAST"), "created_at");
  EXPECT_EQ(pg::canonical_index_entry("created_at nulls first"), "created_at NULLS FIRST");
  EXPECT_EQ(pg::canonical_index_entry("\"Title\""), "Title");
}

TEST(PostgresCanonical, Views) {
  pg::ColumnResolver columns =
      [](const std::string&, const std::string& t) -> std::optional<std::vector<std::string>> {
    if (t == "post") return std::vector<std::string>{"id", "author_id", "title", "published"};
    if (t == "user") return std::vector<std::string>{"id", "name"};
    return std::nullopt;
  };
  const std::vector<std::pair<std::string, std::string>> cases{
      {" SELECT post.id,\n    post.title\n   FROM post\n  WHERE post.published;",
       "select id, title from post where published"},
      {" SELECT count(*) AS count,\n    max(post.id) AS mx\n   FROM post;",
       "SELECT count(*), max(id) mx FROM post"},
      {" SELECT p.id,\n    u.name\n   FROM (post p\n     JOIN \"user\" u ON ((u.id = p.author_id)))"
       "\n  ORDER BY p.id;",
       "SELECT p.id, name FROM post AS p INNER JOIN \"user\" u ON u.id = author_id ORDER BY p.id ASC"},
      {" SELECT post.id,\n    post.author_id,\n    post.title,\n    post.published\n   FROM post;",
       "SELECT * FROM post"},
      {" SELECT post.id\n   FROM post\nUNION ALL\n SELECT post.author_id AS id\n   FROM post;",
       "SELECT id FROM post UNION ALL SELECT author_id FROM post"},
      {" SELECT post.author_id,\n    count(*) AS n\n   FROM post\n  GROUP BY post.author_id\n"
       "  ORDER BY (count(*)) DESC;",
       "SELECT author_id, count(*) AS n FROM post GROUP BY 1 ORDER BY n DESC"},
  };
  for (const auto& [server, written] : cases) {
    EXPECT_EQ(pg::canonical_view(server, columns), pg::canonical_view(written, columns))
        << server << "\n  vs  " << written;
  }
  EXPECT_EQ(pg::canonical_view("SELECT id, title FROM post WHERE published;"),
            "SELECT id, title FROM post WHERE published");
  EXPECT_NE(pg::canonical_view("SELECT p.id FROM post p JOIN \"user\" u ON u.id = p.author_id", columns),
            pg::canonical_view("SELECT u.id FROM post p JOIN \"user\" u ON u.id = p.author_id", columns));
}

TEST(PostgresCanonical, IdentifiersAndNames) {
  EXPECT_EQ(pg::quote_ident_if_needed("title"), "title");
  EXPECT_EQ(pg::quote_ident_if_needed("user"), "\"user\"");
  EXPECT_EQ(pg::quote_ident_if_needed("Title"), "\"Title\"");
  EXPECT_EQ(pg::quote_ident_if_needed("time"), "\"time\"");
  EXPECT_EQ(pg::quote_ident_if_needed("a b"), "\"a b\"");
  EXPECT_EQ(pg::quote_ident_if_needed("name"), "name");  // unreserved keyword
  EXPECT_EQ(pg::make_object_name("user", "", "pkey"), "user_pkey");
  EXPECT_EQ(pg::make_object_name("post", "author_id", "fkey"), "post_author_id_fkey");
  // 63 bytes at most: the longer part is cut first.
  std::string long_table(60, 't');
  std::string name = pg::make_object_name(long_table, "col", "check");
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name, std::string(53, 't') + "_col_check");
  std::set<std::string> taken{"t_check"};
  EXPECT_EQ(pg::choose_name("t", "", "check", taken), "t_check1");
  EXPECT_EQ(pg::choose_name("t", "", "check", taken), "t_check2");
  EXPECT_EQ(pg::name_addition({"a", "b"}), "a_b");
  EXPECT_EQ(pg::referenced_columns("length(title) > 0 AND title <> lower(title)"),
            std::vector<std::string>{"title"});
}

// ---------------------------------------------------------------------------
// Metadata on PostgreSQL

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
              foreign_key("user.id", on_delete::set_null, on_update::cascade, deferrable(true)))
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

TEST(PostgresMetadata, CreateAllSqlOrderAndQuoting) {
  using namespace migtest;
  Metadata md;
  // Declared before what it refers to: create_all still creates "user" first.
  md.table("post")
      .column("id", Integer{}, primary_key)
      .column("author_id", Integer{}, foreign_key("user.id"))
      .column("state", Enum("state", {"draft", "live"}));
  md.table("user").column("id", Integer{}, primary_key);
  md.table("post_tag").column("id", Integer{}, primary_key, migtest::index);
  md.view("v", "SELECT id FROM post");
  std::vector<std::string> sql = create_all_sql(md, "postgresql");
  ASSERT_EQ(sql.size(), 6u);
  EXPECT_EQ(sql[0], "CREATE TYPE \"state\" AS ENUM ('draft', 'live')");
  EXPECT_EQ(sql[1].rfind("CREATE TABLE \"user\" (", 0), 0u) << sql[1];
  EXPECT_NE(sql[1].find("\"id\" integer GENERATED BY DEFAULT AS IDENTITY NOT NULL"),
            std::string::npos)
      << sql[1];
  EXPECT_EQ(sql[2].rfind("CREATE TABLE \"post\" (", 0), 0u) << sql[2];
  EXPECT_NE(sql[2].find("FOREIGN KEY (\"author_id\") REFERENCES \"user\" (\"id\")"),
            std::string::npos)
      << sql[2];
  EXPECT_NE(sql[2].find("\"state\" \"state\" NOT NULL"), std::string::npos) << sql[2];
  EXPECT_EQ(sql[3].rfind("CREATE TABLE \"post_tag\"", 0), 0u);
  EXPECT_EQ(sql[4], "CREATE INDEX \"ix_post_tag_id\" ON \"post_tag\" (\"id\")");
  EXPECT_EQ(sql[5], "CREATE VIEW \"v\" AS SELECT id FROM post");
}

TEST(PostgresMetadata, ForeignKeyCycleAddedAfterTables) {
  using namespace migtest;
  Metadata md;
  md.table("a").column("id", Integer{}, primary_key).column("b_id", Integer{}, nullable,
                                                            foreign_key("b.id"));
  md.table("b").column("id", Integer{}, primary_key).column("a_id", Integer{}, nullable,
                                                            foreign_key("a.id"));
  std::vector<std::string> sql = create_all_sql(md, "postgresql");
  ASSERT_EQ(sql.size(), 3u);
  EXPECT_EQ(sql[0].find("FOREIGN KEY"), std::string::npos) << sql[0];
  EXPECT_NE(sql[1].find("REFERENCES \"a\""), std::string::npos) << sql[1];
  EXPECT_EQ(sql[2], "ALTER TABLE \"a\" ADD FOREIGN KEY (\"b_id\") REFERENCES \"b\" (\"id\")");
}

TEST(PostgresMetadata, ExpectedSchemaNamesAndIdentity) {
  Schema s = migtest::expected_schema(every_feature(), "postgresql");
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(s.dialect, "postgresql");
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
  EXPECT_EQ(post->find_column("body")->default_value, std::optional<std::string>("'{}'"));
  ASSERT_EQ(post->checks.size(), 2u);
  EXPECT_EQ(post->checks[0].name, "ck_post_score");
  EXPECT_EQ(post->checks[0].expression, "score >= -10 AND score <= 10");
  EXPECT_EQ(post->checks[1].name, "post_title_check");
  EXPECT_EQ(post->uniques[0].name, "post_author_id_title_key");
  // A foreign key column is never an implicit identity.
  const migtest::Table* tag = s.find_table("tag");
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->find_column("post_id")->identity, "");
  bool has_seq = std::any_of(s.sequences.begin(), s.sequences.end(), [](const migtest::Sequence& q) {
    return q.name == "post_id_seq" && q.owned_by == "post.id" && q.type == "bigint";
  });
  EXPECT_TRUE(has_seq);
}

TEST(PostgresMetadata, BadTypesAreSchemaErrors) {
  using namespace migtest;
  Metadata raw;
  raw.table("t").column("x", Raw(std::map<std::string, std::string>{{"sqlite", "TEXT"}}));
  EXPECT_THROW(expected_schema(raw, "postgresql"), schema_error);
  EXPECT_THROW(create_all_sql(raw, "postgresql"), schema_error);
  Metadata serial_text;
  serial_text.table("t").column("x", Text{}, autoincrement);
  EXPECT_THROW(expected_schema(serial_text, "postgresql"), schema_error);
  Metadata unknown_fk;
  unknown_fk.table("t").column("x", Integer{}, foreign_key("nowhere.id"));
  EXPECT_THROW(create_all_sql(unknown_fk, "postgresql"), schema_error);
}

TEST(PostgresMetadata, CreateAllThenReflectIsExpectedSchema) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  migtest::Metadata md = every_feature();
  migtest::create_all(*c, md);
  Schema actual = migtest::reflect(*c);
  Schema expected = migtest::expected_schema(md, "postgresql");
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << migtest::to_string(actual) << "expected:\n"
                              << migtest::to_string(expected);
  EXPECT_EQ(actual.tables.size(), 4u);
  EXPECT_EQ(actual.views.size(), 3u);
}

// The same models built by hand-written migrations, spelled the way people write them.
TEST(PostgresMetadata, HandWrittenMigrationsMatchTheModel) {
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
  Schema expected = migtest::expected_schema(every_feature(), "postgresql");
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << migtest::to_string(actual) << "expected:\n"
                              << migtest::to_string(expected);
}

// Each kind of real change still makes the schemas differ, in the field that changed.
TEST(PostgresMetadata, RealChangesAreSeen) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  migtest::Metadata md = every_feature();
  migtest::create_all(*c, md);
  const Schema expected = migtest::expected_schema(md, "postgresql");
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

// Unnamed constraints on long names: PostgreSQL cuts names to 63 bytes and numbers clashes.
TEST(PostgresMetadata, PredictedNamesOnLongNames) {
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
  Schema expected = expected_schema(md, "postgresql");
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << to_string(actual) << "expected:\n"
                              << to_string(expected);
}

// The server's rewrites of CHECK expressions people commonly write.
TEST(PostgresMetadata, CheckExpressionsRoundTrip) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(
      "CREATE TABLE e (x varchar(20), n integer, a integer[], j jsonb, ts timestamp, "
      "d numeric(10, 2), r real, b boolean, \"end\" integer, \"Camel\" integer)");
  const std::vector<std::string> checks{
      "length(trim(x)) > 0",
      "position('a' in x) > 0",
      "substring(x, 1, 2) <> 'z'",
      "substring(x from 1 for 2) <> 'z'",
      "n NOT BETWEEN 1 AND 5",
      "n BETWEEN SYMMETRIC 1 AND 5",
      "n NOT IN (1, 2)",
      "x IN ('a', 'b') OR x IS NULL",
      "x SIMILAR TO 'a%'",
      "x NOT LIKE 'b%' AND x ILIKE '%c'",
      "j ? 'k' AND j->>'a' <> '' AND a && ARRAY[1]",
      "ts > now() - interval '1 day'",
      "NULLIF(n, 0) IS DISTINCT FROM 1",
      "greatest(n, 1) > 0 AND least(n, 5) < 10",
      "CASE n WHEN 1 THEN true ELSE false END",
      "CASE WHEN n > 0 THEN b END",
      "x COLLATE \"C\" > 'a'",
      "ts::date > CURRENT_DATE - 1",
      "n = ANY(a)",
      "-n < 0 AND +n > -5",
      "NOT (n > 1 AND n < 0)",
      "x ~ '^[a-z]+$'",
      "a[1] > 0 AND cardinality(a) < 5",
      "\"end\" > \"Camel\"",
      "x <> 'it''s'",
      "(n > 1) IS NOT TRUE",
      "d * 2 + 1 > r",
      "d >= 0.5 AND d < 100",
      "n % 2 = 0 OR n / 3 > 1",
      "coalesce(x, '') <> 'none'",
      "date_part('year', ts) > 2000",
      "b = true OR b IS NULL",
      "char_length(x) BETWEEN 1 AND 20",
      "x = lower(x)",
      "jsonb_typeof(j) = 'object'",
      "array_length(a, 1) > 0",
      "n IN (1)",
  };
  for (std::size_t i = 0; i < checks.size(); ++i) {
    std::string name = "ck" + std::to_string(i);
    c->execute("ALTER TABLE e ADD CONSTRAINT " + name + " CHECK (" + checks[i] + ")");
  }
  Schema s = migtest::reflect(*c);
  const migtest::Table* e = s.find_table("e");
  ASSERT_TRUE(e);
  ASSERT_EQ(e->checks.size(), checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    std::string name = "ck" + std::to_string(i);
    auto it = std::find_if(e->checks.begin(), e->checks.end(),
                           [&](const migtest::CheckConstraint& ck) { return ck.name == name; });
    ASSERT_NE(it, e->checks.end());
    EXPECT_EQ(it->expression, pg::canonical_expression(checks[i])) << checks[i];
  }
}

// The server's rewrites of column defaults: reflected == canonical_default(as written).
TEST(PostgresMetadata, DefaultsRoundTrip) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  const std::vector<std::pair<std::string, std::string>> defaults{
      {"uuid", "gen_random_uuid()"},
      {"text[]", "'{}'"},
      {"text[]", "ARRAY[]::text[]"},
      {"timestamp", "(now() AT TIME ZONE 'utc')"},
      {"date", "CURRENT_DATE + 7"},
      {"date", "'2024-02-29'"},
      {"bit(3)", "B'101'"},
      {"bit(8)", "X'1F'"},
      {"numeric", "0.00"},
      {"numeric", ".5"},
      {"boolean", "(NOT false)"},
      {"text", "'a' || 'b'"},
      {"interval", "'1 day'"},
      {"varchar(5)", "'x'::varchar"},
      {"double precision", "-1.5e3"},
      {"bigint", "5000000000"},
      {"smallint", "-3"},
      {"integer", "'42'"},
      {"text", "lower('ABC')"},
      {"jsonb", "'[]'::jsonb"},
      {"bytea", "'\\x00'"},
      {"integer", "1 + -1"},
      {"text", "E'a\\tb'"},
      {"integer[]", "ARRAY[1, -2]"},
      {"timestamptz", "CURRENT_TIMESTAMP"},
      {"timestamptz", "now()"},
      {"text", "current_user"},
  };
  std::string sql = "CREATE TABLE d (";
  for (std::size_t i = 0; i < defaults.size(); ++i)
    sql += (i ? ", c" : "c") + std::to_string(i) + " " + defaults[i].first + " DEFAULT " +
           defaults[i].second;
  c->execute_script(sql + ", n text DEFAULT NULL)");
  Schema s = migtest::reflect(*c);
  const migtest::Table* d = s.find_table("d");
  ASSERT_TRUE(d);
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    const migtest::Column* col = d->find_column("c" + std::to_string(i));
    ASSERT_TRUE(col);
    EXPECT_EQ(col->default_value, pg::canonical_default(defaults[i].second))
        << defaults[i].first << " DEFAULT " << defaults[i].second;
  }
  EXPECT_EQ(d->find_column("n")->default_value, std::nullopt);  // DEFAULT NULL is no default
}

// The server's rewrites of view bodies: reflected == canonical_view(as written).
TEST(PostgresMetadata, ViewBodiesRoundTrip) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(
      "CREATE TABLE \"user\" (id int PRIMARY KEY, name text, ts timestamptz, b boolean, n int);"
      "CREATE TABLE post (id int PRIMARY KEY, user_id int, title text, published boolean, "
      "created timestamptz)");
  const std::vector<std::string> views{
      "SELECT u.*, count(p.id) AS posts FROM \"user\" u LEFT JOIN post p ON p.user_id = u.id GROUP BY u.id",
      "SELECT extract(year FROM created), title FROM post",
      "SELECT DISTINCT user_id FROM post WHERE NOT EXISTS (SELECT 1 FROM \"user\" WHERE \"user\".id = post.user_id)",
      "SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM post",
      "SELECT id, (SELECT name FROM \"user\" WHERE id = post.user_id) FROM post",
      "SELECT title::varchar(10), created::date AS day, coalesce(title, '') || '!' AS t2 FROM post",
      "SELECT CASE WHEN published THEN 'yes' ELSE 'no' END FROM post",
      "SELECT u.name, p.title FROM \"user\" u, post p WHERE p.user_id = u.id AND p.published",
      "SELECT id FROM post WHERE created > now() - interval '7 days' AND title ILIKE '%x%' ORDER BY created DESC NULLS LAST LIMIT 5",
      "WITH recent AS (SELECT * FROM post WHERE created > now() - interval '1 day') SELECT r.id, u.name FROM recent r JOIN \"user\" u ON u.id = r.user_id",
      "SELECT date_trunc('month', created) AS month, count(*) AS n FROM post GROUP BY 1 HAVING count(*) > 1",
      "SELECT id, title FROM post p WHERE id IN (SELECT max(id) FROM post GROUP BY user_id)",
      "SELECT count(*) FILTER (WHERE published) AS live, count(DISTINCT user_id) AS authors FROM post",
      "SELECT n, rank() OVER w FROM \"user\" WINDOW w AS (PARTITION BY b ORDER BY n DESC)",
      "SELECT id, name FROM \"user\" WHERE name IS NOT NULL UNION SELECT id, title FROM post ORDER BY 2",
      "SELECT x.id FROM (SELECT id FROM post) AS x",
      "SELECT id, array_agg(title ORDER BY title) AS titles FROM post GROUP BY id",
      "SELECT greatest(id, user_id) AS g, nullif(title, '') FROM post",
  };
  for (std::size_t i = 0; i < views.size(); ++i)
    c->execute("CREATE VIEW w" + std::to_string(i) + " AS " + views[i]);
  Schema s = migtest::reflect(*c);
  pg::ColumnResolver columns =
      [&](const std::string&, const std::string& t) -> std::optional<std::vector<std::string>> {
    const migtest::Table* table = s.find_table(t);
    if (!table) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& col : table->columns) out.push_back(col.name);
    return out;
  };
  for (std::size_t i = 0; i < views.size(); ++i) {
    const migtest::View* v = s.find_view("w" + std::to_string(i));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->definition, pg::canonical_view(views[i], columns)) << views[i];
  }
}

}  // namespace
