#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/source.hpp"

namespace migtest {
namespace {

using ::testing::HasSubstr;

struct Case {
  const char* name;
  const char* dialect;  // "sqlite", "postgresql" or "both"
  const char* sql;
  std::vector<Statement> expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class SplitterTable : public ::testing::TestWithParam<Case> {};

TEST_P(SplitterTable, SplitsAsTheDatabaseShellWould) {
  const Case& c = GetParam();
  std::vector<std::string> dialects;
  if (std::string(c.dialect) == "both") {
    dialects = {"sqlite", "postgresql"};
  } else {
    dialects = {c.dialect};
  }
  for (const auto& d : dialects) {
    auto got = split_statements(c.sql, parse_dialect(d));
    ASSERT_EQ(got.size(), c.expected.size()) << d << ": " << c.name;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].sql, c.expected[i].sql) << d << " statement " << i;
      EXPECT_EQ(got[i].line, c.expected[i].line) << d << " statement " << i;
    }
  }
}

const std::vector<Case> cases = {
    {"simple statements with lines",
     "both",
     "CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n",
     {{"CREATE TABLE a (x INT)", 1}, {"CREATE TABLE b (y INT)", 2}}},
    {"missing final semicolon",
     "both",
     "SELECT 1;\nSELECT 2\n",
     {{"SELECT 1", 1}, {"SELECT 2", 2}}},
    {"two statements on one line",
     "both",
     "SELECT 1; SELECT 2;",
     {{"SELECT 1", 1}, {"SELECT 2", 1}}},
    {"empty statements and blank input", "both", ";;\n\n  ;\n", {}},
    {"semicolon in a string",
     "both",
     "INSERT INTO t VALUES ('a;b');\nSELECT 2;",
     {{"INSERT INTO t VALUES ('a;b')", 1}, {"SELECT 2", 2}}},
    {"doubled quote in a string",
     "both",
     "INSERT INTO t VALUES ('it''s; fine'); SELECT 1;",
     {{"INSERT INTO t VALUES ('it''s; fine')", 1}, {"SELECT 1", 1}}},
    {"semicolon and quote in a quoted identifier",
     "both",
     "CREATE TABLE \"we;ird\"\"name\" (x INT);\nSELECT 1;",
     {{"CREATE TABLE \"we;ird\"\"name\" (x INT)", 1}, {"SELECT 1", 2}}},
    {"line comment holding a semicolon",
     "both",
     "SELECT 1 -- not here; no\n;\nSELECT 2;",
     {{"SELECT 1 -- not here; no", 1}, {"SELECT 2", 3}}},
    {"block comment holding a semicolon",
     "both",
     "SELECT /* a; b */ 1;\nSELECT 2;",
     {{"SELECT /* a; b */ 1", 1}, {"SELECT 2", 2}}},
    {"leading comments are not part of the statement",
     "both",
     "-- create things\n/* more\n   notes; */\n\nCREATE TABLE t (x INT);",
     {{"CREATE TABLE t (x INT)", 5}}},
    {"comment-only tail is dropped", "both", "SELECT 1;\n-- the end; really\n", {{"SELECT 1", 1}}},
    {"multi-line statement keeps its first line",
     "both",
     "\n\nCREATE TABLE t (\n  a INT,\n  b TEXT\n);\nDROP TABLE u;",
     {{"CREATE TABLE t (\n  a INT,\n  b TEXT\n)", 3}, {"DROP TABLE u", 7}}},
    {"string spanning lines moves later lines",
     "both",
     "INSERT INTO t VALUES ('a\nb;\nc');\nSELECT 1;",
     {{"INSERT INTO t VALUES ('a\nb;\nc')", 1}, {"SELECT 1", 4}}},
    {"CRLF line endings", "both", "SELECT 1;\r\nSELECT 2;\r\n", {{"SELECT 1", 1}, {"SELECT 2", 2}}},
    // PostgreSQL
    {"dollar-quoted function body",
     "postgresql",
     "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  PERFORM 1;\n  RETURN 1;\nEND;\n$$ LANGUAGE "
     "plpgsql;\nSELECT f();",
     {{"CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  PERFORM 1;\n  RETURN 1;\nEND;\n$$ LANGUAGE "
       "plpgsql",
       1},
      {"SELECT f()", 7}}},
    {"tagged dollar quote holding $$",
     "postgresql",
     "CREATE FUNCTION g() RETURNS text AS $body$ SELECT '$$;' $body$ LANGUAGE sql; SELECT 1;",
     {{"CREATE FUNCTION g() RETURNS text AS $body$ SELECT '$$;' $body$ LANGUAGE sql", 1},
      {"SELECT 1", 1}}},
    {"DO block",
     "postgresql",
     "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT 1 LOOP\n    RAISE NOTICE 'x;';\n  END "
     "LOOP;\nEND\n$$;\nSELECT 2;",
     {{"DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT 1 LOOP\n    RAISE NOTICE 'x;';\n  END "
       "LOOP;\nEND\n$$",
       1},
      {"SELECT 2", 9}}},
    {"DO block with LANGUAGE and tag",
     "postgresql",
     "DO LANGUAGE plpgsql $do$ BEGIN EXECUTE 'SELECT 1;'; END $do$;",
     {{"DO LANGUAGE plpgsql $do$ BEGIN EXECUTE 'SELECT 1;'; END $do$", 1}}},
    {"E string with backslash-escaped quote",
     "postgresql",
     "INSERT INTO t VALUES (E'it\\'s; here'); SELECT 1;",
     {{"INSERT INTO t VALUES (E'it\\'s; here')", 1}, {"SELECT 1", 1}}},
    {"standard string: backslash is literal",
     "postgresql",
     "SELECT 'C:\\'; SELECT 2;",
     {{"SELECT 'C:\\'", 1}, {"SELECT 2", 1}}},
    {"positional parameters are not dollar quotes",
     "postgresql",
     "PREPARE p AS SELECT $1 + $2; SELECT 3;",
     {{"PREPARE p AS SELECT $1 + $2", 1}, {"SELECT 3", 1}}},
    {"dollar inside an identifier",
     "postgresql",
     "SELECT a$b$ FROM t; SELECT 1;",
     {{"SELECT a$b$ FROM t", 1}, {"SELECT 1", 1}}},
    {"nested block comments",
     "postgresql",
     "/* outer /* inner; */ still; */ SELECT 1; SELECT 2;",
     {{"SELECT 1", 1}, {"SELECT 2", 1}}},
    {"BEGIN ATOMIC body",
     "postgresql",
     "CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN "
     "true THEN 2 END;\nEND;\nSELECT 3;",
     {{"CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE "
       "WHEN true THEN 2 END;\nEND",
       1},
      {"SELECT 3", 6}}},
    {"semicolons inside parentheses (CREATE RULE)",
     "postgresql",
     "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log VALUES "
     "(2));\nSELECT 1;",
     {{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log "
       "VALUES (2))",
       1},
      {"SELECT 1", 2}}},
    {"transaction statements split normally",
     "both",
     "BEGIN;\nCREATE TABLE t (x INT);\nCOMMIT;",
     {{"BEGIN", 1}, {"CREATE TABLE t (x INT)", 2}, {"COMMIT", 3}}},
    // SQLite
    {"trigger body keeps its semicolons",
     "sqlite",
     "CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n  UPDATE t SET n = n + 1;\n  INSERT INTO log "
     "VALUES ('a;b');\nEND;\nSELECT 1;",
     {{"CREATE TRIGGER trg AFTER INSERT ON t\nBEGIN\n  UPDATE t SET n = n + 1;\n  INSERT INTO log "
       "VALUES ('a;b');\nEND",
       1},
      {"SELECT 1", 6}}},
    {"temporary trigger with CASE ... END inside",
     "sqlite",
     "create temp trigger trg before update on t when new.x > 0 begin\n  select case when new.x > "
     "9 then raise(abort, 'big;') end;\n  update t set y = case new.x when 1 then 'a' else 'b' "
     "end;\nend;\nselect 2;",
     {{"create temp trigger trg before update on t when new.x > 0 begin\n  select case when new.x "
       "> 9 then raise(abort, 'big;') end;\n  update t set y = case new.x when 1 then 'a' else 'b' "
       "end;\nend",
       1},
      {"select 2", 5}}},
    {"trigger without a final semicolon",
     "sqlite",
     "CREATE TRIGGER IF NOT EXISTS trg AFTER DELETE ON t BEGIN DELETE FROM u; END",
     {{"CREATE TRIGGER IF NOT EXISTS trg AFTER DELETE ON t BEGIN DELETE FROM u; END", 1}}},
    {"BEGIN outside a trigger is a statement",
     "sqlite",
     "BEGIN; SELECT 1; END;",
     {{"BEGIN", 1}, {"SELECT 1", 1}, {"END", 1}}},
    {"bracket and backtick identifiers",
     "sqlite",
     "CREATE TABLE [a;b] (`c;d` INT);\nSELECT 1;",
     {{"CREATE TABLE [a;b] (`c;d` INT)", 1}, {"SELECT 1", 2}}},
    {"dollar sign is not a quote on SQLite",
     "sqlite",
     "SELECT $x; SELECT 2;",
     {{"SELECT $x", 1}, {"SELECT 2", 1}}},
    {"non-nested block comments on SQLite",
     "sqlite",
     "/* a /* b */ SELECT 1; SELECT 2;",
     {{"SELECT 1", 1}, {"SELECT 2", 1}}},
    // goose
    {"goose StatementBegin/End kept whole",
     "both",
     "CREATE TABLE t (x INT);\n-- +goose StatementBegin\nCREATE FUNCTION f() AS 'a; b';\nSELECT "
     "1;\n-- +goose StatementEnd\nSELECT 2;",
     {{"CREATE TABLE t (x INT)", 1},
      {"CREATE FUNCTION f() AS 'a; b';\nSELECT 1", 3},
      {"SELECT 2", 6}}},
};

