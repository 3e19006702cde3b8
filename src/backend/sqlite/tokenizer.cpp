#include "backend/sqlite/tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

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

bool id_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool id_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

int line_at(std::string_view sql, std::size_t pos) {
  return 1 + static_cast<int>(std::count(sql.begin(), sql.begin() + static_cast<long>(pos), '\n'));
}

[[noreturn]] void fail_at(std::string_view sql, std::size_t pos, const std::string& msg) {
  throw sql_syntax_error(line_at(sql, pos), msg);
}

// Reads a quoted run starting at `i` (on the opening quote) whose closing quote doubles as
// its escape; returns the unquoted value and leaves `i` past the closing quote.
std::string read_quoted(std::string_view sql, std::size_t& i, char close, const char* what) {
  std::size_t start = i++;
  std::string value;
  while (true) {
    if (i >= sql.size()) fail_at(sql, start, fmt::format("unterminated {}", what));
    if (sql[i] == close) {
      if (i + 1 < sql.size() && sql[i + 1] == close) {
        value += close;
        i += 2;
        continue;
      }
      ++i;
      return value;
    }
    value += sql[i++];
  }
}

// The byte at k as unsigned, 0 past the end: lookahead needs no bounds checks.
unsigned char char_at(std::string_view sql, std::size_t k) {
  return k < sql.size() ? static_cast<unsigned char>(sql[k]) : 0;
}

// Skips a run of white space or one comment at i; false when i is on a token.
bool skip_space_or_comment(std::string_view sql, std::size_t& i) {
  unsigned char c = char_at(sql, i);
  if (std::isspace(c)) {
    ++i;
    return true;
  }
  if (c == '-' && char_at(sql, i + 1) == '-') {
    while (i < sql.size() && sql[i] != '\n') ++i;
    return true;
  }
  if (c == '/' && char_at(sql, i + 1) == '*') {
    std::size_t close = sql.find("*/", i + 2);
    // SQLite accepts one left open at the end
    i = close == std::string_view::npos ? sql.size() : close + 2;
    return true;
  }
  return false;
}

// A decimal, real or hexadecimal number; a letter right after it is an error, as in SQLite.
void read_number(std::string_view sql, std::size_t& i, std::size_t start) {
  auto at = [&](std::size_t k) { return char_at(sql, k); };
  if (at(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X') && std::isxdigit(at(i + 2))) {
    i += 2;
    while (std::isxdigit(at(i))) ++i;
  } else {
    while (std::isdigit(at(i))) ++i;
    if (at(i) == '.') {
      ++i;
      while (std::isdigit(at(i))) ++i;
    }
    if ((at(i) == 'e' || at(i) == 'E') &&
        (std::isdigit(at(i + 1)) ||
         ((at(i + 1) == '+' || at(i + 1) == '-') && std::isdigit(at(i + 2))))) {
      i += 2;
      while (std::isdigit(at(i))) ++i;
    }
  }
  if (id_char(at(i))) fail_at(sql, start, "unrecognized token after a number");
}

// The longest operator at i.
void read_operator(std::string_view sql, std::size_t& i) {
  static constexpr std::array<std::string_view, 10> kLong = {
      "->>", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"};
  std::string_view rest = sql.substr(i);
  std::size_t len = 0;
  for (auto op : kLong) {
    if (rest.substr(0, op.size()) == op) {
      len = op.size();
      break;
    }
  }
  if (len == 0) {
    const char c = sql[i];
    if (std::string_view("(),;.+-*/%<>=&|~").find(c) == std::string_view::npos) {
      fail_at(sql, i, fmt::format("unexpected character '{}'", c));
    }
    len = 1;
  }
  i += len;
}

void read_word(std::string_view sql, std::size_t& i, Token& tok) {
  while (id_char(char_at(sql, i))) ++i;
  std::string_view word = sql.substr(tok.offset, i - tok.offset);
  if (is_keyword(word)) {
    tok.kind = TokenKind::keyword;
    tok.value = upper(word);
  } else {
    tok.kind = TokenKind::identifier;
    tok.value = std::string(word);
  }
}

// Sets the token's kind, and its value where the text is not the value, reading from
// tok.offset (== i) to past its end.
void read_token(std::string_view sql, std::size_t& i, Token& tok) {
  auto at = [&](std::size_t k) { return char_at(sql, k); };
  unsigned char c = at(i);
  if (c == '\'') {
    tok.kind = TokenKind::string;
    tok.value = read_quoted(sql, i, '\'', "string literal");
  } else if (c == '"' || c == '`') {
    tok.kind = TokenKind::quoted_identifier;
    tok.value = read_quoted(sql, i, static_cast<char>(c), "quoted identifier");
  } else if (c == '[') {
    std::size_t close = sql.find(']', i + 1);
    if (close == std::string_view::npos) fail_at(sql, i, "unterminated [identifier]");
    tok.kind = TokenKind::quoted_identifier;
    tok.value = std::string(sql.substr(i + 1, close - i - 1));
    i = close + 1;
  } else if ((c == 'x' || c == 'X') && at(i + 1) == '\'') {
    ++i;
    tok.kind = TokenKind::blob;
    tok.value = read_quoted(sql, i, '\'', "blob literal");
    bool hex = std::all_of(tok.value.begin(), tok.value.end(),
                           [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); });
    if (!hex || tok.value.size() % 2 != 0) fail_at(sql, tok.offset, "malformed blob literal");
  } else if (std::isdigit(c) || (c == '.' && std::isdigit(at(i + 1)))) {
    tok.kind = TokenKind::number;
    read_number(sql, i, tok.offset);
  } else if (id_start(c)) {
    read_word(sql, i, tok);
  } else if (c == '?') {
    tok.kind = TokenKind::variable;
    ++i;
    while (std::isdigit(at(i))) ++i;
  } else if (c == ':' || c == '@' || c == '$') {
    tok.kind = TokenKind::variable;
    ++i;
    if (!id_char(at(i))) fail_at(sql, tok.offset, fmt::format("unrecognized token '{}'", char(c)));
    while (id_char(at(i))) ++i;
  } else {
    tok.kind = TokenKind::op;
    read_operator(sql, i);
  }
}

}  // namespace

bool is_keyword(std::string_view word) {
  std::string u = upper(word);
  return std::binary_search(kKeywords.begin(), kKeywords.end(), std::string_view(u));
}

Tokens tokenize(std::string_view sql) {
  Tokens out;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (skip_space_or_comment(sql, i)) continue;
    Token tok;
    tok.offset = i;
    read_token(sql, i, tok);
    tok.text = std::string(sql.substr(tok.offset, i - tok.offset));
    if (tok.kind == TokenKind::number || tok.kind == TokenKind::variable ||
        tok.kind == TokenKind::op) {
      tok.value = tok.text;
    }
    out.push_back(std::move(tok));
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
