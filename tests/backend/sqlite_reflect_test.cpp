// SQLite reflection on real databases, and the tokenizer and canonical forms it rests on.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/schema.hpp"
#include "support/files.hpp"

namespace sq = migtest::detail::sqlite;
using migtest::Schema;

namespace {

std::unique_ptr<migtest::Connection> memory_db(const std::string& script = "") {
  auto db = migtest::connect("sqlite:///:memory:");
  if (!script.empty()) db->execute_script(script);
  return db;
}

Schema reflect_script(const std::string& script, const migtest::ReflectOptions& o = {}) {
  auto db = memory_db(script);
  return migtest::reflect(*db, o);
}

const migtest::Table& table(const Schema& s, const std::string& name) {
  const migtest::Table* t = s.find_table(name);
  if (!t) throw std::runtime_error("no table " + name + " in\n" + migtest::to_string(s));
  return *t;
}

}  // namespace

// ---------------------------------------------------------------------------
// Tokenizer

TEST(SqliteTokenizer, KeywordsAreExactlySqlites) {
  int n = sqlite3_keyword_count();
  ASSERT_EQ(n, 147);
  for (int i = 0; i < n; ++i) {
    const char* z = nullptr;
    int len = 0;
    sqlite3_keyword_name(i, &z, &len);
    std::string word(z, static_cast<std::size_t>(len));
    EXPECT_TRUE(sq::is_keyword(word)) << word;
    EXPECT_TRUE(sq::is_keyword(sq::lower(word))) << word;
  }
  EXPECT_FALSE(sq::is_keyword("true"));
  EXPECT_FALSE(sq::is_keyword("rowid"));
  EXPECT_FALSE(sq::is_keyword("stored"));
  EXPECT_FALSE(sq::is_keyword("integer"));
}

TEST(SqliteTokenizer, KindsValuesAndComments) {
  sq::Tokens t = sq::tokenize(
      "SELECT \"my col\", [b c], `d``e`, 'it''s', x'0aFF', 1.5e3, 0x1F, ?2, :name -- trailing\n"
      "/* block ( , */ a||b <> c == d ->> e");
  std::vector<std::string> values;
  for (const auto& k : t) values.push_back(k.value);
  std::vector<std::string> expected = {"SELECT", "my col", ",",    "b c",   ",",     "d`e", ",",
                                       "it's",   ",",      "0aFF", ",",     "1.5e3", ",",   "0x1F",
                                       ",",      "?2",     ",",    ":name", "a",     "||",  "b",
                                       "<>",     "c",      "==",   "d",     "->>",   "e"};
  EXPECT_EQ(values, expected);
  EXPECT_EQ(t[0].kind, sq::TokenKind::keyword);
  EXPECT_EQ(t[1].kind, sq::TokenKind::quoted_identifier);
  EXPECT_EQ(t[7].kind, sq::TokenKind::string);
  EXPECT_EQ(t[9].kind, sq::TokenKind::blob);
  EXPECT_EQ(t[11].kind, sq::TokenKind::number);
}

TEST(SqliteTokenizer, UnterminatedQuoteIsAParseErrorWithItsLine) {
  try {
    sq::tokenize("SELECT 1,\n 'open");
    FAIL() << "expected parse_error";
  } catch (const sq::sql_syntax_error& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.describe(), "unterminated string literal (line 2)");
    const migtest::parse_error& base = e;  // callers may catch it as the general kind
    EXPECT_EQ(base.file(), "SQL");
    EXPECT_NE(std::string(e.what()).find("unterminated string"), std::string::npos) << e.what();
  }
  EXPECT_THROW(sq::tokenize("SELECT \"x"), migtest::parse_error);
  EXPECT_THROW(sq::tokenize("SELECT x'abc'"), migtest::parse_error);  // odd hex digits
  EXPECT_THROW(sq::tokenize("SELECT 12abc"), migtest::parse_error);
}

