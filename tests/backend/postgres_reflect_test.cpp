// PostgreSQL reflection on the real server (scripts/with-postgres): every object kind,
// serial vs identity, exclusions, session state, query count, pg_dump round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "backend/postgres/dialect.hpp"
#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/schema.hpp"
#include "support/files.hpp"
#include "support/forwarding_connection.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace {

using migtest::Column;
using migtest::Schema;
using migtest::Table;

const Table& table(const Schema& s, const std::string& name, const std::string& schema = "") {
  const Table* t = s.find_table(name, schema);
  if (!t) throw std::runtime_error("no table " + name + " in\n" + migtest::to_string(s));
  return *t;
}

const Column& column(const Table& t, const std::string& name) {
  const Column* c = t.find_column(name);
  if (!c) throw std::runtime_error("no column " + name + " in\n" + migtest::to_string(t));
  return *c;
}

const migtest::Sequence* sequence(const Schema& s, const std::string& name) {
  for (const auto& q : s.sequences)
    if (q.name == name) return &q;
  return nullptr;
}

bool has_function(const Schema& s, const std::string& prefix) {
  return std::any_of(s.functions.begin(), s.functions.end(),
                     [&](const migtest::Function& f) { return f.signature.rfind(prefix, 0) == 0; });
}

const char* kEveryKind = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE "user" (
  id serial PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  name text,
  karma integer NOT NULL DEFAULT 0,
  feeling mood DEFAULT 'ok',
  created_at timestamptz NOT NULL DEFAULT now(),
  score numeric(10, 2) DEFAULT -1.5,
  tags text[] DEFAULT '{}',
  code char(3) COLLATE "C",
  CONSTRAINT user_name_length CHECK (length(name) > 0 AND karma >= -10)
);
CREATE TABLE post (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id integer NOT NULL REFERENCES "user" (id) ON DELETE CASCADE ON UPDATE SET NULL,
  reviewer_id integer,
  title varchar(200) NOT NULL CHECK (title <> ''),
  body jsonb NOT NULL DEFAULT '{}',
  published boolean NOT NULL DEFAULT false,
  slug text GENERATED ALWAYS AS (lower(title)) STORED,
  CONSTRAINT post_reviewer FOREIGN KEY (reviewer_id) REFERENCES "user" (id)
    DEFERRABLE INITIALLY DEFERRED,
  UNIQUE (author_id, title)
);
CREATE INDEX ix_post_title_lower ON post (lower(title));
CREATE INDEX ix_post_published ON post (author_id, id DESC) WHERE published;
CREATE INDEX ix_post_body ON post USING gin (body);
CREATE UNIQUE INDEX ix_user_name ON "user" (name NULLS FIRST);
CREATE SEQUENCE invoice_numbers AS integer START WITH 1000 INCREMENT BY 10;
CREATE VIEW published_posts AS SELECT id, title FROM post WHERE published;
CREATE MATERIALIZED VIEW karma_by_mood AS
  SELECT feeling, sum(karma) AS total FROM "user" GROUP BY feeling;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.karma := NEW.karma + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER user_touch BEFORE UPDATE ON "user" FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
)sql";

