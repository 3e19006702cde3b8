// The statement splitter: cuts SQL at top-level ';' the way each database's own
// shell does (psql, sqlite3), and remembers where each statement starts.
#include <fmt/format.h>

#include <cctype>
#include <string>

#include "migtest/source.hpp"
#include "source/text.hpp"

namespace migtest {

namespace {

bool ident_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalpha(u) || c == '_' || u >= 0x80;
}
bool ident_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

class Splitter {
 public:
  Splitter(std::string_view sql, bool postgres, int first_line, const std::string& file)
      : s_(sql), pg_(postgres), line_(first_line), file_(file.empty() ? "<sql>" : file) {}

  std::vector<Statement> run() {
    while (i_ < s_.size()) {
      step();
    }
    finish(s_.size());
    return std::move(out_);
  }

 private:
  void step() {
    char c = s_[i_];
    if (c == '\n') {
      ++line_;
      ++i_;
      return;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i_;
      return;
    }
    if (c == '-' && peek(1) == '-') {
      return line_comment();
    }
    if (c == '/' && peek(1) == '*') {
      return block_comment();
    }
    begin_token();
    if (c == '\'') {
      return quoted('\'', pg_ && escape_string_prefix(), "string literal");
    }
    if (c == '"') {
      return quoted('"', false, "quoted identifier");
    }
    if (!pg_ && c == '`') {
      return quoted('`', false, "quoted identifier");
    }
    if (!pg_ && c == '[') {
      return bracket();
    }
    if (pg_ && c == '$' && dollar_quote()) {
      return;
    }
    if (ident_start(c)) {
      return word();
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == '_')) {
        ++i_;
      }
      return;
    }
    if (c == '(') {
      ++parens_;
    } else if (c == ')') {
      if (parens_ > 0) {
        --parens_;
      }
    } else if (c == ';') {
      // psql keeps ';' inside parentheses (CREATE RULE ... DO (a; b)); SQLite has no such form.
      if (!in_body_ && !(pg_ && parens_ > 0)) {
        finish(i_);
        ++i_;
        return;
      }
    }
    ++i_;
  }

  char peek(std::size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  void begin_token() {
    if (start_ == std::string_view::npos) {
      start_ = i_;
      start_line_ = line_;
    }
  }

  [[noreturn]] void fail(int line, const std::string& what) const {
    throw parse_error(file_, line, what);
  }

  // E'...' (PostgreSQL): backslash escapes, so \' does not end the string.
  bool escape_string_prefix() const {
    if (i_ == 0 || (s_[i_ - 1] != 'E' && s_[i_ - 1] != 'e')) {
      return false;
    }
    return i_ == 1 || !ident_char(s_[i_ - 2]);
  }

  void quoted(char q, bool backslash, const char* what) {
    int opened = line_;
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        ++line_;
      }
      if (backslash && c == '\\' && i_ + 1 < s_.size()) {
        if (s_[i_ + 1] == '\n') {
          ++line_;
        }
        i_ += 2;
        continue;
      }
      if (c == q) {
        if (peek(1) == q) {  // doubled quote: an escaped quote
          i_ += 2;
          continue;
        }
        ++i_;
        return;
      }
      ++i_;
    }
    fail(opened, fmt::format("unterminated {} (opened with {} on this line)", what, q));
  }

  void bracket() {
    int opened = line_;
    while (i_ < s_.size() && s_[i_] != ']') {
      if (s_[i_] == '\n') {
        ++line_;
      }
      ++i_;
    }
    if (i_ >= s_.size()) {
      fail(opened, "unterminated quoted identifier (opened with [ on this line)");
    }
    ++i_;
  }

  // $tag$ ... $tag$; false for $1 parameters and a '$' inside an identifier.
  bool dollar_quote() {
    if (i_ > 0 && ident_char(s_[i_ - 1])) {
      return false;
    }
    std::size_t j = i_ + 1;
    if (j < s_.size() && ident_start(s_[j])) {
      while (j < s_.size() && ident_char(s_[j]) && s_[j] != '$') {
        ++j;
      }
    }
    if (j >= s_.size() || s_[j] != '$') {
      return false;
    }
    std::string_view tag = s_.substr(i_, j - i_ + 1);
    std::size_t end = s_.find(tag, j + 1);
    if (end == std::string_view::npos) {
      fail(line_,
           fmt::format("unterminated dollar-quoted string (opened with {} on this line)", tag));
    }
    count_lines(i_, end + tag.size());
    i_ = end + tag.size();
    return true;
  }

  void count_lines(std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      if (s_[k] == '\n') {
        ++line_;
      }
    }
  }

  void line_comment() {
    std::size_t eol = s_.find('\n', i_);
    if (eol == std::string_view::npos) {
      eol = s_.size();
    }
    std::string_view body = detail::trim(s_.substr(i_ + 2, eol - i_ - 2));
    if (detail::goose_annotation(body) == "statementbegin") {
      return goose_block(eol);
    }
    i_ = eol;
  }

  void block_comment() {
    int opened = line_;
    int depth = 1;
    i_ += 2;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        ++line_;
      }
      if (c == '*' && peek(1) == '/') {
        i_ += 2;
        if (--depth == 0) {
          return;
        }
        continue;
      }
      if (pg_ && c == '/' && peek(1) == '*') {  // PostgreSQL nests block comments
        ++depth;
        i_ += 2;
        continue;
      }
      ++i_;
    }
    fail(opened, "unterminated /* comment (opened on this line)");
  }

  // goose: everything between StatementBegin and StatementEnd is one statement.
  void goose_block(std::size_t eol) {
    int opened = line_;
    finish(i_);
    std::size_t body = eol < s_.size() ? eol + 1 : eol;
    std::size_t pos = body;
    int line = line_ + 1;
    while (pos < s_.size()) {
      std::size_t next = s_.find('\n', pos);
      if (next == std::string_view::npos) {
        next = s_.size();
      }
      std::string_view text = detail::trim(s_.substr(pos, next - pos));
      if (text.size() >= 2 && text.substr(0, 2) == "--" &&
          detail::goose_annotation(detail::trim(text.substr(2))) == "statementend") {
        emit(s_.substr(body, pos - body), line_ + 1);
        line_ = line;
        i_ = next;
        return;
      }
      pos = next + 1;
      ++line;
    }
    fail(opened, "-- +goose StatementBegin without -- +goose StatementEnd");
  }

  void word() {
    std::size_t b = i_;
    while (i_ < s_.size() && ident_char(s_[i_])) {
      ++i_;
    }
    std::string w;
    for (std::size_t k = b; k < i_; ++k) {
      w += static_cast<char>(std::toupper(static_cast<unsigned char>(s_[k])));
    }
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
  int line_;
  std::string file_;
  std::size_t i_ = 0;
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
    while (i < sql.size() && !ident_start(sql[i])) {
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
    while (i < sql.size() && ident_char(sql[i])) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
      ++i;
    }
  }
  return out;
}

}  // namespace

std::vector<Statement> split_statements(std::string_view sql, Dialect dialect, int first_line,
                                        const std::string& file) {
  return Splitter(sql, dialect == Dialect::postgresql, first_line, file).run();
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
