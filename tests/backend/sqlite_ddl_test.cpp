// Metadata on SQLite: the expected schema, the DDL that creates it, and the promise that a
// database created from the model reflects to exactly the model's expected schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "backend/sqlite/ddl.hpp"
#include "backend/sqlite/normalize.hpp"
#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "migtest/operations.hpp"
#include "migtest/ops.hpp"
#include "migtest/schema.hpp"

namespace sq = migtest::detail::sqlite;
using namespace migtest;

namespace {

std::unique_ptr<Connection> memory_db(const std::string& script = "") {
  auto db = connect("sqlite:///:memory:");
  if (!script.empty()) db->execute_script(script);
  return db;
}

// Every feature the Metadata builder has that SQLite can hold.
Metadata every_feature() {
  Metadata md;
  // Declared before its parents: create_all must order by foreign keys.
  md.table("comment")
      .column("id", Integer{}, primary_key)
      .column("post_id", Integer{}, foreign_key("post.id", on_delete::cascade))
      .column("author", Integer{}, nullable,
              foreign_key("user.id", on_delete::set_null, on_update::cascade,
                          named("fk_comment_author"), deferrable(Initially::deferred)))
      .column("body", Text{});
  md.table("user")
      .column("id", Integer{}, primary_key, autoincrement)
      .column("fingerprint", String{}, unique, migtest::index)
      .column("username", String{}, nullable)
      .column("email", String(255), unique.named("uq_user_email"))
      .column("karma", Integer{}, server_default("0"))
      .column("active", Boolean{}, server_default("TRUE"))
      .column("mood", Enum("mood", {"happy", "sad", "so-so"}), nullable)
      .column("created", DateTime{}, server_default("current_timestamp"))
      .column("seen", DateTime{with_timezone}, nullable)
      .column("balance", Numeric(10, 2), server_default("(0.00)"))
      .column("score", Double{}, nullable)
      .column("ratio", Float{}, nullable)
      .column("small", SmallInteger{}, nullable)
      .column("big", BigInteger{}, nullable)
      .column("bio", Text{}, nullable, server_default("'it''s me'"))
      .column("birthday", Date{}, nullable)
      .column("wake", Time{}, nullable)
      .column("avatar", Blob{}, nullable)
      .column("prefs", Json{}, nullable)
      .column("token", Uuid{}, nullable)
      .column("legacy", Raw({{"sqlite", "Unsigned Big Int"}, {"postgresql", "numeric(20)"}}),
              nullable)
      .check("karma_nonneg", "karma >= 0")
      .check("(length(fingerprint) BETWEEN 1 AND (16 * (2 + 2)))")
      .index("ix_user_lower_name", {"lower(username)"})
      .index("ix_user_karma", {"karma DESC", "email COLLATE nocase"}, where("active = 1"))
      .index("ux_user_token", {"token"}, unique, where("token IS NOT NULL"));
  md.table("post")
      .column("id", BigInteger{}, primary_key, autoincrement)
      .column("author_id", Integer{}, foreign_key("user.id"))
      .column("title", String(200))
      .column("slug", String(200))
      .unique_constraint("uq_post_slug", {"author_id", "slug"})
      .check("length(title) > 0");
  md.table("tag_link")
      .column("post_id", Integer{})
      .column("tag", String(50))
      .primary_key({"post_id", "tag"}, "pk_tag_link")
      .foreign_key({"post_id"}, "post", {"id"}, on_delete::cascade, on_update::restrict,
                   named("fk_tag_post"), deferrable(Initially::immediate))
      .without_rowid();
  md.table("order")  // a keyword: every identifier is quoted in DDL
      .column("id", Integer{}, primary_key.named("pk_order"))
      .column("user", Integer{}, nullable, foreign_key("user.id"))
      .column("my total", Numeric{}, nullable)
      .column("a-b", Text{}, nullable)
      .unique_constraint({"user", "my total"})
      .index("ix order total", {"my total", "a-b", "\"a-b\" DESC", "id"});
  md.view("active_users", "select id, username from \"user\" where active = 1;");
  md.view("big_orders", "SELECT o.id FROM \"order\" AS o WHERE o.\"my total\" > 100");
  return md;
}

std::size_t position(const std::vector<std::string>& sql, const std::string& prefix) {
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i].rfind(prefix, 0) == 0) return i;
  }
  return sql.size();
}

}  // namespace