TEST(PostgresReflect, EveryObjectKind) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(kEveryKind);
  Schema s = migtest::reflect(*c);
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(s.dialect, migtest::Dialect::postgresql);

  const Table& user = table(s, "user");
  EXPECT_EQ(user.schema, "");
  ASSERT_EQ(user.columns.size(), 9u);
  EXPECT_EQ(user.columns[0].name, "id");
  EXPECT_EQ(column(user, "id").type, "integer");
  EXPECT_TRUE(column(user, "id").autoincrement);
  EXPECT_FALSE(column(user, "id").default_value);
  EXPECT_FALSE(column(user, "id").nullable);
  EXPECT_EQ(column(user, "email").type, "character varying(255)");
  EXPECT_TRUE(column(user, "name").nullable);
  EXPECT_EQ(column(user, "karma").default_value, std::optional<std::string>("0"));
  EXPECT_EQ(column(user, "feeling").type, "mood");
  EXPECT_EQ(column(user, "feeling").default_value, std::optional<std::string>("'ok'::mood"));
  EXPECT_EQ(column(user, "created_at").type, "timestamp with time zone");
  EXPECT_EQ(column(user, "created_at").default_value, std::optional<std::string>("now()"));
  EXPECT_EQ(column(user, "score").default_value, std::optional<std::string>("'-1.5'::numeric"));
  EXPECT_EQ(column(user, "tags").type, "text[]");
  EXPECT_EQ(column(user, "tags").default_value, std::optional<std::string>("'{}'::text[]"));
  EXPECT_EQ(column(user, "code").type, "character(3)");
  EXPECT_EQ(column(user, "code").collation, "C");
  ASSERT_TRUE(user.primary_key);
  EXPECT_EQ(user.primary_key->name, "user_pkey");
  EXPECT_EQ(user.primary_key->columns, std::vector<std::string>{"id"});
  ASSERT_EQ(user.uniques.size(), 1u);
  EXPECT_EQ(user.uniques[0].name, "user_email_key");
  ASSERT_EQ(user.checks.size(), 1u);
  EXPECT_EQ(user.checks[0].name, "user_name_length");
  EXPECT_EQ(user.checks[0].expression, "(length(name) > 0) AND (karma >= '-10'::integer)");
  ASSERT_EQ(user.indexes.size(), 1u);
  EXPECT_EQ(user.indexes[0].name, "ix_user_name");
  EXPECT_TRUE(user.indexes[0].unique);
  EXPECT_EQ(user.indexes[0].columns, std::vector<std::string>{"name NULLS FIRST"});
  ASSERT_EQ(user.triggers.size(), 1u);
  EXPECT_EQ(user.triggers[0].name, "user_touch");
  EXPECT_EQ(user.triggers[0].table, "user");
  EXPECT_NE(user.triggers[0].definition.find("EXECUTE FUNCTION touch()"), std::string::npos);

  const Table& post = table(s, "post");
  EXPECT_EQ(column(post, "id").identity, "always");
  EXPECT_EQ(column(post, "id").type, "bigint");
  EXPECT_FALSE(column(post, "id").autoincrement);
  EXPECT_EQ(column(post, "body").default_value, std::optional<std::string>("'{}'::jsonb"));
  EXPECT_EQ(column(post, "published").default_value, std::optional<std::string>("false"));
  EXPECT_EQ(column(post, "slug").generated, std::optional<std::string>("lower((title)::text)"));
  EXPECT_TRUE(column(post, "slug").generated_stored);
  EXPECT_FALSE(column(post, "slug").default_value);
  ASSERT_EQ(post.foreign_keys.size(), 2u);  // sorted by name
  const auto& fk = post.foreign_keys[0];
  EXPECT_EQ(fk.name, "post_author_id_fkey");
  EXPECT_EQ(fk.columns, std::vector<std::string>{"author_id"});
  EXPECT_EQ(fk.referred_schema, "");
  EXPECT_EQ(fk.referred_table, "user");
  EXPECT_EQ(fk.referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(fk.on_delete, "CASCADE");
  EXPECT_EQ(fk.on_update, "SET NULL");
  EXPECT_FALSE(fk.deferrable);
  const auto& fk2 = post.foreign_keys[1];
  EXPECT_EQ(fk2.name, "post_reviewer");
  EXPECT_EQ(fk2.on_delete, "NO ACTION");
  EXPECT_TRUE(fk2.deferrable);
  EXPECT_TRUE(fk2.initially_deferred);
  ASSERT_EQ(post.checks.size(), 1u);
  EXPECT_EQ(post.checks[0].name, "post_title_check");
  EXPECT_EQ(post.checks[0].expression, "(title)::text <> ''::text");
  ASSERT_EQ(post.uniques.size(), 1u);
  EXPECT_EQ(post.uniques[0].name, "post_author_id_title_key");
  EXPECT_EQ(post.uniques[0].columns, (std::vector<std::string>{"author_id", "title"}));
  ASSERT_EQ(post.indexes.size(), 3u);
  const migtest::Index* body = post.find_index("ix_post_body");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->method, "gin");
  EXPECT_EQ(body->columns, std::vector<std::string>{"body"});
  const migtest::Index* partial = post.find_index("ix_post_published");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->method, "");
  EXPECT_EQ(partial->where, "published");
  EXPECT_EQ(partial->columns, (std::vector<std::string>{"author_id", "id DESC"}));
  const migtest::Index* expr = post.find_index("ix_post_title_lower");
  ASSERT_TRUE(expr);
  EXPECT_EQ(expr->columns, std::vector<std::string>{"lower((title)::text)"});
  EXPECT_FALSE(expr->unique);

  ASSERT_EQ(s.views.size(), 2u);
  const migtest::View* karma = s.find_view("karma_by_mood");
  ASSERT_TRUE(karma);
  EXPECT_TRUE(karma->materialized);
  EXPECT_EQ(karma->definition,
            "SELECT \"user\".feeling, sum(\"user\".karma) AS total FROM \"user\" GROUP BY "
            "\"user\".feeling");
  const migtest::View* published = s.find_view("published_posts");
  ASSERT_TRUE(published);
  EXPECT_FALSE(published->materialized);
  EXPECT_EQ(published->definition, "SELECT post.id, post.title FROM post WHERE post.published");

  ASSERT_EQ(s.enums.size(), 1u);
  EXPECT_EQ(s.enums[0].name, "mood");
  EXPECT_EQ(s.enums[0].values, (std::vector<std::string>{"sad", "ok", "happy"}));

  // The serial's sequence is recorded with its owner; the identity's is not reported.
  ASSERT_EQ(s.sequences.size(), 2u);
  const migtest::Sequence* serial = sequence(s, "user_id_seq");
  ASSERT_TRUE(serial);
  EXPECT_EQ(serial->owned_by, "user.id");
  EXPECT_EQ(serial->type, "integer");
  const migtest::Sequence* invoices = sequence(s, "invoice_numbers");
  ASSERT_TRUE(invoices);
  EXPECT_EQ(invoices->owned_by, "");
  EXPECT_EQ(invoices->type, "integer");
  EXPECT_EQ(invoices->start, 1000);
  EXPECT_EQ(invoices->increment, 10);
  EXPECT_FALSE(sequence(s, "post_id_seq"));

  ASSERT_EQ(s.functions.size(), 2u);
  EXPECT_EQ(s.functions[0].signature, "add(integer, integer)");
  EXPECT_NE(s.functions[0].definition.find("SELECT a + b"), std::string::npos);
  EXPECT_EQ(s.functions[1].signature, "touch()");
}

