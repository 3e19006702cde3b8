#include "sql_lexer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "migtest/error.hpp"
#include "strings.hpp"

namespace migtest::detail::sql {

namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Operators longer than one character, longest first. Neither list holds "--" or "/*": those
// start comments wherever they appear.
constexpr std::array<std::string_view, 10> kSqliteOperators = {
    "->>", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"};
constexpr std::array<std::string_view, 16> kPostgresOperators = {
    "->>", "#>>", "::", "||", "<=", ">=", "!=", "<>",
    "<<",  ">>",  "->", "#>", "@>", "<@", "=>", ":="};

}  // namespace

bool word_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}

bool word_char(char c) { return word_start(c) || digit(c) || c == '$'; }

bool Token::is_word(std::string_view upper_case) const {
  return kind == TokenKind::word && iequals(text, upper_case);
}

char Lexer::peek(std::size_t ahead) const {
  return at_ + ahead < sql_.size() ? sql_[at_ + ahead] : '\0';
}

void Lexer::advance(std::size_t count) {
  for (std::size_t end = std::min(at_ + count, sql_.size()); at_ < end; ++at_) {
    if (sql_[at_] == '\n') ++line_;
  }
}

void Lexer::skip_to(std::size_t offset, int line) {
  at_ = std::min(offset, sql_.size());
  line_ = line;
}

Token Lexer::next() {
  Token t;
  t.offset = at_;
  t.line = line_;
  if (done()) return t;
  const char c = peek();
  const bool pg = dialect_ == Dialect::postgresql;
  if (space(c)) {
    t.kind = TokenKind::whitespace;
    while (!done() && space(peek())) advance(1);
  } else if (c == '-' && peek(1) == '-') {
    t.kind = TokenKind::comment;
    std::size_t eol = sql_.find('\n', at_);
    at_ = eol == std::string_view::npos ? sql_.size() : eol;
  } else if (c == '/' && peek(1) == '*') {
    block_comment(t);
  } else if (c == '\'') {
    quoted('\'', false, TokenKind::string, t);
  } else if (pg && (c == 'E' || c == 'e') && peek(1) == '\'') {
    advance(1);  // E'..': backslash escapes, so \' does not end the string
    quoted('\'', true, TokenKind::string, t);
  } else if (c == '"' || (!pg && c == '`')) {
    quoted(c, false, TokenKind::quoted_identifier, t);
  } else if (!pg && c == '[') {
    bracketed(t);
  } else if (!pg && (c == 'x' || c == 'X') && peek(1) == '\'') {
    advance(1);
    quoted('\'', false, TokenKind::blob, t);
    blob_digits(t);
  } else if (pg && c == '$' && dollar_quote(t)) {
  } else if (pg && c == '$' && digit(peek(1))) {
    t.kind = TokenKind::parameter;
    advance(1);
    while (digit(peek())) advance(1);
  } else if (!pg && (c == '?' || c == ':' || c == '@' || c == '$')) {
    sqlite_parameter(t);
  } else if (digit(c) || (c == '.' && digit(peek(1)))) {
    number(t);
  } else if (word_start(c)) {
    word(t);
  } else {
    punct(t);
  }
  t.text = sql_.substr(t.offset, at_ - t.offset);
  return t;
}

// Quotes double as their own escape ('it''s'); with `backslash`, \x is x too.
void Lexer::quoted(char close, bool backslash, TokenKind kind, Token& t) {
  t.kind = kind;
  advance(1);
  while (!done()) {
    const char c = peek();
    if (backslash && c == '\\') {
      advance(2);
    } else if (c == close && peek(1) == close) {
      advance(2);
    } else if (c == close) {
      advance(1);
      return;
    } else {
      advance(1);
    }
  }
  t.flaw = Flaw::unterminated;
}

void Lexer::bracketed(Token& t) {
  t.kind = TokenKind::quoted_identifier;
  std::size_t close = sql_.find(']', at_);
  if (close == std::string_view::npos) t.flaw = Flaw::unterminated;
  advance(close == std::string_view::npos ? sql_.size() - at_ : close + 1 - at_);
}

// A blob holds whole bytes in hex: x'0f', not x'f' or x'zz'.
void Lexer::blob_digits(Token& t) {
  if (t.flaw != Flaw::none) return;
  std::string_view digits = sql_.substr(t.offset + 2, at_ - t.offset - 3);
  bool hex = std::all_of(digits.begin(), digits.end(), hex_digit);
  if (!hex || digits.size() % 2 != 0) t.flaw = Flaw::malformed;
}

// PostgreSQL nests block comments; SQLite ends one at the first */.
void Lexer::block_comment(Token& t) {
  t.kind = TokenKind::comment;
  int depth = 0;
  while (!done()) {
    if (peek() == '/' && peek(1) == '*' && (depth == 0 || dialect_ == Dialect::postgresql)) {
      ++depth;
      advance(2);
    } else if (peek() == '*' && peek(1) == '/') {
      advance(2);
      if (--depth == 0) return;
    } else {
      advance(1);
    }
  }
  t.flaw = Flaw::unterminated;
}

// $tag$ ... $tag$, the tag empty or a word without '$'. False (nothing read) for a '$' that
// opens no tag, and for one right after a word character, where it belongs to that word.
bool Lexer::dollar_quote(Token& t) {
  if (at_ > 0 && word_char(sql_[at_ - 1])) return false;
  std::size_t end = at_ + 1;
  if (end < sql_.size() && word_start(sql_[end])) {
    while (end < sql_.size() && word_char(sql_[end]) && sql_[end] != '$') ++end;
  }
  if (end >= sql_.size() || sql_[end] != '$') return false;
  std::string_view tag = sql_.substr(at_, end - at_ + 1);
  t.kind = TokenKind::dollar_string;
  std::size_t close = sql_.find(tag, end + 1);
  if (close == std::string_view::npos) {
    t.flaw = Flaw::unterminated;
    advance(sql_.size() - at_);
  } else {
    advance(close + tag.size() - at_);
  }
  return true;
}