TEST(SqliteTokenizer, ParseCreateTableReadsTheHardParts) {
  sq::ParsedTable p = sq::parse_create_table(R"(CREATE TABLE "odd table" (
      -- a comment with a , comma and a ) paren
      "my id" INTEGER CONSTRAINT "pk odd" PRIMARY KEY AUTOINCREMENT,
      price NUMERIC ( 10 , 2 ) NOT NULL CONSTRAINT price_positive CHECK ((price > 0) AND (price < (1000 * (2 + 1)))),
      name TEXT COLLATE NoCase DEFAULT 'a,b)' /* ) */ UNIQUE,
      total AS (price * 2) STORED,
      parent INTEGER REFERENCES "odd table"("my id") ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      CONSTRAINT uq_pair UNIQUE (name, price) ON CONFLICT REPLACE
      CHECK (name <> '')
      CONSTRAINT fk_self FOREIGN KEY (parent, price) REFERENCES other (a, b) ON UPDATE CASCADE NOT DEFERRABLE
    ) WITHOUT ROWID, STRICT)");
  EXPECT_EQ(p.name, "odd table");
  ASSERT_EQ(p.columns.size(), 5u);
  EXPECT_EQ(p.columns[0].name, "my id");
  EXPECT_EQ(p.columns[1].name, "price");
  EXPECT_EQ(sq::canonical_sql(p.tokens, p.columns[1].type), "numeric(10, 2)");
  EXPECT_TRUE(p.columns[1].not_null);
  EXPECT_EQ(p.columns[2].collation, "NoCase");
  ASSERT_TRUE(p.columns[2].default_value);
  EXPECT_EQ(sq::canonical_sql(p.tokens, *p.columns[2].default_value), "'a,b)'");
  ASSERT_TRUE(p.columns[3].generated);
  EXPECT_TRUE(p.columns[3].generated_stored);
  EXPECT_EQ(sq::canonical_expression(p.tokens, *p.columns[3].generated), "price * 2");

  ASSERT_TRUE(p.primary_key);
  EXPECT_EQ(p.primary_key->name, "pk odd");
  EXPECT_TRUE(p.primary_key->autoincrement);

  ASSERT_EQ(p.checks.size(), 2u);
  EXPECT_EQ(p.checks[0].name, "price_positive");
  EXPECT_EQ(sq::canonical_expression(p.tokens, p.checks[0].expression),
            "price > 0 AND price < 1000 * (2 + 1)");
  EXPECT_EQ(p.checks[1].name, "");
  EXPECT_EQ(sq::canonical_expression(p.tokens, p.checks[1].expression), "name != ''");

  ASSERT_EQ(p.uniques.size(), 2u);
  EXPECT_EQ(p.uniques[0].columns, std::vector<std::string>{"name"});
  EXPECT_EQ(p.uniques[1].name, "uq_pair");
  EXPECT_EQ(p.uniques[1].columns, (std::vector<std::string>{"name", "price"}));

  ASSERT_EQ(p.foreign_keys.size(), 2u);
  EXPECT_EQ(p.foreign_keys[0].referred_table, "odd table");
  EXPECT_EQ(p.foreign_keys[0].referred_columns, std::vector<std::string>{"my id"});
  EXPECT_EQ(p.foreign_keys[0].on_delete, "SET NULL");
  EXPECT_TRUE(p.foreign_keys[0].deferrable);
  EXPECT_TRUE(p.foreign_keys[0].initially_deferred);
  EXPECT_EQ(p.foreign_keys[1].name, "fk_self");
  EXPECT_EQ(p.foreign_keys[1].on_update, "CASCADE");
  EXPECT_FALSE(p.foreign_keys[1].deferrable);
  EXPECT_TRUE(p.without_rowid);
  EXPECT_TRUE(p.strict);
}

TEST(SqliteTokenizer, ParseCreateIndexAndView) {
  sq::ParsedIndex ix = sq::parse_create_index(
      "CREATE UNIQUE INDEX IF NOT EXISTS main.ix ON t (lower(name) COLLATE nocase DESC, b ASC) "
      "WHERE b IS NOT NULL AND (a > 1)");
  EXPECT_EQ(ix.name, "ix");
  EXPECT_EQ(ix.table, "t");
  EXPECT_TRUE(ix.unique);
  ASSERT_EQ(ix.terms.size(), 2u);
  EXPECT_EQ(sq::canonical_expression(ix.tokens, ix.terms[0].expression), "lower(name)");
  EXPECT_EQ(ix.terms[0].collation, "nocase");
  EXPECT_TRUE(ix.terms[0].desc);
  EXPECT_FALSE(ix.terms[1].desc);
  EXPECT_EQ(sq::canonical_expression(ix.tokens, ix.where), "b IS NOT NULL AND a > 1");

  sq::Tokens t;
  sq::Span s = sq::parse_create_view("create view v(a, b) as select 1, 2;", t);
  EXPECT_EQ(sq::canonical_sql(t, s), "SELECT 1, 2");
}