// What issue 14 added: comments, INCLUDE, NULLS NOT DISTINCT, identity options, index
// collations and operator classes, NOT VALID, deferrable UNIQUE, EXCLUDE, partitions,
// UNLOGGED, materialized view indexes, sequence options.
const char* kWholeDefinition = R"sql(
CREATE TYPE mood AS ENUM ('a', 'b');
COMMENT ON TYPE mood IS 'feelings';
CREATE TABLE t (
  id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 5 CACHE 20) PRIMARY KEY,
  a text COLLATE "C",
  b integer,
  r int4range,
  c integer,
  CONSTRAINT t_b_key UNIQUE NULLS NOT DISTINCT (b) INCLUDE (c) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&)
);
COMMENT ON TABLE t IS 'the table';
COMMENT ON COLUMN t.a IS 'it''s a';
COMMENT ON CONSTRAINT t_b_key ON t IS 'unique b';
CREATE UNIQUE INDEX ix_t_a ON t (a COLLATE "POSIX" text_pattern_ops DESC) INCLUDE (b) NULLS NOT DISTINCT;
CREATE INDEX ix_t_lower ON t (lower(a) text_pattern_ops);
COMMENT ON INDEX ix_t_a IS 'by a';
ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c > 0) NOT VALID;
CREATE TABLE u (id integer PRIMARY KEY, t_id integer);
ALTER TABLE u ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_id) REFERENCES t (id) MATCH FULL NOT VALID;
CREATE TABLE p (id integer, at date) PARTITION BY RANGE (at);
CREATE TABLE p2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE scratch (x integer);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE UNIQUE INDEX ix_mv ON mv (id);
COMMENT ON MATERIALIZED VIEW mv IS 'mat';
CREATE VIEW v AS SELECT id FROM t;
COMMENT ON VIEW v IS 'view';
CREATE SEQUENCE s AS integer MINVALUE 5 MAXVALUE 500 CACHE 10 CYCLE;
COMMENT ON SEQUENCE s IS 'seq';
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
COMMENT ON FUNCTION tf() IS 'fn';
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
COMMENT ON TRIGGER tr ON t IS 'trig';
)sql";

