#include "backend/sqlite/tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "sql_lexer.hpp"
#include "strings.hpp"

namespace migtest::detail::sqlite {

namespace {

// sqlite3_keyword_name() of SQLite 3.40, sorted for binary search. TRUE, FALSE, ROWID,
// STRICT and STORED are not keywords: SQLite reads them as identifiers.
constexpr std::array<std::string_view, 147> kKeywords = {
    "ABORT",
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ATTACH",
    "AUTOINCREMENT",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONFLICT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "DATABASE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DETACH",
    "DISTINCT",
    "DO",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXCLUDE",
    "EXCLUSIVE",
    "EXISTS",
    "EXPLAIN",
    "FAIL",
    "FILTER",
    "FIRST",
    "FOLLOWING",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "GENERATED",
    "GLOB",
    "GROUP",
    "GROUPS",
    "HAVING",
    "IF",
    "IGNORE",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INDEXED",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INSTEAD",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "KEY",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NATURAL",
    "NO",
    "NOT",
    "NOTHING",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OTHERS",
    "OUTER",
    "OVER",
    "PARTITION",
    "PLAN",
    "PRAGMA",
    "PRECEDING",
    "PRIMARY",
    "QUERY",
    "RAISE",
    "RANGE",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "ROW",
    "ROWS",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "TEMP",
    "TEMPORARY",
    "THEN",
    "TIES",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "UNBOUNDED",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VACUUM",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
};

int line_at(std::string_view sql, std::size_t pos) {
  return 1 + static_cast<int>(std::count(sql.begin(), sql.begin() + static_cast<long>(pos), '\n'));
}

[[noreturn]] void fail_at(std::string_view sql, std::size_t pos, const std::string& msg) {
  throw sql_syntax_error(line_at(sql, pos), msg);
}

// What SQLite says of a token it cannot read; a block comment left open at the end is fine
// (SQLite accepts it), so comments never get here.
[[noreturn]] void refuse(std::string_view sql, const sql::Token& t) {
  if (t.flaw == sql::Flaw::unterminated) {
    const bool bracket = t.kind == sql::TokenKind::quoted_identifier && t.text.front() == '[';
    fail_at(sql, t.offset,
            bracket ? "unterminated [identifier]"
                    : fmt::format("unterminated {}", sql::describe(t.kind)));
  }
  if (t.kind == sql::TokenKind::number) fail_at(sql, t.offset, "unrecognized token after a number");
  if (t.kind == sql::TokenKind::blob) fail_at(sql, t.offset, "malformed blob literal");
  fail_at(sql, t.offset, fmt::format("unrecognized token '{}'", t.text));
}

// SQLite's operators; the lexer reads any other character as one too.
bool sqlite_operator(std::string_view op) {
  return op.size() > 1 || std::string_view("(),;.+-*/%<>=&|~").find(op) != std::string_view::npos;
}

// The lexer's token as the CREATE readers want it: keywords told from identifiers, values
// unquoted.
Token sqlite_token(std::string_view sql, const sql::Token& t) {
  if (t.flaw != sql::Flaw::none) refuse(sql, t);
  Token tok;
  tok.text = std::string(t.text);
  tok.offset = t.offset;
  tok.value = tok.text;
  switch (t.kind) {
    case sql::TokenKind::word:
      tok.kind = is_keyword(t.text) ? TokenKind::keyword : TokenKind::identifier;
      if (tok.kind == TokenKind::keyword) tok.value = upper(t.text);
      break;
    case sql::TokenKind::quoted_identifier:
      tok.kind = TokenKind::quoted_identifier;
      tok.value = sql::unquoted(t);
      break;
    case sql::TokenKind::string:
      tok.kind = TokenKind::string;
      tok.value = sql::unquoted(t);
      break;
    case sql::TokenKind::blob:
      tok.kind = TokenKind::blob;
      tok.value = sql::unquoted(t);
      break;
    case sql::TokenKind::number:
      tok.kind = TokenKind::number;
      break;
    case sql::TokenKind::parameter:
      tok.kind = TokenKind::variable;
      break;
    default:  // punct; SQLite's lexer never makes the others
      if (!sqlite_operator(t.text)) {
        fail_at(sql, t.offset, fmt::format("unexpected character '{}'", t.text));
      }
      tok.kind = TokenKind::op;
  }
  return tok;
}

}  // namespace

bool is_keyword(std::string_view word) {
  // Upper-cased on the stack: every word of every CREATE text a reflection reads comes here.
  char u[24];
  if (word.size() > sizeof u) return false;  // longer than any keyword
  for (std::size_t i = 0; i < word.size(); ++i)
    u[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])));
  return std::binary_search(kKeywords.begin(), kKeywords.end(), std::string_view(u, word.size()));
}