INSTANTIATE_TEST_SUITE_P(Cases, SplitterTable, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           std::string n;
                           for (char ch : std::string(p.param.name)) {
                             n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           }
                           return n;
                         });

TEST(Splitter, FirstLineShiftsLineNumbers) {
  auto got = split_statements("\nSELECT 1;\nSELECT 2;", Dialect::sqlite, 40, "v/x.sql");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].line, 41);
  EXPECT_EQ(got[1].line, 42);
}

struct Bad {
  const char* dialect;
  const char* sql;
  int line;
  const char* message;
};

TEST(Splitter, UnterminatedThingsNameFileAndLine) {
  const std::vector<Bad> bad = {
      {"sqlite", "SELECT 1;\nSELECT 'oops;\nSELECT 2;", 12, "unterminated string literal"},
      {"postgresql", "SELECT 1;\nSELECT 'oops;", 12, "unterminated string literal"},
      {"postgresql", "SELECT 1;\nSELECT \"col;", 12, "unterminated quoted identifier"},
      {"sqlite", "SELECT 1;\nSELECT [col;", 12, "unterminated quoted identifier"},
      {"postgresql", "SELECT 1;\nCREATE FUNCTION f() AS $fn$ SELECT 1; $$ LANGUAGE sql;", 12,
       "unterminated dollar-quoted string (opened with $fn$"},
      {"postgresql", "SELECT 1;\n/* outer /* inner */ never closed", 12, "unterminated /* comment"},
      {"sqlite", "SELECT 1;\n/* never closed", 12, "unterminated /* comment"},
      {"postgresql", "SELECT 1;\nSELECT E'\\';", 12, "unterminated string literal"},
      {"sqlite", "SELECT 1;\n-- +goose StatementBegin\nSELECT 2;", 12,
       "StatementBegin without -- +goose StatementEnd"},
  };
  for (const auto& b : bad) {
    try {
      split_statements(b.sql, parse_dialect(b.dialect), 11, "versions/x.sql");
      ADD_FAILURE() << "no error for: " << b.sql;
    } catch (const parse_error& e) {
      EXPECT_EQ(e.file(), "versions/x.sql") << b.sql;
      EXPECT_EQ(e.line(), b.line) << b.sql;
      EXPECT_THAT(e.what(), HasSubstr(b.message)) << b.sql;
      EXPECT_THAT(e.what(), HasSubstr("versions/x.sql:12:")) << b.sql;
    }
  }
}

