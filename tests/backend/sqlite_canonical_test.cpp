// SQLite canonical forms: what SQLite reads alike is written alike, and what it reads
// differently stays different. SQLite itself is the oracle where it can be: a canonical
// expression must compute what the original computes, on every row.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "backend/sqlite/expression.hpp"
#include "backend/sqlite/normalize.hpp"
#include "migtest/connection.hpp"
#include "migtest/error.hpp"

namespace sq = migtest::detail::sqlite;

namespace {

const std::set<std::string> kColumns = sq::table_scope({"a", "b", "c", "Price", "key"});
const sq::NameScope kTable{&kColumns, true};

std::string canon(const std::string& sql) { return sq::canonical_expression(sql, kTable); }

// A random expression over a, b, c, with parentheses put in at random: some redundant,
// some that decide the parse.
class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(unsigned seed) : rng_(seed) {}

  std::string next(int depth = 0) {
    std::string e = depth > 3 ? operand() : compound(depth);
    if (pick(4) == 0) e = "(" + e + ")";
    if (pick(12) == 0) e = "((" + e + "))";
    return e;
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string operand() {
    static const std::vector<std::string> kOperands = {"a",    "b",   "c",  "1",   "2",   "0",
                                                       "NULL", "'x'", "-1", "3.5", "0x10"};
    return kOperands[static_cast<std::size_t>(pick(static_cast<int>(kOperands.size())))];
  }

  std::string compound(int depth) {
    static const std::vector<std::string> kBinary = {"+",
                                                     "-",
                                                     "*",
                                                     "/",
                                                     "%",
                                                     "||",
                                                     "&",
                                                     "|",
                                                     "<<",
                                                     ">>",
                                                     "<",
                                                     "<=",
                                                     ">",
                                                     ">=",
                                                     "=",
                                                     "==",
                                                     "!=",
                                                     "<>",
                                                     "IS",
                                                     "IS NOT",
                                                     "AND",
                                                     "OR",
                                                     "IS NOT DISTINCT FROM",
                                                     "IS DISTINCT FROM",
                                                     "->>",
                                                     "GLOB",
                                                     "NOT LIKE"};
    switch (pick(16)) {
      case 0:
        return std::string(pick(2) ? "-" : "NOT ") + next(depth + 1);
      case 1:
        return next(depth + 1) + " BETWEEN " + next(depth + 1) + " AND " + next(depth + 1);
      case 2:
        return next(depth + 1) + (pick(2) ? " IN (" : " NOT IN (") + next(depth + 1) + ", " +
               operand() + ")";
      case 3:
        return "CASE WHEN " + next(depth + 1) + " THEN " + next(depth + 1) + " ELSE " +
               next(depth + 1) + " END";
      case 4:
        return "coalesce(" + next(depth + 1) + ", " + next(depth + 1) + ")";
      case 5:
        return next(depth + 1) + (pick(3) == 0 ? " ISNULL" : pick(2) ? " NOTNULL" : " NOT NULL");
      case 6:
        return "CAST(" + next(depth + 1) + (pick(2) ? " AS VARCHAR(3))" : " AS int)");
      case 7:
        return next(depth + 1) + (pick(2) ? " LIKE " : " NOT GLOB ") + next(depth + 1) +
               (pick(2) ? " ESCAPE " + next(depth + 1) : std::string());
      case 8:
        return next(depth + 1) + " COLLATE NOCASE";
      case 9:
        return std::string(pick(2) ? "~" : "+") + next(depth + 1);
      case 10:
        return pick(2) ? "(SELECT " + next(depth + 1) + ")"
                       : std::string(pick(2) ? "NOT " : "") + "EXISTS (SELECT 1 WHERE " +
                             next(depth + 1) + ")";
      case 11:
        return next(depth + 1) + " IN (SELECT " + next(depth + 1) + ")";
      default: {
        const std::string& op =
            kBinary[static_cast<std::size_t>(pick(static_cast<int>(kBinary.size())))];
        return next(depth + 1) + " " + op + " " + next(depth + 1);
      }
    }
  }

  std::mt19937 rng_;
};

std::vector<std::string> values_of(migtest::Connection& db, const std::string& expr) {
  std::vector<std::string> out;
  for (const auto& row : db.query("SELECT quote(" + expr + ") FROM t ORDER BY rowid").rows) {
    out.push_back(row[0].as_text());
  }
  return out;
}

}  // namespace