// ---------------------------------------------------------------------------
// Canonical forms

TEST(SqliteNormalize, Types) {
  EXPECT_EQ(sq::canonical_type("VARCHAR ( 255 )"), "varchar(255)");
  EXPECT_EQ(sq::canonical_type("varchar(255)"), "varchar(255)");
  EXPECT_EQ(sq::canonical_type("NUMERIC(10, 2)"), "numeric(10,2)");
  EXPECT_EQ(sq::canonical_type("double   precision"), "double precision");
  EXPECT_EQ(sq::canonical_type("\"My Type\""), "my type");
  EXPECT_EQ(sq::canonical_type(""), "");
  // Spellings are never merged: INT is no rowid alias, and applications see the text.
  EXPECT_NE(sq::canonical_type("INT"), sq::canonical_type("INTEGER"));
  EXPECT_NE(sq::canonical_type("TEXT"), sq::canonical_type("VARCHAR"));
}

TEST(SqliteNormalize, Defaults) {
  EXPECT_EQ(sq::canonical_default("(0)"), "0");
  EXPECT_EQ(sq::canonical_default("((0))"), "0");
  EXPECT_EQ(sq::canonical_default("'x'"), "'x'");
  EXPECT_EQ(sq::canonical_default("\"x\""), "'x'");
  EXPECT_EQ(sq::canonical_default("abc"), "'abc'");
  EXPECT_EQ(sq::canonical_default("current_timestamp"), "CURRENT_TIMESTAMP");
  EXPECT_EQ(sq::canonical_default("(datetime( 'now' ))"), "datetime('now')");
  EXPECT_EQ(sq::canonical_default("true"), "1");
  EXPECT_EQ(sq::canonical_default("FALSE"), "0");
  EXPECT_EQ(sq::canonical_default("+1"), "1");
  EXPECT_EQ(sq::canonical_default("-1"), "-1");
  EXPECT_EQ(sq::canonical_default("- 1"), "-1");
  EXPECT_EQ(sq::canonical_default("x'ab'"), "X'AB'");
  EXPECT_EQ(sq::canonical_default("NULL"), std::nullopt);
  EXPECT_EQ(sq::canonical_default("(null)"), std::nullopt);
  EXPECT_NE(sq::canonical_default("0"), sq::canonical_default("'0'"));
}

TEST(SqliteNormalize, Expressions) {
  EXPECT_EQ(sq::canonical_expression("((a>0))"), "a > 0");
  EXPECT_EQ(sq::canonical_expression("(a > 0) and (b < 1)"), "a > 0 AND b < 1");
  EXPECT_EQ(sq::canonical_expression("[price]  >=  0 /* why */"), "price >= 0");
  EXPECT_EQ(sq::canonical_expression("[order] in ( 'a' , 'b' )"), "\"order\" IN ('a', 'b')");
  EXPECT_EQ(sq::canonical_expression("[my col] == - 1"), "\"my col\" = -1");
  EXPECT_EQ(sq::canonical_expression("a <> b"), "a != b");
  EXPECT_EQ(sq::canonical_expression("LENGTH( name )>3"), "length(name) > 3");
  EXPECT_EQ(sq::canonical_expression("\"Lower\"(x)"), "lower(x)");
  EXPECT_EQ(sq::canonical_expression("a - - 1"), "a - -1");
  EXPECT_EQ(sq::canonical_expression("- - 1"), "- -1");  // never "--", a comment
  EXPECT_EQ(sq::canonical_expression("t.a=x.b"), "t.a = x.b");
  EXPECT_EQ(sq::canonical_expression("name collate nocase = 'x'"), "name COLLATE NOCASE = 'x'");
  EXPECT_EQ(sq::canonical_expression("cast(a as integer)"), "CAST(a AS INTEGER)");
  EXPECT_EQ(sq::canonical_expression("count(*)"), "count(*)");
  // Names are compared as SQLite compares them: without regard to ASCII case.
  EXPECT_EQ(sq::canonical_expression("Name > 0"), sq::canonical_expression("name > 0"));
  // A double-quoted word whose role is unknown (no scope) keeps its quotes and case.
  EXPECT_EQ(sq::canonical_expression("\"Price\" > 0"), "\"Price\" > 0");
}