TEST(PostgresReflect, TheWholeTableDefinition) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(kWholeDefinition);
  const Schema s = migtest::reflect(*c);
  SCOPED_TRACE(migtest::to_string(s));
  const Table& t = table(s, "t");
  EXPECT_EQ(t.comment, "the table");
  EXPECT_EQ(column(t, "a").comment, "it's a");
  EXPECT_EQ(column(t, "a").collation, "C");
  EXPECT_EQ(column(t, "id").identity, "by default");
  EXPECT_EQ(column(t, "id").identity_options, "START WITH 10 INCREMENT BY 5 CACHE 20");
  ASSERT_EQ(t.uniques.size(), 1u);
  EXPECT_TRUE(t.uniques[0].nulls_not_distinct);
  EXPECT_EQ(t.uniques[0].include, std::vector<std::string>{"c"});
  EXPECT_TRUE(t.uniques[0].deferrable);
  EXPECT_TRUE(t.uniques[0].initially_deferred);
  EXPECT_EQ(t.uniques[0].comment, "unique b");
  ASSERT_EQ(t.exclusions.size(), 1u);
  EXPECT_EQ(t.exclusions[0].name, "t_r_excl");
  EXPECT_EQ(t.exclusions[0].definition, "EXCLUDE USING gist (r WITH &&)");
  ASSERT_EQ(t.checks.size(), 1u);
  EXPECT_TRUE(t.checks[0].not_valid);
  const migtest::Index* ix = t.find_index("ix_t_a");
  ASSERT_TRUE(ix);
  EXPECT_EQ(ix->columns, std::vector<std::string>{"a COLLATE \"POSIX\" text_pattern_ops DESC"});
  EXPECT_EQ(ix->include, std::vector<std::string>{"b"});
  EXPECT_TRUE(ix->nulls_not_distinct);
  EXPECT_EQ(ix->comment, "by a");
  ASSERT_TRUE(t.find_index("ix_t_lower"));
  EXPECT_EQ(t.find_index("ix_t_lower")->columns,
            std::vector<std::string>{"lower(a) text_pattern_ops"});
  ASSERT_EQ(t.triggers.size(), 1u);
  EXPECT_EQ(t.triggers[0].comment, "trig");

  const Table& u = table(s, "u");
  ASSERT_EQ(u.foreign_keys.size(), 1u);
  EXPECT_TRUE(u.foreign_keys[0].not_valid);
  EXPECT_EQ(u.foreign_keys[0].match, "FULL");

  EXPECT_EQ(table(s, "p").partition_by, "RANGE (at)");
  EXPECT_EQ(table(s, "p2024").partition_of, "p");
  EXPECT_EQ(table(s, "p2024").partition_bound, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
  EXPECT_TRUE(table(s, "scratch").unlogged);
  EXPECT_FALSE(table(s, "t").unlogged);

  const migtest::View* mv = s.find_view("mv");
  ASSERT_TRUE(mv);
  EXPECT_EQ(mv->comment, "mat");
  ASSERT_EQ(mv->indexes.size(), 1u);
  EXPECT_EQ(mv->indexes[0].name, "ix_mv");
  EXPECT_EQ(s.find_view("v")->comment, "view");
  ASSERT_TRUE(sequence(s, "s"));
  EXPECT_EQ(sequence(s, "s")->options, "MINVALUE 5 MAXVALUE 500 CACHE 10 CYCLE");
  EXPECT_EQ(sequence(s, "s")->comment, "seq");
  ASSERT_EQ(s.enums.size(), 1u);
  EXPECT_EQ(s.enums[0].comment, "feelings");
  ASSERT_EQ(s.functions.size(), 1u);
  EXPECT_EQ(s.functions[0].comment, "fn");

  // Each of them restored by pg_dump, which spells them its own way, reads the same.
  migtest::test::ScratchDatabase restored("postgresql");
  const migtest::test::TempDir dir("migtest-dump");
  const std::string dump = dir / "dump.sql";
  auto r = migtest::test::run_program("pg_dump", "--schema-only --no-owner --no-privileges -f " +
                                                     migtest::test::shell_quote(dump) + " " +
                                                     migtest::test::shell_quote(db.url()));
  ASSERT_EQ(r.code, 0) << r.err;
  r = migtest::test::run_program("psql", "-X -q -v ON_ERROR_STOP=1 -f " +
                                             migtest::test::shell_quote(dump) + " " +
                                             migtest::test::shell_quote(restored.url()));
  ASSERT_EQ(r.code, 0) << r.err;
  auto b = restored.connect_to();
  EXPECT_EQ(migtest::reflect(*b), s) << migtest::to_string(migtest::reflect(*b));
}

// Defaults that mean the same are one default: now(), CURRENT_TIMESTAMP,
// transaction_timestamp(); DEFAULT NULL is none. statement_timestamp() is another time.
TEST(PostgresReflect, DefaultsOfTheSameMeaning) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(
      "CREATE TABLE d (a timestamptz DEFAULT now(), b timestamptz DEFAULT CURRENT_TIMESTAMP, "
      "c timestamptz DEFAULT transaction_timestamp(), e timestamptz DEFAULT statement_timestamp(), "
      "f timestamptz DEFAULT CURRENT_TIMESTAMP(3), g text DEFAULT NULL, "
      "h timestamptz DEFAULT CURRENT_TIMESTAMP + interval '1 day', "
      "i text DEFAULT 'CURRENT_TIMESTAMP')");
  const Schema s = migtest::reflect(*c);
  const Table& d = table(s, "d");
  const auto now = std::optional<std::string>("now()");
  EXPECT_EQ(column(d, "a").default_value, now);
  EXPECT_EQ(column(d, "b").default_value, now);
  EXPECT_EQ(column(d, "c").default_value, now);
  EXPECT_EQ(column(d, "e").default_value, std::optional<std::string>("statement_timestamp()"));
  EXPECT_EQ(column(d, "f").default_value, std::optional<std::string>("CURRENT_TIMESTAMP(3)"));
  EXPECT_EQ(column(d, "g").default_value, std::nullopt);
  EXPECT_EQ(column(d, "h").default_value,
            std::optional<std::string>("(now() + '1 day'::interval)"));
  EXPECT_EQ(column(d, "i").default_value, std::optional<std::string>("'CURRENT_TIMESTAMP'::text"));
}

