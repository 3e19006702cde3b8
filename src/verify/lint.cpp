// Lint of a revision's up SQL: each statement (from the splitter, with its line) is read as
// tokens, so quoted names, strings and comments never trigger a rule.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "migtest/verify.hpp"

namespace migtest {

namespace {

struct Token {
  enum Kind { word, ident, string, number, punct } kind;
  std::string text;  // words upper-cased; quoted identifiers without their quotes
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Statements come from split_statements, so quotes are balanced; an unterminated one here
// just ends the statement.
std::vector<Token> tokenize(std::string_view s, bool postgres) {
  std::vector<Token> out;
  std::size_t i = 0, n = s.size();
  auto quoted = [&](char close, Token::Kind kind) {
    std::string text;
    ++i;
    while (i < n) {
      if (s[i] == close) {
        if (i + 1 < n && s[i + 1] == close) {
          text += close;
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      text += s[i++];
    }
    out.push_back({kind, text});
  };
  while (i < n) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      std::size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '\'') {
      quoted('\'', Token::string);
    } else if (c == '"') {
      quoted('"', Token::ident);
    } else if (c == '`' && !postgres) {
      quoted('`', Token::ident);
    } else if (c == '[' && !postgres) {
      std::size_t e = s.find(']', i + 1);
      std::size_t end = e == std::string_view::npos ? n : e;
      out.push_back({Token::ident, std::string(s.substr(i + 1, end - i - 1))});
      i = end == n ? n : end + 1;
    } else if (c == '$' && postgres && i + 1 < n && !std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      // Dollar quote $tag$ ... $tag$ (a function body): one string token.
      std::size_t close = s.find('$', i + 1);
      std::string_view tag = close == std::string_view::npos ? "" : s.substr(i, close - i + 1);
      bool is_tag = !tag.empty() && std::all_of(tag.begin() + 1, tag.end() - 1, [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
      });
      if (is_tag) {
        std::size_t e = s.find(tag, close + 1);
        std::size_t end = e == std::string_view::npos ? n : e + tag.size();
        out.push_back({Token::string, std::string(s.substr(i, end - i))});
        i = end;
      } else {
        out.push_back({Token::punct, "$"});
        ++i;
      }
    } else if ((c == 'E' || c == 'e') && postgres && i + 1 < n && s[i + 1] == '\'') {
      // E'..\'..': backslash escapes.
      std::string text;
      i += 2;
      while (i < n && s[i] != '\'') {
        if (s[i] == '\\' && i + 1 < n) ++i;
        text += s[i++];
      }
      ++i;
      out.push_back({Token::string, text});
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t b = i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      out.push_back({Token::number, std::string(s.substr(b, i - b))});
    } else if (word_char(c)) {
      std::size_t b = i;
      while (i < n && word_char(s[i])) ++i;
      out.push_back({Token::word, upper(s.substr(b, i - b))});
    } else {
      out.push_back({Token::punct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

// A cursor over one statement's tokens.
class Reader {
 public:
  Reader(const std::vector<Token>& t, std::size_t from = 0, std::size_t to = std::string::npos)
      : t_(t), i_(from), end_(std::min(to, t.size())) {}

  const std::vector<Token>& tokens() const { return t_; }
  bool done() const { return i_ >= end_; }
  std::size_t pos() const { return i_; }
  const Token* peek(std::size_t ahead = 0) const { return i_ + ahead < end_ ? &t_[i_ + ahead] : nullptr; }
  bool is(std::string_view kw, std::size_t ahead = 0) const {
    const Token* tk = peek(ahead);
    return tk && tk->kind == Token::word && tk->text == kw;
  }
  bool is_punct(std::string_view p, std::size_t ahead = 0) const {
    const Token* tk = peek(ahead);
    return tk && tk->kind == Token::punct && tk->text == p;
  }
  bool accept(std::string_view kw) {
    if (!is(kw)) return false;
    ++i_;
    return true;
  }
  /// accept() of a sequence of keywords, all or nothing.
  bool accept_all(std::initializer_list<std::string_view> kws) {
    std::size_t k = 0;
    for (auto kw : kws) {
      if (!is(kw, k++)) return false;
    }
    i_ += kws.size();
    return true;
  }
  void skip() { ++i_; }
  /// A possibly qualified name: its display text and the matching key (last part, unquoted
  /// words folded to lower case as both databases do).
  bool name(std::string& display, std::string& key) {
    const Token* tk = peek();
    if (!tk || (tk->kind != Token::word && tk->kind != Token::ident)) return false;
    display.clear();
    while (true) {
      tk = peek();
      if (!tk || (tk->kind != Token::word && tk->kind != Token::ident)) break;
      std::string part = tk->kind == Token::word ? lower(tk->text) : tk->text;
      display += tk->kind == Token::word ? part : "\"" + part + "\"";
      key = lower(part);
      ++i_;
      if (!is_punct(".")) break;
      display += ".";
      ++i_;
    }
    return true;
  }
  /// Whether any word of [pos, end) equals kw.
  bool contains(std::string_view kw) const {
    for (std::size_t k = i_; k < end_; ++k) {
      if (t_[k].kind == Token::word && t_[k].text == kw) return true;
    }
    return false;
  }
  bool contains_sequence(std::string_view a, std::string_view b) const {
    for (std::size_t k = i_; k + 1 < end_; ++k) {
      if (t_[k].kind == Token::word && t_[k].text == a && t_[k + 1].kind == Token::word &&
          t_[k + 1].text == b) {
        return true;
      }
    }
    return false;
  }
  /// Ends of the comma-separated items of [pos, end) at parenthesis depth 0.
  std::vector<std::pair<std::size_t, std::size_t>> items() const {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    int depth = 0;
    std::size_t b = i_;
    for (std::size_t k = i_; k < end_; ++k) {
      const Token& tk = t_[k];
      if (tk.kind != Token::punct) continue;
      if (tk.text == "(") ++depth;
      if (tk.text == ")") --depth;
      if (tk.text == "," && depth == 0) {
        out.emplace_back(b, k);
        b = k + 1;
      }
    }
    out.emplace_back(b, end_);
    return out;
  }

 private:
  const std::vector<Token>& t_;
  std::size_t i_, end_;
};

struct Renamed {
  std::string from_display, from_key, to_display;
  int line;
};

class Linter {
 public:
  Linter(const RevisionScript& script, std::string_view dialect)
      : script_(script), postgres_(dialect == "postgresql") {}

  void statement(const Statement& st, const std::string& file) {
    std::vector<Token> tokens = tokenize(st.sql, postgres_);
    Reader r(tokens);
    line_ = st.line;
    file_ = file;
    if (r.accept("CREATE")) {
      create(r);
    } else if (r.accept_all({"DROP", "TABLE"})) {
      drop_table(r);
    } else if (r.accept_all({"ALTER", "TABLE"})) {
      alter_table(r);
    }
  }

  std::vector<LintWarning> finish() {
    // A table dropped and then replaced by a renamed copy is a rebuild, not a loss:
    //   CREATE new; INSERT INTO new SELECT ... FROM t; DROP TABLE t; ALTER TABLE new RENAME TO t
    //   ALTER TABLE t RENAME TO old; CREATE TABLE t ...; INSERT ...; DROP TABLE old
    for (const auto& [key, d] : dropped_) {
      auto to = renamed_to_.find(key);
      if (to != renamed_to_.end()) {
        // Renamed into the dropped name afterwards: the copy replaces it. Renamed away
        // before: the original name was created again and this is the old copy.
        const std::string& table = to->second.line >= d.line ? d.display : to->second.from_display;
        warn("table_rebuild", d.line, d.file,
             fmt::format("table {} is rebuilt (copied into a new table that takes its name): "
                         "rows are copied by hand, and indexes, triggers and views on it must "
                         "be recreated",
                         table));
        continue;
      }
      if (created_.count(key)) continue;  // a scratch table of this revision
      warn("drop_table", d.line, d.file,
           fmt::format("DROP TABLE {} destroys the table and its rows", d.display));
    }
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const LintWarning& a, const LintWarning& b) { return a.line < b.line; });
    return std::move(warnings_);
  }

 private:
  struct DroppedAt {
    std::string display;
    int line;
    std::string file;
  };

  bool existing(const std::string& key) const { return !created_.count(key); }

  void warn(const char* rule, int line, const std::string& file, std::string message) {
    LintWarning w;
    w.rule = rule;
    w.revision = script_.revision.id;
    w.file = file;
    w.line = line;
    w.message = std::move(message);
    warnings_.push_back(std::move(w));
  }
  void warn(const char* rule, std::string message) { warn(rule, line_, file_, std::move(message)); }

  void create(Reader& r) {
    bool unique = false;
    // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE / CREATE [UNIQUE] INDEX
    while (r.accept("GLOBAL") || r.accept("LOCAL") || r.accept("TEMP") || r.accept("TEMPORARY") ||
           r.accept("UNLOGGED") || r.accept("OR") || r.accept("REPLACE")) {
    }
    if (r.accept("TABLE")) {
      r.accept_all({"IF", "NOT", "EXISTS"});
      std::string display, key;
      if (r.name(display, key)) created_.insert(key);
      return;
    }
    if (r.accept("UNIQUE")) unique = true;
    if (!r.accept("INDEX")) return;
    bool concurrently = r.accept("CONCURRENTLY");
    r.accept_all({"IF", "NOT", "EXISTS"});
    std::string index_display, index_key;
    if (!r.is("ON")) r.name(index_display, index_key);
    if (!r.accept("ON")) return;
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key) || !existing(key)) return;
    std::string what = index_display.empty() ? "" : " " + index_display;
    if (unique) {
      warn("unique_on_existing_columns",
           fmt::format("CREATE UNIQUE INDEX{} on existing table {} fails if its rows hold "
                       "duplicates",
                       what, display));
    }
    if (postgres_ && !concurrently) {
      warn("index_not_concurrent",
           fmt::format("CREATE {}INDEX{} on existing table {} without CONCURRENTLY blocks writes "
                       "to the table while it builds",
                       unique ? "UNIQUE " : "", what, display));
    }
  }

  void drop_table(Reader& r) {
    r.accept_all({"IF", "EXISTS"});
    for (auto [b, e] : r.items()) {
      Reader item(r.tokens(), b, e);
      std::string display, key;
      if (item.name(display, key)) dropped_.emplace_back(key, DroppedAt{display, line_, file_});
    }
  }

  void alter_table(Reader& r) {
    r.accept_all({"IF", "EXISTS"});
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key)) return;
    if (r.accept_all({"RENAME", "TO"})) {
      std::string to_display, to_key;
      if (r.name(to_display, to_key)) {
        Renamed rn{display, key, to_display, line_};
        renamed_to_[to_key] = rn;
      }
      return;
    }
    bool is_existing = existing(key);
    for (auto [b, e] : r.items()) {
      Reader a(r.tokens(), b, e);
      if (a.accept("DROP")) {
        if (a.is("CONSTRAINT")) continue;
        a.accept("COLUMN");
        a.accept_all({"IF", "EXISTS"});
        std::string col, col_key;
        if (is_existing && a.name(col, col_key)) {
          warn("drop_column",
               fmt::format("ALTER TABLE {} DROP COLUMN {} destroys the column and its data",
                           display, col));
        }
      } else if (a.accept("ADD")) {
        add(a, display, is_existing);
      } else if (a.accept("ALTER")) {
        a.accept("COLUMN");
        std::string col, col_key;
        if (!a.name(col, col_key)) continue;
        if (is_existing && a.accept_all({"SET", "NOT", "NULL"})) {
          warn("not_null_without_default",
               fmt::format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL fails if any row holds "
                           "NULL, and scans the table under a lock",
                           display, col));
        }
      }
    }
  }