Tokens tokenize(std::string_view sql) {
  const std::vector<sql::Token> lexed = sql::lex(sql, sql::Dialect::sqlite);
  Tokens out;
  out.reserve(lexed.size());
  for (const sql::Token& t : lexed) {
    if (!t.is_trivia()) out.push_back(sqlite_token(sql, t));
  }
  return out;
}

std::size_t matching_paren(const Tokens& t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i].is_op("("))
      ++depth;
    else if (t[i].is_op(")") && --depth == 0)
      return i;
  }
  throw sql_syntax_error(0, "unbalanced parentheses");
}

std::vector<Span> split_top_level(const Tokens& t, Span span) {
  std::vector<Span> out;
  std::size_t start = span.begin;
  while (true) {
    std::size_t comma =
        find_top_level(t, Span{start, span.end}, [](const Token& k) { return k.is_op(","); });
    out.push_back(Span{start, comma});
    if (comma == span.end) break;
    start = comma + 1;
  }
  return out;
}

namespace {

// A cursor over tokens that throws a sql_syntax_error naming what it expected.
struct Reader {
  const Tokens& t;
  std::size_t i = 0;
  std::size_t end;
  const char* what;  // "CREATE TABLE", for messages

  bool done() const { return i >= end; }
  const Token* peek(std::size_t ahead = 0) const {
    return i + ahead < end ? &t[i + ahead] : nullptr;
  }
  bool at_keyword(std::string_view kw, std::size_t ahead = 0) const {
    const Token* k = peek(ahead);
    return k && k->is_keyword(kw);
  }
  bool at_op(std::string_view op) const {
    const Token* k = peek();
    return k && k->is_op(op);
  }
  bool at_word(std::string_view word_upper) const {  // an identifier SQLite does not reserve
    const Token* k = peek();
    if (!k || k->kind != TokenKind::identifier) return false;
    return upper(k->text) == word_upper;
  }
  [[noreturn]] void fail(const std::string& expected) const {
    const Token* k = peek();
    throw sql_syntax_error(0, fmt::format("{}: expected {} {}", what, expected,
                                          k ? fmt::format("near '{}'", k->text) : "at the end"));
  }
  void expect_keyword(std::string_view kw) {
    if (!at_keyword(kw)) fail(std::string(kw));
    ++i;
  }
  void expect_op(std::string_view op) {
    if (!at_op(op)) fail(fmt::format("'{}'", op));
    ++i;
  }
  std::string name() {
    const Token* k = peek();
    if (!k || !k->is_name()) fail("a name");
    ++i;
    return k->name();
  }
  /// `[schema.]name`: the name.
  std::string qualified_name() {
    std::string n = name();
    if (at_op(".")) {
      ++i;
      n = name();
    }
    return n;
  }
  /// The span inside the parentheses starting here; moves past the ")".
  Span parenthesized() {
    if (!at_op("(")) fail("'('");
    std::size_t close = matching_paren(t, i);
    if (close >= end) fail("')'");
    Span s{i + 1, close};
    i = close + 1;
    return s;
  }
  void skip_conflict_clause() {
    if (at_keyword("ON") && at_keyword("CONFLICT", 1)) i += 3;
  }
};

std::vector<std::string> column_names(const Tokens& t, Span list, bool* autoincrement = nullptr) {
  std::vector<std::string> out;
  for (Span term : split_top_level(t, list)) {
    if (term.empty()) continue;
    out.push_back(t[term.begin].name());
    for (std::size_t k = term.begin; k < term.end; ++k) {
      if (autoincrement && t[k].is_keyword("AUTOINCREMENT")) *autoincrement = true;
    }
  }
  return out;
}

std::string referential_action(Reader& r) {
  if (r.at_keyword("SET")) {
    ++r.i;
    if (r.at_keyword("NULL")) {
      ++r.i;
      return "SET NULL";
    }
    r.expect_keyword("DEFAULT");
    return "SET DEFAULT";
  }
  if (r.at_keyword("CASCADE")) {
    ++r.i;
    return "CASCADE";
  }
  if (r.at_keyword("RESTRICT")) {
    ++r.i;
    return "RESTRICT";
  }
  r.expect_keyword("NO");
  r.expect_keyword("ACTION");
  return "NO ACTION";
}

// From REFERENCES to the end of the foreign-key clause.
void read_references(Reader& r, ParsedForeignKey& fk) {
  r.expect_keyword("REFERENCES");
  fk.referred_table = r.name();
  if (r.at_op("(")) fk.referred_columns = column_names(r.t, r.parenthesized());
  while (!r.done()) {
    if (r.at_keyword("ON") && (r.at_keyword("DELETE", 1) || r.at_keyword("UPDATE", 1))) {
      bool del = r.at_keyword("DELETE", 1);
      r.i += 2;
      (del ? fk.on_delete : fk.on_update) = referential_action(r);
    } else if (r.at_keyword("MATCH")) {
      r.i += 2;
    } else if (r.at_keyword("NOT") && r.at_keyword("DEFERRABLE", 1)) {
      r.i += 2;
      fk.deferrable = false;
      fk.initially_deferred = false;
      if (r.at_keyword("INITIALLY")) r.i += 2;  // SQLite: NOT DEFERRABLE is never deferred
    } else if (r.at_keyword("DEFERRABLE")) {
      ++r.i;
      fk.deferrable = true;
      fk.initially_deferred = false;
      if (r.at_keyword("INITIALLY")) {
        ++r.i;
        fk.initially_deferred = r.at_keyword("DEFERRED");
        ++r.i;
      }
    } else {
      break;
    }
  }
}

bool starts_column_constraint(const Token& k) {
  if (k.kind != TokenKind::keyword) return false;
  static constexpr std::array<std::string_view, 11> kStarts = {
      "CONSTRAINT", "PRIMARY", "NOT",        "NULL",      "UNIQUE", "CHECK",
      "DEFAULT",    "COLLATE", "REFERENCES", "GENERATED", "AS"};
  return std::find(kStarts.begin(), kStarts.end(), k.value) != kStarts.end();
}

// PRIMARY KEY [ASC|DESC] [ON CONFLICT ...] [AUTOINCREMENT] after a column, at PRIMARY.
ParsedKey read_column_primary_key(Reader& r, const std::string& name, const std::string& column) {
  r.i += 2;
  ParsedKey k{name, {column}, false};
  while (r.at_keyword("ASC") || r.at_keyword("DESC") || r.at_keyword("AUTOINCREMENT") ||
         (r.at_keyword("ON") && r.at_keyword("CONFLICT", 1))) {
    if (r.at_keyword("AUTOINCREMENT")) k.autoincrement = true;
    if (r.at_keyword("ON"))
      r.skip_conflict_clause();
    else
      ++r.i;
  }
  return k;
}

// DEFAULT's value, after DEFAULT: a parenthesized expression, or one (signed) literal.
Span read_default(Reader& r) {
  std::size_t b = r.i;
  if (r.at_op("(")) {
    r.parenthesized();
  } else {
    if (r.at_op("+") || r.at_op("-")) ++r.i;
    if (r.done()) r.fail("a default value");
    ++r.i;
  }
  return Span{b, r.i};
}

// [GENERATED ALWAYS] AS (expression) [STORED|VIRTUAL].
void read_generated(Reader& r, ParsedColumn& c) {
  if (r.at_keyword("GENERATED")) {
    ++r.i;
    if (!r.at_word("ALWAYS") && !r.at_keyword("ALWAYS")) r.fail("ALWAYS");
    ++r.i;
  }
  r.expect_keyword("AS");
  c.generated = r.parenthesized();
  if (r.at_word("STORED")) {
    c.generated_stored = true;
    ++r.i;
  } else if (r.at_keyword("VIRTUAL")) {
    ++r.i;
  }
}

// One column constraint at r, named `pending` (empty: unnamed); false, having read nothing,
// when r is on something this reader has no use for.
bool read_column_constraint(Reader& r, ParsedTable& out, ParsedColumn& c,
                            const std::string& pending) {
  if (r.at_keyword("PRIMARY")) {
    out.primary_key = read_column_primary_key(r, pending, c.name);
  } else if (r.at_keyword("NOT") && r.at_keyword("NULL", 1)) {
    r.i += 2;
    c.not_null = true;
    r.skip_conflict_clause();
  } else if (r.at_keyword("NULL")) {
    ++r.i;
    r.skip_conflict_clause();
  } else if (r.at_keyword("UNIQUE")) {
    ++r.i;
    out.uniques.push_back(ParsedKey{pending, {c.name}, false});
    r.skip_conflict_clause();
  } else if (r.at_keyword("CHECK")) {
    ++r.i;
    out.checks.push_back(ParsedCheck{pending, r.parenthesized()});
  } else if (r.at_keyword("DEFAULT")) {
    ++r.i;
    c.default_value = read_default(r);
  } else if (r.at_keyword("COLLATE")) {
    ++r.i;
    c.collation = r.name();
  } else if (r.at_keyword("REFERENCES")) {
    ParsedForeignKey fk;
    fk.name = pending;
    fk.columns = {c.name};
    read_references(r, fk);
    out.foreign_keys.push_back(std::move(fk));
  } else if (r.at_keyword("GENERATED") || r.at_keyword("AS")) {
    read_generated(r, c);
  } else {
    return false;
  }
  return true;
}

void read_column(ParsedTable& out, Span el) {
  const Tokens& t = out.tokens;
  Reader r{t, el.begin, el.end, "CREATE TABLE"};
  ParsedColumn c;
  c.name = r.name();
  std::size_t type_begin = r.i;
  while (!r.done() && !starts_column_constraint(t[r.i])) {
    if (r.at_op("("))
      r.parenthesized();
    else
      ++r.i;
  }
  c.type = Span{type_begin, r.i};
  std::string pending;  // CONSTRAINT name, for the constraint that follows
  while (!r.done()) {
    if (r.at_keyword("CONSTRAINT")) {
      ++r.i;
      pending = r.name();
      continue;
    }
    if (!read_column_constraint(r, out, c, pending)) {
      ++r.i;  // something this reader has no use for; SQLite accepted the statement
      continue;
    }
    pending.clear();
  }
  out.columns.push_back(std::move(c));
}

void read_table_constraints(ParsedTable& out, Span el) {
  const Tokens& t = out.tokens;
  Reader r{t, el.begin, el.end, "CREATE TABLE"};
  std::string pending;
  while (!r.done()) {
    if (r.at_keyword("CONSTRAINT")) {
      ++r.i;
      pending = r.name();
      continue;
    }
    if (r.at_keyword("PRIMARY")) {
      r.i += 2;
      ParsedKey k{pending, {}, false};
      k.columns = column_names(t, r.parenthesized(), &k.autoincrement);
      r.skip_conflict_clause();
      out.primary_key = k;
    } else if (r.at_keyword("UNIQUE")) {
      ++r.i;
      out.uniques.push_back(ParsedKey{pending, column_names(t, r.parenthesized()), false});
      r.skip_conflict_clause();
    } else if (r.at_keyword("CHECK")) {
      ++r.i;
      out.checks.push_back(ParsedCheck{pending, r.parenthesized()});
    } else if (r.at_keyword("FOREIGN")) {
      r.i += 2;
      ParsedForeignKey fk;
      fk.name = pending;
      fk.columns = column_names(t, r.parenthesized());
      read_references(r, fk);
      out.foreign_keys.push_back(std::move(fk));
    } else {
      ++r.i;
      continue;
    }
    pending.clear();
  }
}

std::size_t without_trailing_semicolons(const Tokens& t, std::size_t end) {
  while (end > 0 && t[end - 1].is_op(";")) --end;
  return end;
}

}  // namespace

