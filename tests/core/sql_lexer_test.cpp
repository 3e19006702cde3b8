// The SQL lexer: each token kind on each dialect, where the dialects differ, positions and
// lines, and the flaws a reader refuses (unterminated quotes and comments name their line).
#include "sql_lexer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/error.hpp"

namespace migtest::detail::sql {
namespace {

using ::testing::HasSubstr;

// "kind:text" for each token but white space: a whole lexing in one comparable value.
std::vector<std::string> kinds(std::string_view sql, Dialect dialect) {
  std::vector<std::string> out;
  for (const Token& t : lex(sql, dialect)) {
    if (t.kind == TokenKind::whitespace) continue;
    out.push_back(std::string(describe(t.kind)) + ":" + std::string(t.text));
  }
  return out;
}

using Kinds = std::vector<std::string>;

class BothDialects : public ::testing::TestWithParam<Dialect> {};

TEST_P(BothDialects, ReadsTheTokensTheyShare) {
  EXPECT_EQ(
      kinds("SELECT \"a b\", 'it''s', 42, 1.5e3, .5, 0x1F FROM t_1 -- done", GetParam()),
      (Kinds{"word:SELECT", "quoted identifier:\"a b\"", "operator:,", "string literal:'it''s'",
             "operator:,", "number:42", "operator:,", "number:1.5e3", "operator:,", "number:.5",
             "operator:,", "number:0x1F", "word:FROM", "word:t_1", "/* comment:-- done"}));
  EXPECT_EQ(
      kinds("a<=b||c /* x */", GetParam()),
      (Kinds{"word:a", "operator:<=", "word:b", "operator:||", "word:c", "/* comment:/* x */"}));
}

TEST_P(BothDialects, KeepsEveryByteInOneToken) {
  const std::string sql = "CREATE TABLE \"t\" (a int); -- c\n/* d */ SELECT 'x'";
  std::string joined;
  for (const Token& t : lex(sql, GetParam())) {
    EXPECT_EQ(t.offset, joined.size());
    joined += t.text;
  }
  EXPECT_EQ(joined, sql);
}

TEST_P(BothDialects, CountsLinesFromTheFirstLineGiven) {
  std::vector<Token> tokens = lex("a\n'two\nlines'\n\nb", GetParam(), 10);
  std::vector<int> lines;
  for (const Token& t : tokens) {
    if (!t.is_trivia()) lines.push_back(t.line);
  }
  EXPECT_EQ(lines, (std::vector<int>{10, 11, 14}));
}

TEST_P(BothDialects, MarksMalformedNumbers) {
  std::vector<Token> tokens = lex("1abc", GetParam());
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::number);
  EXPECT_EQ(tokens[0].flaw, Flaw::malformed);
}

TEST_P(BothDialects, UnterminatedQuotesAndCommentsNameTheLineTheyOpenedOn) {
  struct Case {
    std::string sql;
    int line;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"SELECT 1;\nSELECT 'oops;\nSELECT 2;", 2,
            "unterminated string literal (opened with ' on this line)"},
           {"SELECT 1;\n\nSELECT \"col;", 3,
            "unterminated quoted identifier (opened with \" on this line)"},
           {"SELECT 1;\n/* never\nclosed", 2, "unterminated /* comment (opened on this line)"},
       }) {
    try {
      lex_checked(c.sql, GetParam(), "up.sql");
      ADD_FAILURE() << c.sql;
    } catch (const parse_error& e) {
      EXPECT_EQ(e.file(), "up.sql");
      EXPECT_EQ(e.line(), c.line) << c.sql;
      EXPECT_THAT(e.what(), HasSubstr(c.message));
    }
  }
}

TEST_P(BothDialects, UnquotesStringsAndIdentifiers) {
  std::vector<Token> t = lex("'it''s' \"say \"\"hi\"\"\"", GetParam());
  EXPECT_EQ(unquoted(t[0]), "it's");
  EXPECT_EQ(unquoted(t[2]), "say \"hi\"");
}

TEST_P(BothDialects, FindsTheClosingParenthesisPastQuotesAndComments) {
  const std::string sql = "f(a, ')', \")\", (b) /* ) */) + 1";
  EXPECT_EQ(closing_paren(sql, 1, GetParam()), sql.rfind(')'));
  EXPECT_EQ(closing_paren(sql, sql.find("(b"), GetParam()), sql.find("(b") + 2);
  EXPECT_EQ(closing_paren("f(a, 'x)'", 1, GetParam()), std::string_view::npos);
}

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& param) {
  return param.param == Dialect::sqlite ? "sqlite" : "postgresql";
}