TEST(SqliteDdl, CreateAllThenReflectEqualsExpectedSchema) {
  Metadata md = every_feature();
  auto db = memory_db();
  create_all(*db, md);
  Schema actual = reflect(*db);
  Schema expected = expected_schema(md, migtest::Dialect::sqlite);
  EXPECT_EQ(actual, expected) << "reflected:\n"
                              << to_string(actual) << "\nexpected:\n"
                              << to_string(expected);
  EXPECT_EQ(expected.dialect, migtest::Dialect::sqlite);
  EXPECT_EQ(expected.tables.size(), 5u);
  EXPECT_EQ(expected.views.size(), 2u);
  EXPECT_EQ(actual.find_table("order")->primary_key->name, "pk_order");
  EXPECT_EQ(actual.find_table("order")->find_index("ix order total")->columns,
            (std::vector<std::string>{"my total", "a-b", "\"a-b\" DESC", "id"}));
}

TEST(SqliteDdl, ExpectedSchemaSpellsThePortableTypes) {
  Schema s = expected_schema(every_feature(), migtest::Dialect::sqlite);
  const Table* u = s.find_table("user");
  ASSERT_NE(u, nullptr);
  auto type = [&](const char* c) { return u->find_column(c)->type; };
  EXPECT_EQ(type("id"), "integer");
  EXPECT_EQ(type("fingerprint"), "varchar");
  EXPECT_EQ(type("email"), "varchar(255)");
  EXPECT_EQ(type("active"), "boolean");
  EXPECT_EQ(type("mood"), "varchar(5)");
  EXPECT_EQ(type("created"), "datetime");
  EXPECT_EQ(type("seen"), "datetime");
  EXPECT_EQ(type("balance"), "numeric(10,2)");
  EXPECT_EQ(type("score"), "double");
  EXPECT_EQ(type("ratio"), "float");
  EXPECT_EQ(type("small"), "smallint");
  EXPECT_EQ(type("big"), "bigint");
  EXPECT_EQ(type("bio"), "text");
  EXPECT_EQ(type("birthday"), "date");
  EXPECT_EQ(type("wake"), "time");
  EXPECT_EQ(type("avatar"), "blob");
  EXPECT_EQ(type("prefs"), "json");
  EXPECT_EQ(type("token"), "char(32)");
  EXPECT_EQ(type("legacy"), "unsigned big int");
  // An autoincrement BigInteger key is SQLite's INTEGER PRIMARY KEY.
  EXPECT_EQ(s.find_table("post")->find_column("id")->type, "integer");

  EXPECT_EQ(u->find_column("karma")->default_value, "0");
  EXPECT_EQ(u->find_column("active")->default_value, "1");
  EXPECT_EQ(u->find_column("created")->default_value, "CURRENT_TIMESTAMP");
  EXPECT_EQ(u->find_column("balance")->default_value, "0.0");
  EXPECT_EQ(u->find_column("bio")->default_value, "'it''s me'");
  EXPECT_FALSE(u->find_column("id")->nullable);
  EXPECT_TRUE(u->find_column("id")->autoincrement);
  auto has_check = [&](const std::string& e) {
    return std::any_of(u->checks.begin(), u->checks.end(),
                       [&](const CheckConstraint& c) { return c.expression == e; });
  };
  EXPECT_TRUE(has_check("mood IN ('happy', 'sad', 'so-so')")) << to_string(*u);
  EXPECT_TRUE(has_check("length(fingerprint) BETWEEN 1 AND 16 * (2 + 2)")) << to_string(*u);
  const Index* karma = u->find_index("ix_user_karma");
  ASSERT_NE(karma, nullptr);
  EXPECT_EQ(karma->columns, (std::vector<std::string>{"karma DESC", "email COLLATE NOCASE"}));
  EXPECT_EQ(karma->where, "active = 1");
  EXPECT_TRUE(u->find_index("ix_user_fingerprint")->unique);
}