ParsedTable parse_create_table(std::string_view sql) {
  ParsedTable out;
  out.tokens = tokenize(sql);
  const Tokens& t = out.tokens;
  Reader r{t, 0, without_trailing_semicolons(t, t.size()), "CREATE TABLE"};
  r.expect_keyword("CREATE");
  if (r.at_keyword("TEMP") || r.at_keyword("TEMPORARY")) ++r.i;
  r.expect_keyword("TABLE");
  if (r.at_keyword("IF")) r.i += 3;
  out.name = r.qualified_name();
  if (r.at_keyword("AS")) {
    out.as_select = true;
    return out;
  }
  Span body = r.parenthesized();
  for (; !r.done(); ++r.i) {
    if (r.at_keyword("WITHOUT")) {
      ++r.i;
      out.without_rowid = true;  // only ROWID may follow
    } else if (r.at_word("STRICT")) {
      out.strict = true;
    }
  }
  for (Span el : split_top_level(t, body)) {
    if (el.empty()) throw sql_syntax_error(0, "CREATE TABLE: empty column definition");
    const Token& first = t[el.begin];
    bool constraint =
        first.kind == TokenKind::keyword &&
        (first.value == "CONSTRAINT" || first.value == "PRIMARY" || first.value == "UNIQUE" ||
         first.value == "CHECK" || first.value == "FOREIGN");
    if (constraint)
      read_table_constraints(out, el);
    else
      read_column(out, el);
  }
  return out;
}