// The search_path of the session (a URL's options=-csearch_path=...) names the default
// schema: what unqualified names create is reflected with schema "".
TEST(PostgresReflect, TheSearchPathNamesTheDefaultSchema) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  db.connect_to()->execute_script("CREATE SCHEMA app; CREATE TABLE public.elsewhere (id integer);");
  auto c = migtest::connect(db.url() + (db.url().find('?') == std::string::npos ? "?" : "&") +
                            "options=-csearch_path%3Dapp");
  c->execute_script(
      "CREATE TABLE owner (id integer PRIMARY KEY); "
      "CREATE TABLE pet (id integer, owner_id integer REFERENCES owner (id))");
  const Schema s = migtest::reflect(*c);
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(s.tables.size(), 2u);
  EXPECT_TRUE(s.find_table("owner"));
  ASSERT_TRUE(s.find_table("pet"));
  EXPECT_EQ(s.find_table("pet")->foreign_keys.at(0).referred_schema, "");
  migtest::ReflectOptions o;
  o.schemas = {"", "public"};
  EXPECT_TRUE(migtest::reflect(*c, o).find_table("elsewhere", "public"));
  // Keys for the verification's incremental reflection see the same tables.
  const auto keys = migtest::detail::postgres_catalog_keys(*c, {});
  EXPECT_EQ(keys.tables.size(), 2u);
}

// A change to any of the new attributes changes the catalog keys of the table it belongs
// to, or the others': the verification's incremental reflection never misses it.
TEST(PostgresReflect, CatalogKeysSeeCommentsAndSequenceOptions) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(kWholeDefinition);
  auto key = [&] {
    const auto k = migtest::detail::postgres_catalog_keys(*c, {});
    std::string all = k.others;
    for (const auto& t : k.tables) all += "|" + t.name + "=" + t.key;
    return all;
  };
  const std::vector<std::string> changes{
      "COMMENT ON TABLE t IS 'other'",
      "COMMENT ON COLUMN t.b IS 'new'",
      "COMMENT ON INDEX ix_t_a IS NULL",
      "COMMENT ON CONSTRAINT t_b_key ON t IS 'x'",
      "COMMENT ON TRIGGER tr ON t IS NULL",
      "COMMENT ON VIEW v IS 'x'",
      "ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 7",
      "ALTER SEQUENCE s CACHE 11",
      "CREATE INDEX ix_mv2 ON mv (id)",
      "ALTER TABLE t VALIDATE CONSTRAINT t_c_check",
  };
  for (const auto& change : changes) {
    const std::string before = key();
    c->begin();
    c->execute(change);
    EXPECT_NE(key(), before) << change;
    c->rollback();
  }
}

TEST(PostgresReflect, OtherSchemasOnRequest) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE SCHEMA app;
    CREATE TYPE app.state AS ENUM ('on', 'off');
    CREATE TABLE public.owner (id integer PRIMARY KEY);
    CREATE TABLE app.device (id integer PRIMARY KEY, owner_id integer REFERENCES public.owner (id),
                             parent_id integer REFERENCES app.device (id), s app.state);
  )sql");
  Schema only_public = migtest::reflect(*c);
  EXPECT_TRUE(only_public.find_table("owner"));
  EXPECT_FALSE(only_public.find_table("device", "app"));
  EXPECT_TRUE(only_public.enums.empty());

  migtest::ReflectOptions options;
  options.schemas = {"public", "app"};
  Schema both = migtest::reflect(*c, options);
  SCOPED_TRACE(migtest::to_string(both));
  const Table& device = table(both, "device", "app");
  EXPECT_EQ(column(device, "s").type, "app.state");
  ASSERT_EQ(device.foreign_keys.size(), 2u);
  EXPECT_EQ(device.foreign_keys[0].referred_schema, "public");  // device_owner_id_fkey
  EXPECT_EQ(device.foreign_keys[0].referred_table, "owner");
  EXPECT_EQ(device.foreign_keys[1].referred_schema, "");  // device_parent_id_fkey, same schema
  ASSERT_EQ(both.enums.size(), 1u);
  EXPECT_EQ(both.enums[0].schema, "app");
}