TEST(SqliteNormalize, Identifiers) {
  EXPECT_EQ(sq::identifier_text("name"), "name");
  EXPECT_EQ(sq::identifier_text("user name"), "\"user name\"");
  EXPECT_EQ(sq::identifier_text("order"), "\"order\"");
  EXPECT_EQ(sq::identifier_text("1st"), "\"1st\"");
  EXPECT_EQ(migtest::detail::quote_ident("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(migtest::detail::quote_literal("it's"), "'it''s'");
  EXPECT_EQ(sq::canonical_collation("binary"), "");
  EXPECT_EQ(sq::canonical_collation("nocase"), "NOCASE");
}

// ---------------------------------------------------------------------------
// Reflection

TEST(SqliteReflect, ColumnsTypesNullabilityDefaults) {
  Schema s = reflect_script(R"(
    CREATE TABLE t (
      id INTEGER PRIMARY KEY,
      a VARCHAR ( 20 ) NOT NULL DEFAULT ('x'),
      b int DEFAULT (0),
      c DATETIME DEFAULT current_timestamp,
      d TEXT COLLATE nocase,
      e,
      f REAL DEFAULT -1.5,
      g BOOLEAN NOT NULL DEFAULT TRUE
    );)");
  EXPECT_EQ(s.dialect, migtest::Dialect::sqlite);
  const auto& t = table(s, "t");
  ASSERT_EQ(t.columns.size(), 8u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_EQ(t.columns[0].type, "integer");
  EXPECT_FALSE(t.columns[0].nullable) << "INTEGER PRIMARY KEY can never be NULL";
  EXPECT_FALSE(t.columns[0].autoincrement);
  EXPECT_EQ(t.columns[1].type, "varchar(20)");
  EXPECT_FALSE(t.columns[1].nullable);
  EXPECT_EQ(t.columns[1].default_value, "'x'");
  EXPECT_EQ(t.columns[2].type, "int");
  EXPECT_TRUE(t.columns[2].nullable);
  EXPECT_EQ(t.columns[2].default_value, "0");
  EXPECT_EQ(t.columns[3].default_value, "CURRENT_TIMESTAMP");
  EXPECT_EQ(t.columns[4].collation, "NOCASE");
  EXPECT_EQ(t.columns[5].type, "");
  EXPECT_EQ(t.columns[5].default_value, std::nullopt);
  EXPECT_EQ(t.columns[6].default_value, "-1.5");
  EXPECT_EQ(t.columns[7].default_value, "1");
  ASSERT_TRUE(t.primary_key);
  EXPECT_EQ(t.primary_key->columns, std::vector<std::string>{"id"});
  EXPECT_TRUE(t.uniques.empty());
  EXPECT_TRUE(t.indexes.empty());
}

TEST(SqliteReflect, RowidAliasRulesAndAutoincrement) {
  Schema s = reflect_script(R"(
    CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, x);
    CREATE TABLE tbl_pk (id INTEGER, x, PRIMARY KEY (id AUTOINCREMENT));
    CREATE TABLE int_pk (id INT PRIMARY KEY, x);
    CREATE TABLE desc_pk (id INTEGER PRIMARY KEY DESC, x);
    CREATE TABLE composite (a INTEGER, b TEXT, CONSTRAINT pk_c PRIMARY KEY (b, a));
    CREATE TABLE norowid (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    INSERT INTO auto(x) VALUES (1);)");
  EXPECT_EQ(s.find_table("sqlite_sequence"), nullptr) << "sqlite_sequence is SQLite's own";
  const auto& a = table(s, "auto");
  EXPECT_TRUE(a.columns[0].autoincrement);
  EXPECT_FALSE(a.columns[0].nullable);
  EXPECT_TRUE(table(s, "tbl_pk").columns[0].autoincrement);
  EXPECT_FALSE(table(s, "tbl_pk").columns[0].nullable);
  // INT PRIMARY KEY is an ordinary column under a unique index, and takes NULL.
  EXPECT_TRUE(table(s, "int_pk").columns[0].nullable);
  EXPECT_TRUE(table(s, "int_pk").uniques.empty()) << "the key's autoindex is the PRIMARY KEY";
  EXPECT_TRUE(table(s, "int_pk").indexes.empty());
  // SQLite's quirk: INTEGER PRIMARY KEY DESC is no rowid alias either.
  EXPECT_TRUE(table(s, "desc_pk").columns[0].nullable);
  const auto& c = table(s, "composite");
  ASSERT_TRUE(c.primary_key);
  EXPECT_EQ(c.primary_key->name, "pk_c");
  EXPECT_EQ(c.primary_key->columns, (std::vector<std::string>{"b", "a"}));
  const auto& w = table(s, "norowid");
  EXPECT_TRUE(w.without_rowid);
  EXPECT_FALSE(w.columns[0].nullable);
  EXPECT_TRUE(w.indexes.empty());
}

TEST(SqliteReflect, AutoindexesAreUniqueConstraintsAndExplicitIndexesStayIndexes) {
  Schema s = reflect_script(R"(
    CREATE TABLE u (
      id INTEGER PRIMARY KEY,
      email TEXT CONSTRAINT uq_email UNIQUE,
      a INT, b INT,
      code TEXT UNIQUE,
      UNIQUE (a, b),
      UNIQUE (code)
    );
    CREATE UNIQUE INDEX ux_a ON u (a);
    CREATE INDEX ix_part ON u (b) WHERE b > 0;
    CREATE INDEX ix_expr ON u (lower(email), a DESC, code COLLATE NOCASE);
    CREATE INDEX ix_nocase_expr ON u (lower(email) COLLATE nocase);)");
  const auto& t = table(s, "u");
  ASSERT_EQ(t.uniques.size(), 3u) << migtest::to_string(t);  // UNIQUE(code) repeats code UNIQUE
  EXPECT_EQ(t.uniques[0], (migtest::UniqueConstraint{"", {"a", "b"}}));
  EXPECT_EQ(t.uniques[1], (migtest::UniqueConstraint{"", {"code"}}));
  EXPECT_EQ(t.uniques[2], (migtest::UniqueConstraint{"uq_email", {"email"}}));
  ASSERT_EQ(t.indexes.size(), 4u);
  const migtest::Index* ix = t.find_index("ix_expr");
  ASSERT_NE(ix, nullptr);
  EXPECT_EQ(ix->columns,
            (std::vector<std::string>{"lower(email)", "a DESC", "code COLLATE NOCASE"}));
  EXPECT_FALSE(ix->unique);
  EXPECT_EQ(t.find_index("ix_nocase_expr")->columns,
            std::vector<std::string>{"lower(email) COLLATE NOCASE"});
  EXPECT_EQ(t.find_index("ix_part")->where, "b > 0");
  EXPECT_EQ(t.find_index("ix_part")->columns, std::vector<std::string>{"b"});
  EXPECT_TRUE(t.find_index("ux_a")->unique);
  for (const auto& i : t.indexes) EXPECT_EQ(i.name.rfind("sqlite_autoindex", 0), std::string::npos);
}

TEST(SqliteReflect, ForeignKeysWithNamesActionsAndDeferrability) {
  Schema s = reflect_script(R"(
    CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
    CREATE TABLE child (
      id INTEGER PRIMARY KEY,
      p INTEGER REFERENCES Parent ON DELETE CASCADE,
      c TEXT CONSTRAINT fk_code REFERENCES parent (CODE) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
      q INTEGER,
      CONSTRAINT fk_q FOREIGN KEY (q) REFERENCES parent (id) DEFERRABLE
    );)");
  const auto& t = table(s, "child");
  ASSERT_EQ(t.foreign_keys.size(), 3u) << migtest::to_string(t);
  const auto& p = t.foreign_keys[0];  // unnamed sorts first
  EXPECT_EQ(p.name, "");
  EXPECT_EQ(p.columns, std::vector<std::string>{"p"});
  EXPECT_EQ(p.referred_table, "parent") << "spelled as the parent table spells itself";
  EXPECT_EQ(p.referred_columns, std::vector<std::string>{"id"})
      << "REFERENCES parent means its key";
  EXPECT_EQ(p.on_delete, "CASCADE");
  EXPECT_EQ(p.on_update, "NO ACTION");
  EXPECT_FALSE(p.deferrable);
  const auto& c = t.foreign_keys[1];
  EXPECT_EQ(c.name, "fk_code");
  EXPECT_EQ(c.referred_columns, std::vector<std::string>{"code"});
  EXPECT_EQ(c.on_update, "SET NULL");
  EXPECT_TRUE(c.deferrable);
  EXPECT_TRUE(c.initially_deferred);
  const auto& q = t.foreign_keys[2];
  EXPECT_EQ(q.name, "fk_q");
  EXPECT_TRUE(q.deferrable);
  EXPECT_FALSE(q.initially_deferred);
}

TEST(SqliteReflect, ChecksGeneratedColumnsTriggersViews) {
  Schema s = reflect_script(R"(
    CREATE TABLE item (
      id INTEGER PRIMARY KEY,
      price NUMERIC(10,2) CHECK (price >= 0),
      qty INT CONSTRAINT qty_range CHECK (qty BETWEEN 0 AND (10 * (5 + 5))),
      total NUMERIC GENERATED ALWAYS AS (price * qty) VIRTUAL,
      label TEXT AS (upper(  "name" )) STORED,
      name TEXT,
      CONSTRAINT name_nonempty CHECK ((length(name) > 0))
    );
    CREATE TABLE log (msg TEXT);
    CREATE TRIGGER item_log AFTER INSERT ON item
    BEGIN
      -- remember it
      INSERT INTO log (msg) VALUES ('new ' || NEW.name);
    END;
    CREATE VIEW expensive AS
      SELECT id, price FROM item WHERE price > 100;)");
  const auto& t = table(s, "item");
  ASSERT_EQ(t.checks.size(), 3u);
  EXPECT_EQ(t.checks[0], (migtest::CheckConstraint{"", "price >= 0"}));
  EXPECT_EQ(t.checks[1], (migtest::CheckConstraint{"name_nonempty", "length(name) > 0"}));
  EXPECT_EQ(t.checks[2], (migtest::CheckConstraint{"qty_range", "qty BETWEEN 0 AND 10 * (5 + 5)"}));
  const auto* total = t.find_column("total");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->generated, "price * qty");
  EXPECT_FALSE(total->generated_stored);
  const auto* label = t.find_column("label");
  EXPECT_EQ(label->generated, "upper(name)");
  EXPECT_TRUE(label->generated_stored);
  ASSERT_EQ(t.triggers.size(), 1u);
  EXPECT_EQ(t.triggers[0].name, "item_log");
  EXPECT_EQ(t.triggers[0].table, "item");
  EXPECT_EQ(
      t.triggers[0].definition,
      "CREATE TRIGGER item_log AFTER INSERT ON item BEGIN INSERT INTO log(msg) VALUES ('new ' || "
      "new.name); END");
  ASSERT_EQ(s.views.size(), 1u);
  EXPECT_EQ(s.views[0].name, "expensive");
  EXPECT_EQ(s.views[0].definition, "SELECT id, price FROM item WHERE price > 100");
  EXPECT_EQ(s.views[0].columns, (std::vector<std::string>{"id", "price"}));
}

TEST(SqliteReflect, LeavesOutVersionTableExcludedTablesAndVirtualTables) {
  std::string script = R"(
    CREATE TABLE migtest_version (version_num TEXT PRIMARY KEY);
    CREATE TABLE keep (id INTEGER PRIMARY KEY);
    CREATE TABLE "skip me" (id INTEGER PRIMARY KEY);
    CREATE INDEX ix_skip ON "skip me" (id);)";
  migtest::ReflectOptions o;
  o.exclude_tables.push_back("SKIP ME");  // names compare as SQLite compares them
  Schema s = reflect_script(script, o);
  ASSERT_EQ(s.tables.size(), 1u) << migtest::to_string(s);
  EXPECT_EQ(s.tables[0].name, "keep");

  // A temp table of the same name does not hide the main one.
  auto shadowed =
      memory_db("CREATE TABLE keep (id INTEGER PRIMARY KEY, a TEXT); CREATE TEMP TABLE keep (x);");
  Schema k = migtest::reflect(*shadowed);
  ASSERT_EQ(k.tables.size(), 1u);
  EXPECT_EQ(k.tables[0].columns.size(), 2u) << migtest::to_string(k);

  auto db = memory_db();
  bool fts5 = true;
  try {
    db->execute_script("CREATE VIRTUAL TABLE docs USING fts5(body); CREATE TABLE plain (x);");
  } catch (const migtest::database_error&) {
    fts5 = false;
  }
  if (fts5) {
    Schema v = migtest::reflect(*db);
    ASSERT_EQ(v.tables.size(), 1u) << migtest::to_string(v);  // no docs, docs_data, docs_idx...
    EXPECT_EQ(v.tables[0].name, "plain");
  }
}

TEST(SqliteReflect, OnlyTablesGivesThoseTablesAsAFullReflectionDoes) {
  auto db = memory_db(R"(
    CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT UNIQUE);
    CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));
    CREATE INDEX ix_b ON b (a_id);
    CREATE TABLE c (id INTEGER PRIMARY KEY);
    CREATE VIEW v AS SELECT id FROM c;)");
  const Schema all = migtest::reflect(*db);
  migtest::ReflectOptions o;
  o.only_tables = {"B", "c"};  // names compare as SQLite compares them
  const Schema some = migtest::reflect(*db, o);
  ASSERT_EQ(some.tables.size(), 2u) << migtest::to_string(some);
  EXPECT_EQ(some.tables[0], *all.find_table("b"));
  EXPECT_EQ(some.tables[1], *all.find_table("c"));
  EXPECT_TRUE(some.views.empty());
}

