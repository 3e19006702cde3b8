// The statement splitter: cuts SQL at top-level ';' the way each database's own
// shell does (psql, sqlite3), and remembers where each statement starts.
#include <fmt/format.h>

#include <cctype>
#include <string>

#include "migtest/source.hpp"
#include "source/text.hpp"
#include "sql_lexer.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

using detail::sql::Flaw;
using detail::sql::Token;
using detail::sql::TokenKind;

// Statement boundaries on the dialect's tokens: the lexer knows quotes, comments and dollar
// quotes; this class knows where a statement ends (';' outside trigger bodies, BEGIN ATOMIC
// bodies and, on PostgreSQL, parentheses) and goose's StatementBegin blocks.
class Splitter {
 public:
  Splitter(std::string_view sql, Dialect dialect, int first_line, const std::string& file)
      : s_(sql),
        pg_(dialect == Dialect::postgresql),
        lexer_(sql, dialect, first_line),
        file_(file.empty() ? "<sql>" : file) {}

  std::vector<Statement> run() {
    while (!lexer_.done()) {
      step(lexer_.next());
    }
    finish(s_.size());
    return std::move(out_);
  }

 private:
  void step(const Token& t) {
    if (t.flaw == Flaw::unterminated) {
      throw parse_error(file_, t.line, detail::sql::flaw_message(t));
    }
    if (t.kind == TokenKind::whitespace) {
      return;
    }
    if (t.kind == TokenKind::comment) {
      return comment(t);
    }
    begin_token(t);
    if (t.kind == TokenKind::word) {
      return word(t.text);
    }
    if (t.is_punct("(")) {
      ++parens_;
    } else if (t.is_punct(")")) {
      if (parens_ > 0) {
        --parens_;
      }
    } else if (t.is_punct(";")) {
      // psql keeps ';' inside parentheses (CREATE RULE ... DO (a; b)); SQLite has no such form.
      if (!in_body_ && !(pg_ && parens_ > 0)) {
        finish(t.offset);
      }
    }
  }

  void begin_token(const Token& t) {
    if (start_ == std::string_view::npos) {
      start_ = t.offset;
      start_line_ = t.line;
    }
  }

  void comment(const Token& t) {
    if (t.text.substr(0, 2) == "--" &&
        detail::goose_annotation(detail::trim(t.text.substr(2))) == "statementbegin") {
      goose_block(t);
    }
  }

  // goose: everything between StatementBegin and StatementEnd is one statement, read as lines
  // (goose itself does not lex it).
  void goose_block(const Token& begin) {
    finish(begin.offset);
    const std::size_t eol = begin.offset + begin.text.size();
    std::size_t body = eol < s_.size() ? eol + 1 : eol;
    std::size_t pos = body;
    int line = begin.line + 1;
    while (pos < s_.size()) {
      std::size_t next = s_.find('\n', pos);
      if (next == std::string_view::npos) {
        next = s_.size();
      }
      std::string_view text = detail::trim(s_.substr(pos, next - pos));
      if (text.size() >= 2 && text.substr(0, 2) == "--" &&
          detail::goose_annotation(detail::trim(text.substr(2))) == "statementend") {
        emit(s_.substr(body, pos - body), begin.line + 1);
        lexer_.skip_to(next, line);
        return;
      }
      pos = next + 1;
      ++line;
    }
    throw parse_error(file_, begin.line, "-- +goose StatementBegin without -- +goose StatementEnd");
  }

  void word(std::string_view text) {
    std::string w = detail::upper(text);
    ++words_;
    if (words_ == 1) {
      first_ = w;
    }
    if (words_ == 2) {
      second_ = w;
    }
    if (!pg_ && !trigger_ && first_ == "CREATE" && w == "TRIGGER" &&
        (words_ == 2 || (words_ == 3 && (second_ == "TEMP" || second_ == "TEMPORARY")))) {
      trigger_ = true;
    }
    if (w == "BEGIN" && trigger_ && !in_body_ && !body_done_) {
      in_body_ = true;
    }
    if (w == "ATOMIC" && pg_ && previous_ == "BEGIN" && !in_body_) {
      in_body_ = true;  // SQL-standard body
    }
    if (w == "CASE") {
      ++cases_;
    } else if (w == "END") {
      if (cases_ > 0) {
        --cases_;
      } else if (in_body_) {
        in_body_ = false;
        body_done_ = true;
      }
    }
    previous_ = std::move(w);
  }

  void emit(std::string_view text, int line) {
    // Leading blank lines move the start line down to the first text.
    std::size_t k = 0;
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) {
      if (text[k] == '\n') {
        ++line;
      }
      ++k;
    }
    std::string_view t = detail::trim(text.substr(k));
    while (!t.empty() && t.back() == ';') {
      t = detail::trim(t.substr(0, t.size() - 1));
    }
    if (!t.empty()) {
      out_.push_back({std::string(t), line});
    }
  }

  void finish(std::size_t end) {
    if (start_ != std::string_view::npos) {
      std::string_view text = detail::trim(s_.substr(start_, end - start_));
      if (!text.empty()) {
        out_.push_back({std::string(text), start_line_});
      }
    }
    start_ = std::string_view::npos;
    words_ = 0;
    cases_ = 0;
    parens_ = 0;
    trigger_ = in_body_ = body_done_ = false;
    first_.clear();
    second_.clear();
    previous_.clear();
  }

  std::string_view s_;
  bool pg_;
  detail::sql::Lexer lexer_;
  std::string file_;
  std::vector<Statement> out_;

  // The statement being read.
  std::size_t start_ = std::string_view::npos;
  int start_line_ = 0;
  int words_ = 0, cases_ = 0, parens_ = 0;
  bool trigger_ = false, in_body_ = false, body_done_ = false;
  std::string first_, second_, previous_;
};

std::string first_words(const std::string& sql, int count) {
  std::string out;
  std::size_t i = 0;
  for (int n = 0; n < count; ++n) {
    while (i < sql.size() && !detail::sql::word_start(sql[i])) {
      if (!std::isspace(static_cast<unsigned char>(sql[i]))) {
        return out;
      }
      ++i;
    }
    if (i >= sql.size()) {
      break;
    }
    if (!out.empty()) {
      out += ' ';
    }
    std::size_t end = i;
    while (end < sql.size() && detail::sql::word_char(sql[end])) {
      ++end;
    }
    out += detail::upper(std::string_view(sql).substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

std::vector<Statement> split_statements(std::string_view sql, Dialect dialect, int first_line,
                                        const std::string& file) {
  return Splitter(sql, dialect, first_line, file).run();
}

bool manages_own_transaction(const std::vector<Statement>& statements) {
  for (const auto& st : statements) {
    std::string w = first_words(st.sql, 3) + ' ';
    std::string first = w.substr(0, w.find(' '));
    if (first == "BEGIN" || first == "COMMIT" || first == "END" || first == "ABORT") {
      return true;
    }
    if (w.rfind("START TRANSACTION ", 0) == 0) {
      return true;
    }
    // ROLLBACK [WORK|TRANSACTION] TO SAVEPOINT stays inside the transaction.
    if (first == "ROLLBACK" && w.find(" TO ") == std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace migtest