TEST(SqliteCanonical, ParenthesesGoOnlyWhereSqliteParsesTheSameWithoutThem) {
  auto db = migtest::connect("sqlite:///:memory:");
  db->execute_script(
      "CREATE TABLE t (a, b, c, Price, key);"
      "INSERT INTO t (a, b, c) VALUES (0, 0, 0), (1, 2, 3), (-3, 5, NULL), (NULL, NULL, 1), "
      "(7, -2, 4), ('x', 2.5, 0), (4, 4, 4)");
  const char* fuzz = std::getenv("MIGTEST_FUZZ_SEED");  // to explore further by hand
  ExpressionGenerator gen(fuzz ? static_cast<unsigned>(std::atoi(fuzz)) : 20240611u);
  int compared = 0;
  int dropped = 0;  // expressions that lost some parentheses
  for (int i = 0; i < 3000; ++i) {
    const std::string e = gen.next();
    std::vector<std::string> want;
    try {
      want = values_of(*db, e);
    } catch (const migtest::database_error&) {
      continue;  // SQL the generator got wrong (SQLite says so): nothing to compare
    }
    const std::string c = canon(e);
    std::vector<std::string> got;
    try {
      got = values_of(*db, c);
    } catch (const migtest::database_error& err) {
      FAIL() << e << "\n   read as: " << c << "\n   which SQLite rejects: " << err.what();
    }
    ASSERT_EQ(got, want) << e << "\n   read as: " << c;
    ASSERT_EQ(canon(c), c) << "not stable: " << e;
    ++compared;
    if (std::count(c.begin(), c.end(), '(') < std::count(e.begin(), e.end(), '(')) ++dropped;
  }
  EXPECT_GT(compared, 2000);
  EXPECT_GT(dropped, 1000);
}

TEST(SqliteCanonical, RedundantParenthesesAtAnyDepthGo) {
  EXPECT_EQ(canon("((a))"), "a");
  EXPECT_EQ(canon("(a > 0) AND ((b < 1) OR (c = 2))"), "a > 0 AND (b < 1 OR c = 2)");
  EXPECT_EQ(canon("abs((a)) + (b * c)"), "abs(a) + b * c");
  EXPECT_EQ(canon("(a + b) + c"), "a + b + c");
  EXPECT_EQ(canon("a IN ((1), (2))"), "a IN (1, 2)");
  EXPECT_EQ(canon("CASE WHEN (a > 1) THEN (b) ELSE (c + 1) END"),
            "CASE WHEN a > 1 THEN b ELSE c + 1 END");
  EXPECT_EQ(canon("NOT (NOT (a))"), "NOT NOT a");
}

TEST(SqliteCanonical, ParenthesesThatDecideTheParseStay) {
  EXPECT_EQ(canon("(a + b) * c"), "(a + b) * c");
  EXPECT_EQ(canon("a - (b - c)"), "a - (b - c)");
  EXPECT_EQ(canon("a - (b + c)"), "a - (b + c)");
  EXPECT_EQ(canon("(a OR b) AND c"), "(a OR b) AND c");
  EXPECT_EQ(canon("NOT (a = b)"), "NOT a = b");  // NOT binds looser than =: the same parse
  EXPECT_EQ(canon("(NOT a) = b"), "(NOT a) = b");
  EXPECT_EQ(canon("a BETWEEN (b AND c) AND 1"), "a BETWEEN (b AND c) AND 1");
  EXPECT_EQ(canon("(a || b) COLLATE NOCASE"), "(a || b) COLLATE NOCASE");
  EXPECT_EQ(canon("-(a + b)"), "-(a + b)");
  EXPECT_EQ(canon("(a, b) = (1, 2)"), "(a, b) = (1, 2)");
  // A subquery keeps its parentheses: `IN ((SELECT ...))` is not `IN (SELECT ...)`.
  EXPECT_EQ(sq::canonical_sql("SELECT 1 WHERE 1 IN ((SELECT 1))"),
            "SELECT 1 WHERE 1 IN ((SELECT 1))");
  EXPECT_NE(canon("(a + b) * c"), canon("a + b * c"));
}

