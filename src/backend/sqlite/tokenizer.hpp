// SQLite's SQL read as tokens, and the CREATE statements stored in sqlite_schema read
// into their parts (constraint names, CHECK texts, generated columns, ...). Internal header.
//   auto t = migtest::detail::sqlite::parse_create_table(sql);  // t.checks[0].expression
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/error.hpp"

namespace migtest::detail::sqlite {

/// SQL that the tokenizer or the CREATE readers cannot read. A parse_error (file "SQL",
/// line within the text) whose bare reason callers put after the object they name.
class sql_syntax_error : public parse_error {
 public:
  sql_syntax_error(int line, const std::string& message)
      : parse_error("SQL", line, message), message_(message) {}
  const std::string& message() const noexcept { return message_; }
  /// "unterminated string literal", with " (line 3)" when not on the first line.
  std::string describe() const {
    return line() > 1 ? message_ + " (line " + std::to_string(line()) + ")" : message_;
  }

 private:
  std::string message_;
};

enum class TokenKind {
  keyword,            // a bare word SQLite reserves (sqlite3_keyword_name); value in upper case
  identifier,         // a bare word that is not a keyword
  quoted_identifier,  // "x", `x` or [x]; value unquoted
  string,             // 'x'; value unquoted
  blob,               // x'00ff'; value: the hex digits
  number,             // 42, 1.5e3, 0x1F
  variable,           // ?, ?1, :name, @name, $name
  op,                 // punctuation and operators: ( ) , ; . + - || <= ...
};

struct Token {
  TokenKind kind = TokenKind::op;
  std::string text;   // as written
  std::string value;  // see TokenKind
  std::size_t offset = 0;

  bool is_keyword(std::string_view upper) const {
    return kind == TokenKind::keyword && value == upper;
  }
  bool is_op(std::string_view op) const { return kind == TokenKind::op && text == op; }
  /// A token that can stand for a name: an identifier, a quoted identifier, a keyword
  /// (SQLite falls back to identifiers for many, such as `key` or `action`) or a string.
  bool is_name() const {
    return kind == TokenKind::identifier || kind == TokenKind::quoted_identifier ||
           kind == TokenKind::keyword || kind == TokenKind::string;
  }
  /// The name a name token stands for: unquoted, case as written.
  std::string name() const {
    return kind == TokenKind::keyword || kind == TokenKind::identifier ? text : value;
  }
};

using Tokens = std::vector<Token>;

/// True for the 147 words of sqlite3_keyword_name(); `word` in any case.
bool is_keyword(std::string_view word);

/// Splits SQL into tokens; whitespace and comments are dropped. Throws sql_syntax_error
/// (line within `sql`) on an unterminated quote or a character SQLite rejects.
Tokens tokenize(std::string_view sql);

/// A half-open range [begin, end) of token indexes.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool empty() const { return begin >= end; }
  std::size_t size() const { return end > begin ? end - begin : 0; }
};

/// Index of the ")" that closes the "(" at `open`; throws sql_syntax_error if none.
std::size_t matching_paren(const Tokens& t, std::size_t open);
/// Splits `span` at commas outside parentheses.
std::vector<Span> split_top_level(const Tokens& t, Span span);
/// Index of the first token in `span` (outside parentheses) for which `pred` holds, or span.end.
template <class Pred>
std::size_t find_top_level(const Tokens& t, Span span, Pred pred);

/// A constraint or column read from a stored CREATE TABLE text.
struct ParsedForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string referred_table;
  std::vector<std::string> referred_columns;
  std::string on_delete = "NO ACTION";
  std::string on_update = "NO ACTION";
  bool deferrable = false;
  bool initially_deferred = false;
};

struct ParsedKey {  // PRIMARY KEY or UNIQUE
  std::string name;
  std::vector<std::string> columns;
  bool autoincrement = false;
};

struct ParsedCheck {
  std::string name;
  Span expression;  // inside CHECK ( ... )
};

struct ParsedColumn {
  std::string name;
  Span type;                      // the declared type's tokens, possibly empty
  std::string collation;          // as written, "" when none
  std::optional<Span> generated;  // inside AS ( ... )
  bool generated_stored = false;
  std::optional<Span> default_value;  // the DEFAULT operand, parentheses included
  bool not_null = false;
};

struct ParsedTable {
  Tokens tokens;  // every Span below indexes these
  std::string name;
  std::vector<ParsedColumn> columns;
  std::optional<ParsedKey> primary_key;
  std::vector<ParsedKey> uniques;
  std::vector<ParsedForeignKey> foreign_keys;
  std::vector<ParsedCheck> checks;
  bool without_rowid = false;
  bool strict = false;
  bool as_select = false;  // CREATE TABLE ... AS SELECT: no constraints at all
};

/// Reads `CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name (...) [WITHOUT ROWID] [, STRICT]`.
ParsedTable parse_create_table(std::string_view sql);

struct ParsedIndexTerm {
  Span expression;        // the term without COLLATE and ASC/DESC
  std::string collation;  // explicit COLLATE name as written, "" when none
  bool desc = false;
};

struct ParsedIndex {
  Tokens tokens;
  std::string name;
  std::string table;
  bool unique = false;
  std::vector<ParsedIndexTerm> terms;
  Span where;  // empty when not partial
};

/// Reads `CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table (terms) [WHERE expr]`.
ParsedIndex parse_create_index(std::string_view sql);
/// Splits an indexed-column term (or a model's index entry) into expression, COLLATE, DESC.
ParsedIndexTerm parse_index_term(const Tokens& t, Span term);

/// The SELECT of `CREATE [TEMP] VIEW [IF NOT EXISTS] [schema.]name [(columns)] AS select`,
/// as a span of `tokens` (filled in).
Span parse_create_view(std::string_view sql, Tokens& tokens);

// ---------------------------------------------------------------------------

template <class Pred>
std::size_t find_top_level(const Tokens& t, Span span, Pred pred) {
  int depth = 0;
  for (std::size_t i = span.begin; i < span.end; ++i) {
    if (t[i].is_op("(")) {
      if (depth == 0 && pred(t[i])) return i;
      ++depth;
    } else if (t[i].is_op(")")) {
      --depth;
    } else if (depth == 0 && pred(t[i])) {
      return i;
    }
  }
  return span.end;
}

}  // namespace migtest::detail::sqlite