TEST(PostgresReflect, OnlyTablesGivesThoseTablesAsAFullReflectionDoes) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE a (id integer PRIMARY KEY, k text UNIQUE, m mood DEFAULT 'ok');
    CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id) ON DELETE CASCADE,
                    CONSTRAINT positive CHECK (id > 0));
    CREATE INDEX ix_b ON b (a_id) WHERE a_id IS NOT NULL;
    CREATE TABLE c (id serial PRIMARY KEY);
    CREATE VIEW v AS SELECT id FROM c;
    -- Its sequences and the table its foreign key refers to are not among the tables read.
    CREATE TABLE d (id integer GENERATED ALWAYS AS IDENTITY (START WITH 5 CACHE 3) PRIMARY KEY,
                    n serial, "C Id" integer, FOREIGN KEY ("C Id") REFERENCES c (id));
  )sql");
  const Schema all = migtest::reflect(*c);
  // Twice: the second time runs the prepared statements the first one made.
  for (const std::vector<std::string>& only :
       {std::vector<std::string>{"b", "a"}, {"b", "a"}, {"d"}, {"b"}}) {
    migtest::ReflectOptions o;
    o.only_tables = only;
    const Schema some = migtest::reflect(*c, o);
    ASSERT_EQ(some.tables.size(), only.size()) << migtest::to_string(some);
    for (const auto& t : some.tables) EXPECT_EQ(t, *all.find_table(t.name));
    EXPECT_TRUE(some.views.empty() && some.sequences.empty() && some.enums.empty());
  }
  const Table& d = table(all, "d");
  EXPECT_EQ(column(d, "id").identity_options, "START WITH 5 CACHE 3");
  EXPECT_TRUE(column(d, "n").autoincrement);
  ASSERT_EQ(d.foreign_keys.size(), 1u);
  EXPECT_EQ(d.foreign_keys[0].columns, std::vector<std::string>{"C Id"});
  EXPECT_EQ(d.foreign_keys[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(migtest::reflect(*c), all);
}

// A column's collation is reported where it is not its type's, whatever the type's is: the
// database's default, C for `name`, a domain's own.
TEST(PostgresReflect, CollationIsTheColumnsWhereNotItsTypes) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE DOMAIN code AS text COLLATE "C";
    CREATE TABLE t (a text, b text COLLATE "C", c code, d code COLLATE "default",
                    e name, f name COLLATE "default", g "char", h integer, i varchar(3)[]);
  )sql");
  const Schema s = migtest::reflect(*c);
  const Table& t = table(s, "t");
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(column(t, "a").collation, "");
  EXPECT_EQ(column(t, "b").collation, "C");
  EXPECT_EQ(column(t, "c").collation, "");
  EXPECT_EQ(column(t, "d").collation, "default");
  EXPECT_EQ(column(t, "e").collation, "");
  EXPECT_EQ(column(t, "f").collation, "default");
  EXPECT_EQ(column(t, "g").collation, "");
  EXPECT_EQ(column(t, "h").collation, "");
  EXPECT_EQ(column(t, "i").collation, "");
}

TEST(PostgresReflect, SerialAndIdentity) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE TABLE a (id serial PRIMARY KEY);
    CREATE TABLE b (id bigserial PRIMARY KEY);
    CREATE TABLE c (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
    CREATE TABLE d (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    -- A nextval() default on a sequence the column does not own is a plain default.
    CREATE SEQUENCE shared;
    CREATE TABLE e (id integer DEFAULT nextval('shared'));
    -- Spelled out by hand, serial is the same thing.
    CREATE SEQUENCE f_id_seq AS integer;
    CREATE TABLE f (id integer NOT NULL DEFAULT nextval('f_id_seq'::regclass));
    ALTER SEQUENCE f_id_seq OWNED BY f.id;
  )sql");
  Schema s = migtest::reflect(*c);
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_TRUE(column(table(s, "a"), "id").autoincrement);
  EXPECT_EQ(column(table(s, "b"), "id").type, "bigint");
  EXPECT_TRUE(column(table(s, "b"), "id").autoincrement);
  ASSERT_TRUE(sequence(s, "b_id_seq"));
  EXPECT_EQ(sequence(s, "b_id_seq")->type, "bigint");
  EXPECT_EQ(column(table(s, "c"), "id").identity, "by default");
  EXPECT_FALSE(column(table(s, "c"), "id").autoincrement);
  EXPECT_EQ(column(table(s, "d"), "id").identity, "always");
  EXPECT_FALSE(sequence(s, "c_id_seq"));
  EXPECT_FALSE(column(table(s, "e"), "id").autoincrement);
  EXPECT_EQ(column(table(s, "e"), "id").default_value,
            std::optional<std::string>("nextval('shared'::regclass)"));
  EXPECT_EQ(column(table(s, "f"), "id"), column(table(s, "a"), "id"));
  ASSERT_TRUE(sequence(s, "f_id_seq"));
  EXPECT_EQ(sequence(s, "f_id_seq")->owned_by, "f.id");
  ASSERT_TRUE(sequence(s, "shared"));
  EXPECT_EQ(sequence(s, "shared")->owned_by, "");
}