TEST(SqliteCanonical, NamesInAnyCaseAndQuotingAreOneName) {
  EXPECT_EQ(canon("PRICE > 0"), "price > 0");
  EXPECT_EQ(canon("\"Price\" > 0"), "price > 0");
  EXPECT_EQ(canon("[price] > 0"), "price > 0");
  EXPECT_EQ(canon("`PRICE` > 0"), "price > 0");
  // A keyword SQLite reads as a name where a name stands, written bare or quoted.
  EXPECT_EQ(canon("key > 0"), canon("\"key\" > 0"));
  EXPECT_EQ(canon("key > 0"), "\"key\" > 0");
  // Strings keep their case: 'A' is not 'a'.
  EXPECT_NE(canon("a = 'A'"), canon("a = 'a'"));
  // Non-ASCII letters: SQLite folds ASCII only.
  EXPECT_NE(canon("\"É\" = 1"), canon("\"é\" = 1"));
}

TEST(SqliteCanonical, ADoubleQuotedWordSqliteCannotResolveIsAString) {
  // In a CHECK (a complete scope), "open" names no column: SQLite reads the string 'open'.
  EXPECT_EQ(canon("a IN (\"open\", 'closed')"), "a IN ('open', 'closed')");
  EXPECT_NE(canon("a = \"Open\""), canon("a = \"open\""));
  // Where the scope is not complete (a trigger), such a word keeps its quotes and case.
  const std::set<std::string> none;
  EXPECT_EQ(sq::canonical_expression("a = \"Open\"", sq::NameScope{&none, false}), "a = \"Open\"");
}