// Each table and index is read with a PRAGMA statement of its own: names that need quoting
// as literals, a parent named in another case and a parent that does not exist.
TEST(SqliteReflect, OnlyTablesReadsTablesWhoseNamesNeedQuoting) {
  auto db = memory_db(R"(
    CREATE TABLE "Parent's" (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
    CREATE TABLE "it's" (
      id INTEGER PRIMARY KEY,
      parent_code TEXT REFERENCES "PARENT'S" (CODE),
      parent_id INTEGER REFERENCES "parent's",
      gone_id INTEGER REFERENCES nowhere (id));
    CREATE INDEX "ix it's" ON "it's" (parent_code DESC, parent_id);)");
  const Schema all = migtest::reflect(*db);
  migtest::ReflectOptions o;
  o.only_tables = {"IT'S"};
  const Schema some = migtest::reflect(*db, o);
  ASSERT_EQ(some.tables.size(), 1u) << migtest::to_string(some);
  EXPECT_EQ(some.tables[0], *all.find_table("it's"));
  const auto& t = some.tables[0];
  ASSERT_EQ(t.foreign_keys.size(), 3u) << migtest::to_string(some);
  ASSERT_NE(t.find_index("ix it's"), nullptr);
  EXPECT_EQ(t.find_index("ix it's")->columns,
            (std::vector<std::string>{"parent_code DESC", "parent_id"}));
  for (const auto& fk : t.foreign_keys) {
    if (fk.columns[0] == "parent_code") {
      EXPECT_EQ(fk.referred_table, "Parent's");  // the parent's own spelling
      EXPECT_EQ(fk.referred_columns, (std::vector<std::string>{"code"}));
    } else if (fk.columns[0] == "parent_id") {
      EXPECT_EQ(fk.referred_columns, (std::vector<std::string>{"id"}));  // its primary key
    } else {
      EXPECT_EQ(fk.referred_table, "nowhere");
    }
  }
}

TEST(SqliteReflect, QuotedNamesWithSpacesAndKeywords) {
  Schema s = reflect_script(R"(
    CREATE TABLE "user" ("the id" INTEGER PRIMARY KEY, "order" TEXT CHECK ("order" <> 'x'), [select] INT);
    CREATE INDEX "ix user order" ON "user" ("order", "the id");)");
  const auto& t = table(s, "user");
  EXPECT_EQ(t.columns[0].name, "the id");
  EXPECT_EQ(t.columns[1].name, "order");
  EXPECT_EQ(t.columns[2].name, "select");
  EXPECT_EQ(t.checks.at(0).expression, "\"order\" != 'x'");
  ASSERT_NE(t.find_index("ix user order"), nullptr);
  EXPECT_EQ(t.find_index("ix user order")->columns, (std::vector<std::string>{"order", "the id"}));
}

namespace {

// A history of migrations: created, altered, renamed, as a real project's would be.
const char* kHistory = R"(
  CREATE TABLE "user" (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
  CREATE TABLE post (
    id INTEGER PRIMARY KEY,
    author INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    title VARCHAR(200) NOT NULL CHECK (length(title) > 0), -- not empty
    body TEXT,
    CONSTRAINT uq_title UNIQUE (author, title)
  );
  CREATE INDEX ix_post_author ON post (author);
  ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE "user" ADD COLUMN email TEXT COLLATE NOCASE;
  ALTER TABLE post RENAME COLUMN body TO content;
  CREATE UNIQUE INDEX ux_user_email ON "user" (email) WHERE email IS NOT NULL;
  CREATE TABLE tag (post INTEGER REFERENCES post, name TEXT, PRIMARY KEY (post, name)) WITHOUT ROWID;
  CREATE VIEW popular AS SELECT u.name, count(*) AS posts FROM "user" u JOIN post p ON p.author = u.id GROUP BY u.name;
  CREATE TRIGGER user_karma AFTER INSERT ON post BEGIN UPDATE "user" SET karma = karma + 1 WHERE id = NEW.author; END;
  INSERT INTO "user" (name) VALUES ('ann');
)";

// The same schema built only from the CREATE texts sqlite_schema holds (what a dump has).
std::unique_ptr<migtest::Connection> rebuilt_from_catalog(migtest::Connection& from) {
  auto to = memory_db();
  for (const char* type : {"table", "index", "view", "trigger"}) {
    migtest::Result r = from.query(
        "SELECT sql FROM sqlite_master WHERE type = $1 AND sql IS NOT NULL AND name NOT LIKE "
        "'sqlite_%' "
        "ORDER BY rowid",
        {type});
    for (const auto& row : r.rows) to->execute(row[0].as_text());
  }
  return to;
}

}  // namespace

TEST(SqliteReflect, HistoryAndItsDumpCompareEqual) {
  const migtest::test::TempDir dir("migtest-sqlite");
  auto db = migtest::connect("sqlite:///" + (dir / "history.db"));
  db->execute_script(kHistory);
  auto copy = rebuilt_from_catalog(*db);
  Schema a = migtest::reflect(*db);
  Schema b = migtest::reflect(*copy);
  EXPECT_EQ(a, b) << migtest::to_string(a) << "\n---\n" << migtest::to_string(b);
  const auto& post = table(a, "post");
  ASSERT_NE(post.find_column("content"), nullptr) << "renamed column";
  EXPECT_EQ(post.checks.at(0).expression, "length(title) > 0");
  const auto& user = table(a, "user");
  EXPECT_EQ(user.find_column("karma")->default_value, "0");
  EXPECT_EQ(user.find_column("email")->collation, "NOCASE");
  EXPECT_TRUE(user.find_column("id")->autoincrement);
  EXPECT_EQ(table(a, "tag").foreign_keys.at(0).referred_columns, std::vector<std::string>{"id"});
}

TEST(SqliteReflect, SameSchemaWrittenDifferentlyComparesEqual) {
  // Case, quoting, spacing, comments and redundant parentheses are not differences.
  Schema a = reflect_script(R"(
    CREATE TABLE t (id INTEGER PRIMARY KEY, n VARCHAR(10) NOT NULL DEFAULT 'a', m INT CHECK (m > 0));
    CREATE INDEX ix ON t (lower(n)) WHERE m > 1;
    CREATE VIEW v AS SELECT n FROM t WHERE m = 2;)");
  Schema b = reflect_script(R"(
    create table "t" ( "id" integer primary key , [n] varchar ( 10 ) not null default ('a'),
                       `m` int check (((m>0))) /* positive */ );
    create index "ix" on t ( LOWER ( n ) ) where ( m>1 );
    create view v as select "n" from t where m == 2 ;)");
  EXPECT_EQ(a, b) << migtest::to_string(a) << "\n---\n" << migtest::to_string(b);
}

TEST(SqliteReflect, RealChangesAreNotNormalisedAway) {
  const char* base =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT 0 CHECK (a > 0));";
  Schema s0 = reflect_script(base);
  for (const char* changed : {
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0 CHECK (a > 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT DEFAULT 0 CHECK (a > 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT '0' CHECK (a > 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT 0 CHECK (a >= 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT 0 CONSTRAINT c CHECK (a "
           "> 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT 0 CHECK (a > 0) "
           "UNIQUE);",
           "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT NOT NULL DEFAULT 0 CHECK "
           "(a > 0));",
           "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 0 CHECK (a > 0));",
           "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL DEFAULT 0 COLLATE NOCASE CHECK "
           "(a > 0));",
       }) {
    EXPECT_NE(reflect_script(changed), s0) << changed;
  }
}