TEST(SqliteDdl, RenderTypeTable) {
  EXPECT_EQ(sq::render_type(Integer{}), "INTEGER");
  EXPECT_EQ(sq::render_type(BigInteger{}), "BIGINT");
  EXPECT_EQ(sq::render_type(SmallInteger{}), "SMALLINT");
  EXPECT_EQ(sq::render_type(Boolean{}), "BOOLEAN");
  EXPECT_EQ(sq::render_type(String{}), "VARCHAR");
  EXPECT_EQ(sq::render_type(String(20)), "VARCHAR(20)");
  EXPECT_EQ(sq::render_type(Text{}), "TEXT");
  EXPECT_EQ(sq::render_type(Float{}), "FLOAT");
  EXPECT_EQ(sq::render_type(Double{}), "DOUBLE");
  EXPECT_EQ(sq::render_type(Numeric{}), "NUMERIC");
  EXPECT_EQ(sq::render_type(Numeric(12)), "NUMERIC(12)");
  EXPECT_EQ(sq::render_type(Numeric(10, 2)), "NUMERIC(10, 2)");
  EXPECT_EQ(sq::render_type(Date{}), "DATE");
  EXPECT_EQ(sq::render_type(DateTime{}), "DATETIME");
  EXPECT_EQ(sq::render_type(DateTime{with_timezone}), "DATETIME");
  EXPECT_EQ(sq::render_type(Time{}), "TIME");
  EXPECT_EQ(sq::render_type(Blob{}), "BLOB");
  EXPECT_EQ(sq::render_type(Json{}), "JSON");
  EXPECT_EQ(sq::render_type(Uuid{}), "CHAR(32)");
  EXPECT_EQ(sq::render_type(Enum("e", {"a", "bcd"})), "VARCHAR(3)");
  EXPECT_EQ(sq::render_type(Raw(std::map<std::string, std::string>{{"sqlite", "INT8"}})), "INT8");
  EXPECT_THROW(sq::render_type(Raw(std::map<std::string, std::string>{{"postgresql", "jsonb"}})),
               schema_error);
}

TEST(SqliteDdl, CreateAllSqlOrdersByDependencyAndQuotesEveryIdentifier) {
  std::vector<std::string> sql = create_all_sql(every_feature(), migtest::Dialect::sqlite);
  std::size_t user = position(sql, "CREATE TABLE \"user\"");
  std::size_t post = position(sql, "CREATE TABLE \"post\"");
  std::size_t comment = position(sql, "CREATE TABLE \"comment\"");
  std::size_t tag = position(sql, "CREATE TABLE \"tag_link\"");
  std::size_t order = position(sql, "CREATE TABLE \"order\"");
  ASSERT_LT(comment, sql.size());
  EXPECT_LT(user, post);
  EXPECT_LT(post, comment) << "comment was declared first but refers to post";
  EXPECT_LT(post, tag);
  EXPECT_LT(user, order);
  std::size_t first_index = position(sql, "CREATE INDEX");
  std::size_t first_view = position(sql, "CREATE VIEW");
  for (std::size_t t : {user, post, comment, tag, order}) EXPECT_LT(t, first_index);
  EXPECT_LT(first_index, first_view);
  EXPECT_LT(position(sql, "CREATE UNIQUE INDEX"), first_view);
  EXPECT_EQ(sql.size(), 5u + 5u + 2u);
  const std::string& u = sql[user];
  EXPECT_NE(u.find("\"id\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"), std::string::npos) << u;
  EXPECT_NE(u.find("\"karma\" INTEGER NOT NULL DEFAULT 0"), std::string::npos) << u;
  EXPECT_NE(u.find("CONSTRAINT \"uq_user_email\" UNIQUE (\"email\")"), std::string::npos) << u;
  const std::string& o = sql[order];
  EXPECT_NE(o.find("FOREIGN KEY (\"user\") REFERENCES \"user\" (\"id\")"), std::string::npos) << o;
  EXPECT_NE(sql[tag].find("DEFERRABLE INITIALLY IMMEDIATE"), std::string::npos) << sql[tag];
  EXPECT_NE(sql[tag].find(") WITHOUT ROWID"), std::string::npos) << sql[tag];
  EXPECT_NE(position(sql,
                     "CREATE INDEX \"ix order total\" ON \"order\" (\"my total\", \"a-b\", \"a-b\" "
                     "DESC, \"id\")"),
            sql.size());
}

TEST(SqliteDdl, TheModelsConstraintsHoldInTheDatabase) {
  auto db = memory_db();
  create_all(*db, every_feature());
  db->execute(R"(INSERT INTO "user" (fingerprint, email, mood) VALUES ('f1', 'a@x', 'happy'))");
  EXPECT_EQ(db->scalar(R"(SELECT karma FROM "user")").as_int(), 0);
  EXPECT_EQ(db->scalar(R"(SELECT active FROM "user")").as_int(), 1);
  EXPECT_THROW(
      db->execute(R"(INSERT INTO "user" (fingerprint, email, mood) VALUES ('f2', 'b@x', 'angry'))"),
      database_error)
      << "Enum is VARCHAR + CHECK (... IN ...)";
  EXPECT_THROW(db->execute(R"(INSERT INTO "user" (fingerprint, email) VALUES ('f1', 'c@x'))"),
               database_error)
      << "fingerprint is unique";
  EXPECT_THROW(db->execute(R"(INSERT INTO post (author_id, title, slug) VALUES (42, 't', 's'))"),
               database_error)
      << "foreign keys are enforced";
  db->execute(R"(INSERT INTO post (author_id, title, slug) VALUES (1, 't', 's'))");
  EXPECT_EQ(db->scalar("SELECT id FROM post").as_int(), 1);
}