  void add(Reader& a, const std::string& table, bool is_existing) {
    std::string constraint;
    if (a.accept("CONSTRAINT")) {
      std::string key;
      a.name(constraint, key);
    }
    std::string named = constraint.empty() ? "" : " " + constraint;
    if (a.is("UNIQUE") || (!constraint.empty() && a.is("PRIMARY"))) {
      if (a.is("UNIQUE") && is_existing && !a.contains_sequence("USING", "INDEX")) {
        warn("unique_on_existing_columns",
             fmt::format("ALTER TABLE {} ADD CONSTRAINT{} UNIQUE on existing columns fails if "
                         "their rows hold duplicates",
                         table, named));
      }
      return;
    }
    if (a.is("PRIMARY") || a.is("EXCLUDE")) return;
    if (a.is("FOREIGN") || a.is("CHECK")) {
      if (postgres_ && is_existing && !a.contains_sequence("NOT", "VALID")) {
        warn("constraint_not_valid",
             fmt::format("ALTER TABLE {} ADD{} {} on existing table without NOT VALID checks "
                         "every row under a lock (add it NOT VALID, then VALIDATE CONSTRAINT)",
                         table, constraint.empty() ? "" : " CONSTRAINT" + named,
                         a.is("FOREIGN") ? "FOREIGN KEY" : "CHECK"));
      }
      return;
    }
    a.accept("COLUMN");
    a.accept_all({"IF", "NOT", "EXISTS"});
    std::string col, col_key;
    if (!a.name(col, col_key)) return;
    bool not_null = a.contains_sequence("NOT", "NULL");
    bool filled = a.contains("DEFAULT") || a.contains("GENERATED") || a.contains("IDENTITY");
    if (is_existing && not_null && !filled) {
      warn("not_null_without_default",
           fmt::format("ALTER TABLE {} ADD COLUMN {} NOT NULL without a DEFAULT fails on a table "
                       "with rows",
                       table, col));
    }
  }

