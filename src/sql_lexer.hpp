// The SQL lexer, one per dialect: SQL text as tokens with their kind, position and line, for
// the statement splitter, lint and the SQLite canonical forms alike. Core; internal.
//   sql::Lexer lex(text, sql::Dialect::postgresql);
//   for (sql::Token t = lex.next(); !t.text.empty(); t = lex.next()) { ... }
// The lexer never throws: a quote or comment left open, or a malformed number, blob or
// parameter, is a token with a flaw, and each reader decides what that means for it (the
// splitter refuses it, lint reads on, SQLite accepts a block comment open at the end).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/url.hpp"  // Dialect

namespace migtest::detail::sql {

/// The lexical rules a text follows. Where they differ:
/// - PostgreSQL: $tag$ dollar quotes, E'...' strings with backslash escapes, nested /* */
///   comments, $1 parameters, :: and other multi-character operators;
/// - SQLite: [bracketed] and `backticked` identifiers, x'..' blob literals, ?, ?1, :name,
///   @name and $name parameters.
using migtest::Dialect;

enum class TokenKind {
  word,               // a bare word: keyword or identifier, as written
  quoted_identifier,  // "x"; SQLite also `x` and [x]
  string,             // 'x'; PostgreSQL also E'x'
  dollar_string,      // $$x$$ or $tag$x$tag$ (PostgreSQL)
  blob,               // x'00ff' (SQLite)
  number,             // 42, 1.5e3, .5, 0x1F
  parameter,          // $1 (PostgreSQL); ?, ?1, :name, @name, $name (SQLite)
  punct,              // an operator or punctuation: ( ) , ; . :: || <= ...
  comment,            // -- to the end of the line, or /* */
  whitespace,
};

enum class Flaw {
  none,
  unterminated,  // a quote or block comment never closed: the token runs to the end
  malformed,     // a number with letters after it, a blob that is not hex, ':' with no name
};

struct Token {
  TokenKind kind = TokenKind::whitespace;
  std::string_view text;   // as written, quotes and prefixes included; empty at the end
  std::size_t offset = 0;  // of text within the lexed SQL
  int line = 1;            // of text's first character
  Flaw flaw = Flaw::none;

  bool is_word(std::string_view upper_case) const;  // ASCII case ignored
  bool is_punct(std::string_view p) const { return kind == TokenKind::punct && text == p; }
  /// Whitespace or a comment: what a statement's meaning does not depend on.
  bool is_trivia() const { return kind == TokenKind::whitespace || kind == TokenKind::comment; }
};

class Lexer {
 public:
  /// `first_line`: the line `sql` starts on within its file.
  Lexer(std::string_view sql, Dialect dialect, int first_line = 1)
      : sql_(sql), dialect_(dialect), line_(first_line) {}

  /// The token at the cursor, which moves past it; a token with empty text at the end.
  Token next();
  bool done() const { return at_ >= sql_.size(); }
  /// Moves the cursor to `offset` on `line`, for a reader that consumed raw text itself
  /// (goose's StatementBegin ... StatementEnd blocks).
  void skip_to(std::size_t offset, int line);

 private:
  char peek(std::size_t ahead = 0) const;
  void advance(std::size_t count);  // counting lines
  void quoted(char close, bool backslash, TokenKind kind, Token& t);
  void bracketed(Token& t);
  void blob_digits(Token& t);
  void block_comment(Token& t);
  bool dollar_quote(Token& t);
  void number(Token& t);
  void sqlite_parameter(Token& t);
  void punct(Token& t);
  void word(Token& t);

  std::string_view sql_;
  Dialect dialect_;
  int line_;
  std::size_t at_ = 0;
};

/// Every token of `sql`, trivia included.
std::vector<Token> lex(std::string_view sql, Dialect dialect, int first_line = 1);

/// A string's, quoted identifier's or blob's value: quotes and prefixes removed, doubled
/// quotes undone, in E'' the character after each backslash kept as it is; a blob's hex
/// digits; any other token's text as it is.
std::string unquoted(const Token& t);

/// The offset of the ')' that closes the '(' at `open`, quotes and comments skipped;
/// std::string_view::npos when none does.
std::size_t closing_paren(std::string_view sql, std::size_t open, Dialect dialect);

/// What the token is, for messages: "string literal", "quoted identifier", "/* comment" ...
std::string_view describe(TokenKind kind);

/// The one-line message for a flawed token, naming what was opened where:
/// "unterminated string literal (opened with ' on this line)".
std::string flaw_message(const Token& t);

/// lex(), refusing any unterminated quote or comment with a parse_error naming `file` and
/// the line it was opened on.
std::vector<Token> lex_checked(std::string_view sql, Dialect dialect, const std::string& file,
                               int first_line = 1);

/// The characters of a bare word: ASCII letters, digits, '_', '$' and any byte of a UTF-8
/// sequence; a word starts with a letter, '_' or such a byte.
bool word_start(char c);
bool word_char(char c);

}  // namespace migtest::detail::sql