ParsedIndexTerm parse_index_term(const Tokens& t, Span term) {
  ParsedIndexTerm out;
  std::size_t end = term.end;
  if (end > term.begin && (t[end - 1].is_keyword("ASC") || t[end - 1].is_keyword("DESC"))) {
    out.desc = t[end - 1].is_keyword("DESC");
    --end;
  }
  if (end >= term.begin + 2 && t[end - 2].is_keyword("COLLATE") && t[end - 1].is_name()) {
    out.collation = t[end - 1].name();
    end -= 2;
  }
  out.expression = Span{term.begin, end};
  return out;
}

ParsedIndex parse_create_index(std::string_view sql) {
  ParsedIndex out;
  out.tokens = tokenize(sql);
  const Tokens& t = out.tokens;
  Reader r{t, 0, without_trailing_semicolons(t, t.size()), "CREATE INDEX"};
  r.expect_keyword("CREATE");
  if (r.at_keyword("UNIQUE")) {
    out.unique = true;
    ++r.i;
  }
  r.expect_keyword("INDEX");
  if (r.at_keyword("IF")) r.i += 3;
  out.name = r.qualified_name();
  r.expect_keyword("ON");
  out.table = r.name();
  Span list = r.parenthesized();
  for (Span term : split_top_level(t, list)) {
    if (term.empty()) throw sql_syntax_error(0, "CREATE INDEX: empty indexed column");
    out.terms.push_back(parse_index_term(t, term));
  }
  if (r.at_keyword("WHERE")) out.where = Span{r.i + 1, r.end};
  return out;
}

Span parse_create_view(std::string_view sql, Tokens& tokens) {
  tokens = tokenize(sql);
  Reader r{tokens, 0, without_trailing_semicolons(tokens, tokens.size()), "CREATE VIEW"};
  r.expect_keyword("CREATE");
  if (r.at_keyword("TEMP") || r.at_keyword("TEMPORARY")) ++r.i;
  r.expect_keyword("VIEW");
  if (r.at_keyword("IF")) r.i += 3;
  r.qualified_name();
  if (r.at_op("(")) r.parenthesized();
  r.expect_keyword("AS");
  return Span{r.i, r.end};
}

}  // namespace migtest::detail::sqlite