TEST(SqliteCanonical, StringsWhereSqliteReadsANameAreNames) {
  const std::string a = sq::canonical_trigger(
      "CREATE TRIGGER tr AFTER INSERT ON 'T' BEGIN INSERT INTO 'Log'('Msg') VALUES ('x'); END");
  const std::string b = sq::canonical_trigger(
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log(msg) VALUES ('x'); END");
  EXPECT_EQ(a, b);
  EXPECT_EQ(sq::canonical_sql("SELECT a AS 'Total' FROM 't'"), "SELECT a AS total FROM t");
  EXPECT_EQ(canon("a COLLATE 'nocase'"), "a COLLATE NOCASE");
}

TEST(SqliteCanonical, SynonymsSqliteReadsAlike) {
  EXPECT_EQ(canon("a ISNULL"), "a IS NULL");
  EXPECT_EQ(canon("a NOTNULL"), "a IS NOT NULL");
  EXPECT_EQ(canon("a NOT NULL"), "a IS NOT NULL");
  EXPECT_EQ(canon("NOT NULL"), "NOT NULL");  // prefix NOT of the NULL literal
  EXPECT_EQ(canon("a IS NOT DISTINCT FROM b"), "a IS b");
  EXPECT_EQ(canon("a IS DISTINCT FROM b"), "a IS NOT b");
  EXPECT_EQ(canon("a == 1"), canon("a = 1"));
  EXPECT_EQ(canon("CAST(a AS VARCHAR(10))"), "CAST(a AS TEXT)");
  EXPECT_EQ(canon("CAST(a AS bigint)"), canon("CAST(a AS INTEGER)"));
  EXPECT_NE(canon("CAST(a AS TEXT)"), canon("CAST(a AS INTEGER)"));
  EXPECT_EQ(canon("a = 0x10"), "a = 16");
  EXPECT_EQ(canon("a = 1.50"), "a = 1.5");
  EXPECT_EQ(canon("a = 007"), "a = 7");
  EXPECT_EQ(canon("a = 1e2"), "a = 100.0");
  EXPECT_NE(canon("a = 1"), canon("a = 1.0"));  // an integer and a real
  EXPECT_NE(canon("a = 1"), canon("a = '1'"));
}

TEST(SqliteCanonical, TriggerHeadersSqliteReadsAlike) {
  const std::set<std::string> cols = sq::table_scope({"id", "n"});
  const sq::NameScope scope{&cols, false};
  const std::string base = sq::canonical_trigger(
      "CREATE TRIGGER tr BEFORE INSERT ON t BEGIN UPDATE t SET n = NEW.n + 1 WHERE id = NEW.id; "
      "END",
      scope);
  EXPECT_EQ(sq::canonical_trigger("create trigger if not exists TR insert on T for each row "
                                  "begin update T set N = (new.N + 1) where (ID = new.ID); end;",
                                  scope),
            base);
  EXPECT_EQ(base,
            "CREATE TRIGGER tr BEFORE INSERT ON t BEGIN UPDATE t SET n = new.n + 1 WHERE id = "
            "new.id; END");
  EXPECT_NE(sq::canonical_trigger(
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET n = NEW.n + 1 WHERE id = "
                "NEW.id; END",
                scope),
            base);
}

TEST(SqliteCanonical, TypeKeysFollowAffinity) {
  EXPECT_EQ(sq::affinity("INT"), "INTEGER");
  EXPECT_EQ(sq::affinity("unsigned big int"), "INTEGER");
  EXPECT_EQ(sq::affinity("FLOATING POINT"), "INTEGER");  // "INT" wins, as in SQLite
  EXPECT_EQ(sq::affinity("varchar(50)"), "TEXT");
  EXPECT_EQ(sq::affinity("CLOB"), "TEXT");
  EXPECT_EQ(sq::affinity(""), "BLOB");
  EXPECT_EQ(sq::affinity("blob"), "BLOB");
  EXPECT_EQ(sq::affinity("DOUBLE PRECISION"), "REAL");
  EXPECT_EQ(sq::affinity("datetime"), "NUMERIC");
  EXPECT_EQ(sq::affinity("decimal(10,5)"), "NUMERIC");
  auto key = [](const char* t) { return sq::type_key(sq::canonical_type(t), false, false); };
  EXPECT_EQ(key("INT"), key("INTEGER"));
  EXPECT_EQ(key("BIGINT"), key("integer"));
  EXPECT_EQ(key("VARCHAR(50)"), key("TEXT"));
  EXPECT_EQ(key("varchar(50)"), key("VARCHAR(255)"));
  EXPECT_EQ(key("REAL"), key("DOUBLE"));
  EXPECT_EQ(key("NUMERIC(10,2)"), key("numeric"));
  EXPECT_EQ(key("decimal(10,2)"), key("DECIMAL(12,4)"));
  EXPECT_NE(key("INTEGER"), key("TEXT"));
  EXPECT_NE(key("BOOLEAN"), key("DATETIME"));  // one affinity, but applications convert by name
  EXPECT_NE(key("DECIMAL"), key("NUMERIC"));
  EXPECT_NE(key(""), key("TEXT"));
  // The rowid alias and STRICT types.
  EXPECT_NE(sq::type_key("integer", false, true), sq::type_key("integer", false, false));
  EXPECT_EQ(sq::type_key("int", true, false), sq::type_key("integer", true, false));
  EXPECT_NE(sq::type_key("any", true, false), sq::type_key("any", false, false));
}