// Decimal, real or hexadecimal; word characters right after it make it malformed (both
// databases refuse 1abc), and stay in the token so that no word is read from inside it.
void Lexer::number(Token& t) {
  t.kind = TokenKind::number;
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && hex_digit(peek(2))) {
    advance(2);
    while (hex_digit(peek())) advance(1);
  } else {
    while (digit(peek())) advance(1);
    if (peek() == '.') {
      advance(1);
      while (digit(peek())) advance(1);
    }
    const bool sign = peek(1) == '+' || peek(1) == '-';
    if ((peek() == 'e' || peek() == 'E') && digit(peek(sign ? 2 : 1))) {
      advance(sign ? 3 : 2);
      while (digit(peek())) advance(1);
    }
  }
  if (word_char(peek())) {
    t.flaw = Flaw::malformed;
    while (word_char(peek())) advance(1);
  }
}

// ?, ?NNN; :name, @name, $name (malformed without the name).
void Lexer::sqlite_parameter(Token& t) {
  t.kind = TokenKind::parameter;
  const bool numbered = peek() == '?';
  advance(1);
  if (numbered) {
    while (digit(peek())) advance(1);
    return;
  }
  if (!word_char(peek())) t.flaw = Flaw::malformed;
  while (word_char(peek())) advance(1);
}

void Lexer::punct(Token& t) {
  t.kind = TokenKind::punct;
  std::string_view rest = sql_.substr(at_);
  auto longest = [&](const auto& operators) -> std::size_t {
    for (std::string_view op : operators) {
      if (starts_with(rest, op)) return op.size();
    }
    return 1;
  };
  advance(dialect_ == Dialect::postgresql ? longest(kPostgresOperators)
                                          : longest(kSqliteOperators));
}

void Lexer::word(Token& t) {
  t.kind = TokenKind::word;
  while (word_char(peek())) advance(1);
}

std::vector<Token> lex(std::string_view sql, Dialect dialect, int first_line) {
  std::vector<Token> out;
  Lexer lexer(sql, dialect, first_line);
  while (!lexer.done()) out.push_back(lexer.next());
  return out;
}

std::size_t closing_paren(std::string_view sql, std::size_t open, Dialect dialect) {
  Lexer lexer(sql, dialect);
  lexer.skip_to(open, 1);
  int depth = 0;
  while (!lexer.done()) {
    const Token t = lexer.next();
    if (t.is_punct("(")) ++depth;
    if (t.is_punct(")") && --depth == 0) return t.offset;
  }
  return std::string_view::npos;
}

std::string unquoted(const Token& t) {
  std::string_view body = t.text;
  if (t.kind == TokenKind::blob) body.remove_prefix(1);  // the x
  const bool escapes = t.kind == TokenKind::string && !body.empty() && body.front() != '\'';
  if (escapes) body.remove_prefix(1);  // the E
  const bool quoted = t.kind == TokenKind::string || t.kind == TokenKind::blob ||
                      t.kind == TokenKind::quoted_identifier;
  if (!quoted || body.empty()) return std::string(t.text);
  const char open = body.front();
  const char close = open == '[' ? ']' : open;
  body.remove_prefix(1);
  if (t.flaw != Flaw::unterminated && !body.empty()) body.remove_suffix(1);
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (escapes && body[i] == '\\' && i + 1 < body.size()) {
      ++i;
    } else if (close != ']' && body[i] == close && i + 1 < body.size() && body[i + 1] == close) {
      ++i;
    }
    out += body[i];
  }
  return out;
}

std::string_view describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::word:
      return "word";
    case TokenKind::quoted_identifier:
      return "quoted identifier";
    case TokenKind::string:
      return "string literal";
    case TokenKind::dollar_string:
      return "dollar-quoted string";
    case TokenKind::blob:
      return "blob literal";
    case TokenKind::number:
      return "number";
    case TokenKind::parameter:
      return "parameter";
    case TokenKind::punct:
      return "operator";
    case TokenKind::comment:
      return "/* comment";
    case TokenKind::whitespace:
      break;
  }
  return "white space";
}

std::string flaw_message(const Token& t) {
  if (t.flaw == Flaw::malformed) {
    return fmt::format("malformed {} '{}'", describe(t.kind), t.text);
  }
  if (t.kind == TokenKind::comment) return "unterminated /* comment (opened on this line)";
  std::string_view opener = t.text.substr(0, 1);
  if (t.kind == TokenKind::dollar_string) {
    opener = t.text.substr(0, t.text.find('$', 1) + 1);
  } else if (t.kind == TokenKind::blob || (t.kind == TokenKind::string && opener != "'")) {
    opener = "'";  // x'' and E''
  }
  return fmt::format("unterminated {} (opened with {} on this line)", describe(t.kind), opener);
}

std::vector<Token> lex_checked(std::string_view sql, Dialect dialect, const std::string& file,
                               int first_line) {
  std::vector<Token> out = lex(sql, dialect, first_line);
  for (const Token& t : out) {
    if (t.flaw == Flaw::unterminated) throw parse_error(file, t.line, flaw_message(t));
  }
  return out;
}

}  // namespace migtest::detail::sql