TEST(Splitter, UnknownDialectIsAUsageError) {
  EXPECT_THROW(split_statements("SELECT 1", parse_dialect("mysql")), config_error);
}

TEST(Splitter, ManagesOwnTransaction) {
  auto yes = [](const char* sql, const char* d = "sqlite") {
    return manages_own_transaction(split_statements(sql, parse_dialect(d)));
  };
  EXPECT_TRUE(yes("BEGIN; CREATE TABLE t (x INT); COMMIT;"));
  EXPECT_TRUE(yes("begin transaction; select 1; end transaction;"));
  EXPECT_TRUE(
      yes("START TRANSACTION ISOLATION LEVEL SERIALIZABLE; SELECT 1; COMMIT;", "postgresql"));
  EXPECT_TRUE(yes("-- note\nBEGIN IMMEDIATE; SELECT 1; COMMIT;"));
  EXPECT_TRUE(yes("SELECT 1; ROLLBACK;"));
  EXPECT_FALSE(yes("CREATE TABLE t (x INT); INSERT INTO t VALUES (1);"));
  EXPECT_FALSE(yes("SAVEPOINT a; SELECT 1; ROLLBACK TO SAVEPOINT a; RELEASE a;"));
  EXPECT_FALSE(yes("ROLLBACK TRANSACTION TO SAVEPOINT a;"));
  EXPECT_FALSE(yes("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"));
  EXPECT_FALSE(yes("DO $$ BEGIN PERFORM 1; COMMIT; END $$;", "postgresql"));
  EXPECT_FALSE(yes("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;",
                   "postgresql"));
  EXPECT_FALSE(yes("SELECT 'BEGIN;';"));
}

}  // namespace
}  // namespace migtest