TEST(PostgresReflect, ExcludedTablesTakeTheirSequences) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE TABLE migtest_version (id serial PRIMARY KEY, version_num text NOT NULL);
    CREATE TABLE audit (id serial PRIMARY KEY);
    CREATE TABLE kept (id serial PRIMARY KEY);
  )sql");
  Schema s = migtest::reflect(*c);
  EXPECT_FALSE(s.find_table("migtest_version"));
  EXPECT_FALSE(sequence(s, "migtest_version_id_seq"));
  EXPECT_TRUE(s.find_table("audit"));

  migtest::ReflectOptions options;
  options.exclude_tables = {"migtest_version", "public.audit"};
  Schema t = migtest::reflect(*c, options);
  EXPECT_FALSE(t.find_table("audit"));
  EXPECT_FALSE(sequence(t, "audit_id_seq"));
  EXPECT_TRUE(t.find_table("kept"));
  EXPECT_TRUE(sequence(t, "kept_id_seq"));
}

TEST(PostgresReflect, ExtensionObjectsLeftOut) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  if (c->scalar("SELECT count(*) FROM pg_available_extensions WHERE name = 'citext'").as_int() == 0)
    GTEST_SKIP() << "the citext extension is not installed (postgresql-contrib)";
  c->execute_script(R"sql(
    CREATE EXTENSION citext;
    CREATE TABLE account (email citext PRIMARY KEY);
    CREATE FUNCTION mine() RETURNS integer LANGUAGE sql AS 'SELECT 1';
  )sql");
  ASSERT_GT(c->scalar("SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid "
                      "WHERE d.deptype = 'e' AND p.pronamespace = 'public'::regnamespace")
                .as_int(),
            0);
  Schema s = migtest::reflect(*c);
  SCOPED_TRACE(migtest::to_string(s));
  EXPECT_EQ(column(table(s, "account"), "email").type, "citext");
  ASSERT_EQ(s.functions.size(), 1u);
  EXPECT_EQ(s.functions[0].signature, "mine()");
  EXPECT_FALSE(has_function(s, "citext"));
}

TEST(PostgresReflect, LeavesTheSessionAsItWas) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  c->execute_script(R"sql(
    CREATE SCHEMA other;
    CREATE TABLE other.thing (id integer);
    CREATE TABLE item (id integer, made timestamptz DEFAULT '2020-01-01 12:00:00+02');
    SET search_path = other, public;
    SET TimeZone = 'America/New_York';
  )sql");
  migtest::ReflectOptions both;
  both.schemas = {"", "public"};  // the default schema (other, first on the path) and public
  Schema outside = migtest::reflect(*c, both);
  EXPECT_FALSE(c->in_transaction());
  EXPECT_EQ(c->scalar("SHOW search_path").as_text(), "other, public");
  EXPECT_EQ(c->scalar("SHOW TimeZone").as_text(), "America/New_York");
  EXPECT_TRUE(outside.find_table("thing"));  // in the default schema
  // Constants deparse in UTC whatever the session's time zone.
  EXPECT_EQ(column(table(outside, "item", "public"), "made").default_value,
            std::optional<std::string>("'2020-01-01 10:00:00+00'::timestamp with time zone"));

  // Inside the caller's transaction: a savepoint, the transaction stays open and usable.
  c->begin();
  c->execute("INSERT INTO other.thing VALUES (1)");
  Schema inside = migtest::reflect(*c, both);
  EXPECT_TRUE(c->in_transaction());
  EXPECT_EQ(c->scalar("SHOW search_path").as_text(), "other, public");
  EXPECT_EQ(c->scalar("SELECT count(*) FROM thing").as_int(), 1);
  c->rollback();
  EXPECT_EQ(inside, outside);
}