  const RevisionScript& script_;
  bool postgres_;
  int line_ = 0;
  std::string file_;
  std::set<std::string> created_;
  std::vector<std::pair<std::string, DroppedAt>> dropped_;  // in statement order
  std::map<std::string, Renamed> renamed_to_;    // by new name
  std::vector<LintWarning> warnings_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Allow {
  std::set<std::string> rules;
};

// `-- migtest:allow rule[, rule ...]`, on any line of the revision's files.
void collect_allows(const std::string& text, const std::string& file, Allow& allow) {
  std::size_t pos = 0;
  int line = 1;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view l(text.data() + pos, (eol == std::string::npos ? text.size() : eol) - pos);
    std::size_t dash = l.find("--");
    if (dash != std::string_view::npos) {
      std::string_view c = l.substr(dash + 2);
      while (!c.empty() && std::isspace(static_cast<unsigned char>(c.front()))) c.remove_prefix(1);
      if (c.substr(0, 14) == "migtest:allow " || c.substr(0, 14) == "migtest:allow\t") {
        std::string rest(c.substr(14));
        std::replace(rest.begin(), rest.end(), ',', ' ');
        std::istringstream words(rest);
        std::string rule;
        bool any = false;
        while (words >> rule) {
          any = true;
          const auto& known = lint_rules();
          if (std::find(known.begin(), known.end(), rule) == known.end()) {
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
            throw parse_error(file, line,
                              fmt::format("unknown lint rule '{}' in -- migtest:allow (rules: {})",
                                          rule, names));
          }
          allow.rules.insert(rule);
        }
        if (!any) throw parse_error(file, line, "-- migtest:allow names no rule");
      }
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
    ++line;
  }
}

}  // namespace

std::string LintWarning::describe() const {
  std::string where = file.empty() ? revision : (line > 0 ? fmt::format("{}:{}", file, line) : file);
  return fmt::format("{}: {}: {}", where, rule, message);
}

const std::vector<std::string>& lint_rules() {
  static const std::vector<std::string> rules = {
      "drop_table",           "drop_column",          "not_null_without_default",
      "unique_on_existing_columns", "index_not_concurrent", "constraint_not_valid",
      "table_rebuild"};
  return rules;
}

std::vector<LintWarning> lint(const RevisionScript& script, std::string_view dialect) {
  if (script.up.code) return {};
  const SqlSection* section = script.up.section(dialect);
  if (!section) return {};
  std::string file = script.up.file.empty() ? script.revision.file : script.up.file;

  Allow allow;
  std::set<std::string> files;
  for (const std::string* f : {&script.revision.file, &script.up.file, &script.down.file}) {
    if (!f->empty()) files.insert(*f);
  }
  bool read_any = false;
  for (const auto& f : files) {
    std::string text = read_file(f);
    if (text.empty()) continue;
    read_any = true;
    collect_allows(text, f, allow);
  }
  if (!read_any) {
    // No file on disk (a test building scripts in memory): the sections hold the comments.
    for (const RevisionBody* body : {&script.up, &script.down}) {
      for (const auto& s : body->sections) {
        std::string pad(static_cast<std::size_t>(std::max(0, s.first_line - 1)), '\n');
        collect_allows(pad + s.sql, body->file, allow);
      }
    }
  }

  Linter linter(script, dialect);
  for (const Statement& st : split_statements(section->sql, dialect, section->first_line, file)) {
    linter.statement(st, file);
  }
  std::vector<LintWarning> all = linter.finish();
  std::vector<LintWarning> out;
  for (auto& w : all) {
    if (!allow.rules.count(w.rule)) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace migtest