INSTANTIATE_TEST_SUITE_P(Lexer, BothDialects,
                         ::testing::Values(Dialect::sqlite, Dialect::postgresql), dialect_name);

TEST(PostgresLexer, ReadsDollarQuotesEStringsAndParameters) {
  EXPECT_EQ(
      kinds("$$a;b$$ $fn$ $$ 'x' $fn$ E'it\\'s' $1 x::int", Dialect::postgresql),
      (Kinds{"dollar-quoted string:$$a;b$$", "dollar-quoted string:$fn$ $$ 'x' $fn$",
             "string literal:E'it\\'s'", "parameter:$1", "word:x", "operator:::", "word:int"}));
  std::vector<Token> t = lex("E'it\\'s'", Dialect::postgresql);
  EXPECT_EQ(unquoted(t[0]), "it's");
}

TEST(PostgresLexer, ADollarAfterAWordCharacterBelongsToTheWord) {
  EXPECT_EQ(kinds("a$b$ c", Dialect::postgresql), (Kinds{"word:a$b$", "word:c"}));
}

TEST(PostgresLexer, NestsBlockComments) {
  EXPECT_EQ(kinds("/* a /* b */ c */ d", Dialect::postgresql),
            (Kinds{"/* comment:/* a /* b */ c */", "word:d"}));
}

TEST(PostgresLexer, HasNoBracketsBackticksOrBlobs) {
  EXPECT_EQ(kinds("[a] x'00'", Dialect::postgresql),
            (Kinds{"operator:[", "word:a", "operator:]", "word:x", "string literal:'00'"}));
}

TEST(PostgresLexer, UnterminatedDollarQuoteNamesItsTag) {
  try {
    lex_checked("SELECT 1;\nCREATE FUNCTION f() AS $fn$ BEGIN", Dialect::postgresql, "up.sql");
    ADD_FAILURE();
  } catch (const parse_error& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_THAT(e.what(),
                HasSubstr("unterminated dollar-quoted string (opened with $fn$ on this line)"));
  }
}

TEST(PostgresLexer, ClosingParenthesisSkipsEStringsAndDollarQuotes) {
  const std::string sql = "(E'\\')' || $$)$$)";
  EXPECT_EQ(closing_paren(sql, 0, Dialect::postgresql), sql.size() - 1);
}

TEST(PostgresLexer, AnEStringEndsOnlyAtAnUnescapedQuote) {
  std::vector<Token> t = lex("E'\\';", Dialect::postgresql);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].flaw, Flaw::unterminated);
}

TEST(SqliteLexer, ReadsBracketsBackticksBlobsAndParameters) {
  EXPECT_EQ(kinds("[a b] `c``d` x'00FF' ? ?2 :n @n $n", Dialect::sqlite),
            (Kinds{"quoted identifier:[a b]", "quoted identifier:`c``d`", "blob literal:x'00FF'",
                   "parameter:?", "parameter:?2", "parameter::n", "parameter:@n", "parameter:$n"}));
  std::vector<Token> t = lex("[a b] `c``d` x'00FF'", Dialect::sqlite);
  EXPECT_EQ(unquoted(t[0]), "a b");
  EXPECT_EQ(unquoted(t[2]), "c`d");
  EXPECT_EQ(unquoted(t[4]), "00FF");
}

TEST(SqliteLexer, HasNoDollarQuotesOrEStringsAndDoesNotNestComments) {
  EXPECT_EQ(kinds("E'a\\' /* a /* b */ c", Dialect::sqlite),
            (Kinds{"word:E", "string literal:'a\\'", "/* comment:/* a /* b */", "word:c"}));
}

TEST(SqliteLexer, MarksMalformedBlobsAndNamelessParameters) {
  for (std::string sql : {"x'0'", "x'zz'", ":", "@ "}) {
    std::vector<Token> t = lex(sql, Dialect::sqlite);
    EXPECT_EQ(t[0].flaw, Flaw::malformed) << sql;
  }
}

TEST(SqliteLexer, UnterminatedBracketAndBacktickNameTheirLine) {
  for (std::string sql : {"SELECT 1;\nSELECT [col;", "SELECT 1;\nSELECT `col;"}) {
    try {
      lex_checked(sql, Dialect::sqlite, "up.sql");
      ADD_FAILURE() << sql;
    } catch (const parse_error& e) {
      EXPECT_EQ(e.line(), 2);
      EXPECT_THAT(e.what(), HasSubstr("unterminated quoted identifier (opened with "));
    }
  }
}

}  // namespace
}  // namespace migtest::detail::sql