TEST(SqliteDdl, AHandWrittenMigrationMatchesTheModel) {
  // The user story's models and the SQL a person would write for them, spelled their way.
  Metadata md;
  md.table("user")
      .column("id", Integer{}, primary_key)
      .column("fingerprint", String{}, unique, migtest::index)
      .column("username", String{}, nullable)
      .column("karma", Integer{}, server_default("0"));
  auto db = memory_db(R"(
    create table "user" (
      id integer primary key,            -- no NOT NULL: still never NULL
      fingerprint varchar not null,
      username varchar,
      karma integer not null default (0)
    );
    create unique index ix_user_fingerprint on "user" (fingerprint);)");
  Schema actual = reflect(*db);
  Schema expected = expected_schema(md, migtest::Dialect::sqlite);
  EXPECT_EQ(actual, expected) << to_string(actual) << "\n---\n" << to_string(expected);

  // ...and a real difference is one.
  db->execute_script(R"(ALTER TABLE "user" ADD COLUMN extra TEXT)");
  EXPECT_NE(reflect(*db), expected);
}

TEST(SqliteDdl, RedundantUniquesAreExpectedAsSqliteKeepsThem) {
  Metadata md;
  md.table("t")
      .column("a", Text{})
      .column("b", Text{})
      .primary_key({"a"})
      .unique_constraint({"a"})  // the primary key's index already does it
      .unique_constraint("uq_b", {"b"})
      .unique_constraint("uq_b_again", {"b"});
  auto db = memory_db();
  create_all(*db, md);
  Schema expected = expected_schema(md, migtest::Dialect::sqlite);
  EXPECT_EQ(reflect(*db), expected) << to_string(expected);
  ASSERT_EQ(expected.tables.at(0).uniques.size(), 1u);
  EXPECT_EQ(expected.tables.at(0).uniques[0].name, "uq_b");
}

TEST(SqliteDdl, RenderingAReflectedSchemaRecreatesIt) {
  // What the table rebuild relies on: reflected Table -> CREATE -> the same Table.
  auto db = memory_db(R"(
    CREATE TABLE "odd table" (
      "my id" INTEGER CONSTRAINT "pk odd" PRIMARY KEY AUTOINCREMENT,
      price NUMERIC(10,2) NOT NULL DEFAULT (1.5) CONSTRAINT price_positive CHECK ((price > 0)),
      name TEXT COLLATE NOCASE DEFAULT 'a,b)' UNIQUE,
      total AS (price * 2) STORED,
      half REAL GENERATED ALWAYS AS (price / 2) VIRTUAL,
      parent INTEGER REFERENCES "odd table" ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      stamp DEFAULT (datetime('now')),
      CONSTRAINT uq_pair UNIQUE (name, price)
    );
    CREATE TABLE kv (k TEXT, v BLOB DEFAULT x'00ff', PRIMARY KEY (k)) WITHOUT ROWID;
    CREATE INDEX ix_odd ON "odd table" (lower(name) DESC, price COLLATE BINARY) WHERE parent IS NULL;
    CREATE INDEX ix_name_binary ON "odd table" (name COLLATE BINARY);
    CREATE VIEW "odd view" AS SELECT "my id", name FROM "odd table";
    CREATE TRIGGER odd_touch AFTER UPDATE OF price ON "odd table" FOR EACH ROW WHEN NEW.price > 10
    BEGIN UPDATE "odd table" SET name = upper(name) WHERE "my id" = NEW."my id"; END;)");
  Schema original = reflect(*db);
  auto copy = memory_db();
  for (const auto& sql : sq::render_create_all(original)) copy->execute(sql);
  Schema recreated = reflect(*copy);
  EXPECT_EQ(recreated, original) << to_string(original) << "\n---\n" << to_string(recreated);
  const Table* odd = original.find_table("odd table");
  ASSERT_NE(odd, nullptr);
  EXPECT_EQ(odd->find_index("ix_name_binary")->columns,
            std::vector<std::string>{"name COLLATE BINARY"});
  EXPECT_EQ(odd->find_index("ix_odd")->columns,
            (std::vector<std::string>{"lower(name) DESC", "price"}));
}