// Counts the catalog queries reflect() runs, to show they do not grow with the table count.
using CountingConnection = migtest::test::ForwardingConnection;

TEST(PostgresReflect, QueryCountDoesNotGrowWithTables) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase db("postgresql");
  auto c = db.connect_to();
  auto make = [&](int from, int to) {
    std::string sql;
    for (int i = from; i < to; ++i)
      sql += "CREATE TABLE t" + std::to_string(i) +
             " (id serial PRIMARY KEY, v text CHECK (v <> ''), "
             "p integer REFERENCES t0 (id));\nCREATE INDEX ix_t" +
             std::to_string(i) + " ON t" + std::to_string(i) + " (lower(v));\n";
    c->execute_script(sql);
  };
  c->execute_script("CREATE TABLE t0 (id integer PRIMARY KEY)");
  make(1, 3);
  CountingConnection few(*c);
  Schema small = migtest::reflect(few);
  make(3, 60);
  CountingConnection many(*c);
  Schema big = migtest::reflect(many);
  EXPECT_EQ(small.tables.size(), 3u);
  EXPECT_EQ(big.tables.size(), 60u);
  EXPECT_EQ(few.queries, many.queries);
  // Eleven, and one more because some index has an expression: the server prints those keys.
  EXPECT_LE(many.queries, 12);
}

using migtest::test::shell_quote;

// A history as a user would write it: several steps, ALTERs, renames, drops.
const char* kHistory = R"sql(
CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE "user" (id serial PRIMARY KEY, email varchar(100) NOT NULL);
CREATE TABLE post (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                   author_id integer REFERENCES "user" (id) ON DELETE CASCADE,
                   title text NOT NULL, state status NOT NULL DEFAULT 'draft', junk integer);
ALTER TABLE "user" ADD COLUMN karma integer NOT NULL DEFAULT 0;
ALTER TABLE "user" ADD CONSTRAINT user_email_key UNIQUE (email);
ALTER TABLE post DROP COLUMN junk;
ALTER TABLE post ADD CONSTRAINT post_title_check CHECK (char_length(title) BETWEEN 1 AND 200);
ALTER TABLE post ALTER COLUMN title SET DEFAULT 'untitled';
CREATE INDEX ix_post_live ON post (author_id) WHERE state = 'live';
CREATE INDEX ix_post_title ON post (lower(title) DESC);
CREATE VIEW live_posts AS SELECT p.id, p.title, u.email FROM post p JOIN "user" u ON u.id = p.author_id
  WHERE p.state = 'live' ORDER BY p.id;
CREATE MATERIALIZED VIEW counts AS SELECT author_id, count(*) AS n FROM post GROUP BY author_id;
CREATE SEQUENCE ticket START 5 INCREMENT 5;
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.karma := NEW.karma + 1; RETURN NEW; END $$;
CREATE TRIGGER user_bump BEFORE UPDATE ON "user" FOR EACH ROW EXECUTE FUNCTION bump();
ALTER TABLE post RENAME COLUMN title TO headline;
)sql";

TEST(PostgresReflect, ScriptAndItsDumpCompareEqual) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::ScratchDatabase built("postgresql");
  migtest::test::ScratchDatabase restored("postgresql");
  auto a = built.connect_to();
  a->execute_script(kHistory);

  const migtest::test::TempDir dir("migtest-dump");
  const std::string dump = dir / "dump.sql";
  std::string cmd = "--schema-only --no-owner --no-privileges -f " + shell_quote(dump) + " " +
                    shell_quote(built.url());
  auto r = migtest::test::run_program("pg_dump", cmd);
  ASSERT_EQ(r.code, 0) << "pg_dump " << cmd << "\n" << r.err;
  cmd = "-X -q -v ON_ERROR_STOP=1 -f " + shell_quote(dump) + " " + shell_quote(restored.url());
  r = migtest::test::run_program("psql", cmd);
  ASSERT_EQ(r.code, 0) << "psql " << cmd << "\n" << r.err;

  auto b = restored.connect_to();
  Schema from_script = migtest::reflect(*a);
  Schema from_dump = migtest::reflect(*b);
  EXPECT_EQ(from_dump, from_script) << "script:\n"
                                    << migtest::to_string(from_script) << "dump:\n"
                                    << migtest::to_string(from_dump);
  EXPECT_EQ(from_script.tables.size(), 2u);
  EXPECT_EQ(from_script.views.size(), 2u);

  // And a real change is still seen.
  b->execute("ALTER TABLE post ALTER COLUMN headline SET DEFAULT 'none'");
  EXPECT_NE(migtest::reflect(*b), from_script);
}

}  // namespace