TEST(SqliteDdl, WhatSqliteCannotHoldIsASchemaError) {
  auto message = [](const Metadata& md) {
    try {
      create_all_sql(md, migtest::Dialect::sqlite);
    } catch (const schema_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  {
    Metadata md;
    md.table("t").column("id", Integer{}, primary_key).column("n", Integer{}, autoincrement);
    EXPECT_NE(message(md).find("table 't' column 'n': SQLite allows AUTOINCREMENT only"),
              std::string::npos)
        << message(md);
  }
  {
    Metadata md;
    md.table("t").column("id", String{}, primary_key, autoincrement);
    EXPECT_NE(message(md).find("AUTOINCREMENT"), std::string::npos) << message(md);
  }
  {
    Metadata md;
    md.table("t").column("x", Raw(std::map<std::string, std::string>{{"postgresql", "jsonb"}}));
    EXPECT_NE(message(md).find("table 't' column 'x'"), std::string::npos) << message(md);
  }
  {
    Metadata md;
    md.table("app.t").column("x", Integer{});
    EXPECT_NE(message(md).find("table 'app.t': SQLite has no schemas"), std::string::npos)
        << message(md);
  }
  {
    Metadata md;
    md.table("t").column("x", Integer{}).without_rowid();
    EXPECT_NE(message(md).find("WITHOUT ROWID"), std::string::npos) << message(md);
  }
  {
    Metadata md;
    md.table("t").column("x", Integer{}).check("x > 'open");
    EXPECT_EQ(message(md), "table 't' check \"x > 'open\": unterminated string literal");
  }
  {
    // The builder's own validation runs first: nothing reaches SQL.
    Metadata md;
    md.table("t").column("x", Integer{}, foreign_key("missing.id"));
    EXPECT_THROW(create_all_sql(md, migtest::Dialect::sqlite), schema_error);
    auto db = memory_db();
    EXPECT_THROW(create_all(*db, md), schema_error);
    EXPECT_TRUE(reflect(*db).tables.empty());
  }
}

// ---------------------------------------------------------------------------
// STRICT and WITHOUT ROWID

TEST(SqliteDdl, StrictTablesAreDeclaredCreatedAndReflected) {
  Metadata md;
  md.table("kv")
      .column("k", String(20), primary_key)
      .column("n", BigInteger{})
      .column("ok", Boolean{}, server_default("1"))
      .column("at", DateTime{}, nullable)
      .column("ratio", Double{}, nullable)
      .column("raw", Blob{}, nullable)
      .column("anything", Raw({{"sqlite", "ANY"}, {"postgresql", "text"}}), nullable)
      .without_rowid()
      .strict();
  md.table("counter").column("id", Integer{}, primary_key).column("hits", Integer{}).strict();
  const auto sql = create_all_sql(md, migtest::Dialect::sqlite);
  ASSERT_EQ(sql.size(), 2u);
  EXPECT_NE(sql[0].find(") WITHOUT ROWID, STRICT"), std::string::npos) << sql[0];
  EXPECT_NE(sql[1].find("\n) STRICT"), std::string::npos) << sql[1];
  auto db = memory_db();
  create_all(*db, md);
  const Schema expected = expected_schema(md, migtest::Dialect::sqlite);
  const Schema actual = reflect(*db);
  EXPECT_EQ(actual, expected) << to_string(actual) << "---\n" << to_string(expected);
  const Table* kv = actual.find_table("kv");
  ASSERT_NE(kv, nullptr);
  EXPECT_TRUE(kv->strict);
  EXPECT_TRUE(kv->without_rowid);
  EXPECT_EQ(kv->find_column("k")->type, "text");
  EXPECT_EQ(kv->find_column("n")->type, "integer");
  EXPECT_EQ(kv->find_column("ratio")->type, "real");
  EXPECT_EQ(kv->find_column("anything")->type, "any");
  EXPECT_NE(to_string(*kv).find("TABLE kv WITHOUT ROWID, STRICT"), std::string::npos);
  // SQLite enforces it: a text that is no integer does not go into an INTEGER column.
  EXPECT_THROW(db->execute("INSERT INTO counter (id, hits) VALUES (1, 'many')"), database_error);
}

TEST(SqliteDdl, AStrictTableHasNoNumericTypeAndNoOtherTypeNames) {
  auto message = [](const Metadata& md) {
    try {
      create_all_sql(md, migtest::Dialect::sqlite);
    } catch (const schema_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Metadata numeric;
  numeric.table("t").column("price", Numeric(10, 2)).strict();
  EXPECT_NE(message(numeric).find("table 't' column 'price': a STRICT table has no NUMERIC type"),
            std::string::npos)
      << message(numeric);
  Metadata raw;
  raw.table("t")
      .column("x", Raw(std::map<std::string, std::string>{{"sqlite", "VARCHAR(9)"}}))
      .strict();
  EXPECT_NE(message(raw).find("table 't' column 'x': a STRICT table allows only INT, INTEGER"),
            std::string::npos)
      << message(raw);
}

TEST(SqliteDdl, ATableRebuildKeepsStrictAndWithoutRowid) {
  auto db = memory_db(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER) STRICT;"
      "CREATE TABLE w (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID;"
      "INSERT INTO t VALUES (1, 'x', 2); INSERT INTO w VALUES ('k', 1.5)");
  {
    Transaction tx(*db, migtest::TransactionMode::immediate);
    Operations op(*db);
    op.drop_column("t", "b");                            // SQLite 3.35+: in place,
    op.alter_column("t", "a", alter().nullable(false));  // but this one rebuilds
    op.alter_column("w", "v", alter().nullable(false));
    tx.commit();
  }
  const Schema s = reflect(*db);
  ASSERT_NE(s.find_table("t"), nullptr);
  EXPECT_TRUE(s.find_table("t")->strict) << to_string(s);
  EXPECT_FALSE(s.find_table("t")->find_column("a")->nullable);
  EXPECT_TRUE(s.find_table("w")->strict) << to_string(s);
  EXPECT_TRUE(s.find_table("w")->without_rowid);
  EXPECT_EQ(db->scalar("SELECT typeof(v) FROM w").as_text(), "real");
}

// ---------------------------------------------------------------------------
// Views: SQLite names their columns

TEST(SqliteDdl, ViewsAreCreatedAsWrittenAndNamedBySqlite) {
  Metadata md;
  md.table("t").column("id", Integer{}, primary_key).column("Price", Integer{});
  md.view("v", "select ID, price+1, price * 2 AS Double from T where (price > 0);");
  const auto sql = create_all_sql(md, migtest::Dialect::sqlite);
  EXPECT_EQ(
      sql.back(),
      "CREATE VIEW \"v\" AS select ID, price+1, price * 2 AS Double from T where (price > 0)");
  const Schema expected = expected_schema(md, migtest::Dialect::sqlite);
  ASSERT_EQ(expected.views.size(), 1u);
  EXPECT_EQ(expected.views[0].definition,
            "SELECT id, price + 1, price * 2 AS double FROM t WHERE price > 0");
  EXPECT_EQ(expected.views[0].columns, (std::vector<std::string>{"id", "price+1", "Double"}));
  auto db = memory_db();
  create_all(*db, md);
  EXPECT_EQ(reflect(*db), expected);
  // The same view written otherwise where SQLite names its columns otherwise is another view.
  auto other = memory_db(
      "CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, Price INTEGER NOT NULL);"
      "CREATE VIEW v AS SELECT id, price + 1, price * 2 AS double FROM t WHERE price > 0");
  const View v = reflect(*other).views.at(0);
  EXPECT_EQ(v.definition, expected.views[0].definition);
  EXPECT_EQ(v.columns, (std::vector<std::string>{"id", "price + 1", "double"}));
}

TEST(SqliteDdl, AViewTheModelsCannotCreateIsASchemaErrorNamingIt) {
  Metadata md;
  md.table("t").column("id", Integer{}, primary_key);
  md.view("v", "SELECT nope FROM t");
  try {
    expected_schema(md, migtest::Dialect::sqlite);
    FAIL() << "no error";
  } catch (const schema_error& e) {
    EXPECT_NE(std::string(e.what()).find("view 'v': no such column: nope"), std::string::npos)
        << e.what();
  }
  Metadata two;
  two.table("t").column("id", Integer{}, primary_key);
  two.view("v", "SELECT id FROM t; DROP TABLE t");
  EXPECT_THROW(create_all_sql(two, migtest::Dialect::sqlite), schema_error);
}
