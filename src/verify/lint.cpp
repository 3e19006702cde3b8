// Lint of a revision's up SQL: each statement (from the splitter, with its line) is read as
// tokens, so quoted names, strings and comments never trigger a rule. The rules' codes,
// names and severities are in lint_rules.cpp; their docs in docs/reference/lint.md.
#include "migtest/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sql_lexer.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

struct Token {
  enum Kind { word, ident, string, number, punct } kind;
  std::string text;  // words upper-cased; quoted identifiers without their quotes
};

using detail::lower;
using detail::upper;

// A statement's tokens as the rules read them, from the dialect's lexer: trivia dropped,
// operators one character each. Statements come from split_statements, so quotes are
// balanced; an unterminated one here just ends the statement.
std::vector<Token> tokenize(std::string_view s, bool postgres) {
  using detail::sql::TokenKind;
  std::vector<Token> out;
  auto dialect = postgres ? detail::sql::Dialect::postgresql : detail::sql::Dialect::sqlite;
  for (const detail::sql::Token& t : detail::sql::lex(s, dialect)) {
    switch (t.kind) {
      case TokenKind::whitespace:
      case TokenKind::comment:
        break;
      case TokenKind::string:
      case TokenKind::blob:
        out.push_back({Token::string, detail::sql::unquoted(t)});
        break;
      case TokenKind::dollar_string:  // a function body: the rules see it whole
        out.push_back({Token::string, std::string(t.text)});
        break;
      case TokenKind::quoted_identifier:
        out.push_back({Token::ident, detail::sql::unquoted(t)});
        break;
      case TokenKind::number:
        out.push_back({Token::number, std::string(t.text)});
        break;
      case TokenKind::word:
      case TokenKind::parameter:
        out.push_back({Token::word, upper(t.text)});
        break;
      case TokenKind::punct:
        for (char c : t.text) out.push_back({Token::punct, std::string(1, c)});
        break;
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
  const Token* peek(std::size_t ahead = 0) const {
    return i_ + ahead < end_ ? &t_[i_ + ahead] : nullptr;
  }
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
  /// Whether a word of [pos, end) outside parentheses equals kw (WHERE of the statement
  /// itself, not of a subquery).
  bool top_level(std::string_view kw) const {
    int depth = 0;
    for (std::size_t k = i_; k < end_; ++k) {
      const Token& tk = t_[k];
      if (tk.kind == Token::punct) depth += tk.text == "(" ? 1 : tk.text == ")" ? -1 : 0;
      if (depth == 0 && tk.kind == Token::word && tk.text == kw) return true;
    }
    return false;
  }
  /// The first word of [pos, end) in `names` that is followed by "(": a function call.
  const Token* call_of(const std::set<std::string_view>& names) const {
    for (std::size_t k = i_; k + 1 < end_; ++k) {
      if (t_[k].kind == Token::word && names.count(t_[k].text) && t_[k + 1].kind == Token::punct &&
          t_[k + 1].text == "(") {
        return &t_[k];
      }
    }
    return nullptr;
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
  std::string file;
  bool existing;
};

struct DroppedAt {
  std::string display;
  int line;
  std::string file;
};

// Words of a DEFAULT that make PostgreSQL compute a value per row, so ADD COLUMN rewrites the
// table instead of storing one value in the catalog (PostgreSQL 11 and later).
const std::set<std::string_view>& volatile_functions() {
  static const std::set<std::string_view> names = {
      "RANDOM",           "GEN_RANDOM_UUID", "UUID_GENERATE_V1", "UUID_GENERATE_V1MC",
      "UUID_GENERATE_V4", "CLOCK_TIMESTAMP", "TIMEOFDAY",        "NEXTVAL"};
  return names;
}

bool serial_type(const Token* t) {
  static const std::set<std::string_view> names = {"SERIAL",  "BIGSERIAL", "SMALLSERIAL",
                                                   "SERIAL2", "SERIAL4",   "SERIAL8"};
  return t && t->kind == Token::word && names.count(t->text);
}

// The rules of one revision: statements in, findings out (before allow comments).
class Linter {
 public:
  Linter(const RevisionScript& script, Dialect dialect, const LintOptions& options)
      : script_(script),
        postgres_(dialect == Dialect::postgresql),
        dialect_(dialect),
        options_(options) {}

  void statement(const Statement& st, const std::string& file) {
    std::vector<Token> tokens = tokenize(st.sql, postgres_);
    line_ = st.line;
    file_ = file;
    Reader r(tokens, main_verb(tokens));
    if (r.accept("CREATE")) {
      create(r);
    } else if (r.accept_all({"DROP", "TABLE"})) {
      drop_table(r);
    } else if (r.accept_all({"DROP", "INDEX"})) {
      drop_index(r);
    } else if (r.accept_all({"ALTER", "TABLE"})) {
      alter_table(r);
    } else if (r.accept("TRUNCATE")) {
      truncate(r);
    } else if (r.accept("UPDATE")) {
      update(r);
    } else if (r.accept("DELETE")) {
      delete_rows(r);
    } else if (r.accept("LOCK")) {
      lock(r);
    }
  }

  std::vector<LintWarning> finish() {
    std::set<std::string> rebuilt_renames;  // renames that are part of a rebuild, by new name
    for (const auto& [key, d] : dropped_) {
      if (!rebuild(key, d, rebuilt_renames) && !created_.count(key)) {
        warn("MT101", d.line, d.file,
             fmt::format("DROP TABLE {} destroys the table and its rows", d.display));
      }
    }
    for (const auto& [to_key, rn] : renamed_to_) {
      if (!rn.existing || rebuilt_renames.count(to_key)) continue;
      warn("MT401", rn.line, rn.file,
           fmt::format("ALTER TABLE {} RENAME TO {} breaks the application code still running "
                       "against the old name until it is deployed",
                       rn.from_display, rn.to_display));
    }
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const LintWarning& a, const LintWarning& b) { return a.line < b.line; });
    return std::move(warnings_);
  }

 private:
  // A table dropped and then replaced by a renamed copy is a rebuild, not a loss:
  //   CREATE new; INSERT INTO new SELECT ... FROM t; DROP TABLE t; ALTER TABLE new RENAME TO t
  //   ALTER TABLE t RENAME TO old; CREATE TABLE t ...; INSERT ...; DROP TABLE old
  bool rebuild(const std::string& key, const DroppedAt& d, std::set<std::string>& renames) {
    auto to = renamed_to_.find(key);
    if (to == renamed_to_.end()) return false;
    renames.insert(key);
    // Renamed into the dropped name afterwards: the copy replaces it. Renamed away before: the
    // original name was created again and this is the old copy.
    const std::string& table = to->second.line >= d.line ? d.display : to->second.from_display;
    warn("MT106", d.line, d.file,
         fmt::format("table {} is rebuilt (copied into a new table that takes its name): rows "
                     "are copied by hand, and indexes, triggers and views on it must be recreated",
                     table));
    return true;
  }

  // WITH a AS (...), b AS (...) UPDATE ...: the statement's own verb, at depth 0.
  static std::size_t main_verb(const std::vector<Token>& t) {
    if (t.empty() || t[0].kind != Token::word || t[0].text != "WITH") return 0;
    int depth = 0;
    for (std::size_t k = 1; k < t.size(); ++k) {
      if (t[k].kind == Token::punct) depth += t[k].text == "(" ? 1 : t[k].text == ")" ? -1 : 0;
      if (depth == 0 && t[k].kind == Token::word &&
          (t[k].text == "UPDATE" || t[k].text == "DELETE" || t[k].text == "INSERT" ||
           t[k].text == "SELECT")) {
        return k;
      }
    }
    return t.size();
  }

  bool existing(const std::string& key) const { return !created_.count(key); }

  void warn(const char* code, int line, const std::string& file, std::string message) {
    const LintRule* rule = find_lint_rule(code);
    if (rule->dialect && *rule->dialect != dialect_) return;
    if (!options_.enabled(*rule)) return;
    LintWarning w;
    w.rule = rule->name;
    w.code = rule->code;
    w.severity = options_.severity_of(*rule);
    w.revision = script_.revision.id;
    w.file = file;
    w.line = line;
    w.message = std::move(message);
    warnings_.push_back(std::move(w));
  }
  void warn(const char* code, std::string message) { warn(code, line_, file_, std::move(message)); }

  void create(Reader& r) {
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
    bool unique = r.accept("UNIQUE");
    if (r.accept("INDEX")) create_index(r, unique);
  }

  void create_index(Reader& r, bool unique) {
    bool concurrently = r.accept("CONCURRENTLY");
    r.accept_all({"IF", "NOT", "EXISTS"});
    std::string index_display, index_key;
    if (!r.is("ON")) r.name(index_display, index_key);
    if (!index_key.empty()) created_indexes_.insert(index_key);
    if (!r.accept("ON")) return;
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key) || !existing(key)) return;
    std::string what = index_display.empty() ? "" : " " + index_display;
    if (unique) {
      warn("MT204", fmt::format("CREATE UNIQUE INDEX{} on existing table {} fails if its rows "
                                "hold duplicates",
                                what, display));
    }
    if (!concurrently) {
      warn("MT301", fmt::format("CREATE {}INDEX{} on existing table {} without CONCURRENTLY "
                                "blocks writes to the table while it builds",
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

  void drop_index(Reader& r) {
    if (r.accept("CONCURRENTLY")) return;
    r.accept_all({"IF", "EXISTS"});
    for (auto [b, e] : r.items()) {
      Reader item(r.tokens(), b, e);
      std::string display, key;
      if (!item.name(display, key) || created_indexes_.count(key)) continue;
      warn("MT302", fmt::format("DROP INDEX {} without CONCURRENTLY blocks reads and writes of its "
                                "table until the index is gone",
                                display));
    }
  }

  void truncate(Reader& r) {
    r.accept("TABLE");
    for (auto [b, e] : r.items()) {
      Reader item(r.tokens(), b, e);
      item.accept("ONLY");
      std::string display, key;
      if (!item.name(display, key) || !existing(key)) continue;
      warn("MT103", fmt::format("TRUNCATE {} deletes every row of the table", display));
    }
  }

  void update(Reader& r) {
    if (r.accept("OR")) r.skip();  // SQLite: UPDATE OR REPLACE
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key) || !existing(key) || r.top_level("WHERE")) return;
    warn("MT105", fmt::format("UPDATE {} without WHERE rewrites every row of the table in one "
                              "transaction, holding their row locks until it commits",
                              display));
  }

  void delete_rows(Reader& r) {
    r.accept("FROM");
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key) || !existing(key) || r.top_level("WHERE")) return;
    warn("MT104",
         fmt::format("DELETE FROM {} without WHERE deletes every row of the table", display));
  }

  void lock(Reader& r) {
    r.accept("TABLE");
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key) || !existing(key)) return;
    warn("MT307", fmt::format("LOCK TABLE {} blocks other sessions' access to the table until the "
                              "revision's transaction ends",
                              display));
  }

  void alter_table(Reader& r) {
    r.accept_all({"IF", "EXISTS"});
    r.accept("ONLY");
    std::string display, key;
    if (!r.name(display, key)) return;
    if (r.accept("RENAME")) return rename(r, display, key);
    bool is_existing = existing(key);
    for (auto [b, e] : r.items()) {
      Reader a(r.tokens(), b, e);
      if (a.accept("DROP")) {
        drop_column(a, display, is_existing);
      } else if (a.accept("ADD")) {
        add(a, display, is_existing);
      } else if (a.accept("ALTER")) {
        alter_column(a, display, is_existing);
      }
    }
  }

  void rename(Reader& r, const std::string& display, const std::string& key) {
    if (r.accept("TO")) {
      std::string to_display, to_key;
      if (r.name(to_display, to_key)) {
        renamed_to_[to_key] = Renamed{display, key, to_display, line_, file_, existing(key)};
      }
      return;
    }
    if (r.is("CONSTRAINT") || !existing(key)) return;
    r.accept("COLUMN");
    std::string from, from_key, to, to_key;
    if (!r.name(from, from_key) || !r.accept("TO") || !r.name(to, to_key)) return;
    warn("MT402", fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {} breaks the application code "
                              "still reading or writing {} until it is deployed",
                              display, from, to, from));
  }

  void drop_column(Reader& a, const std::string& table, bool is_existing) {
    if (a.is("CONSTRAINT") || !is_existing) return;
    a.accept("COLUMN");
    a.accept_all({"IF", "EXISTS"});
    std::string col, col_key;
    if (!a.name(col, col_key)) return;
    warn("MT102",
         fmt::format("ALTER TABLE {} DROP COLUMN {} destroys the column and its data", table, col));
  }

  void alter_column(Reader& a, const std::string& table, bool is_existing) {
    a.accept("COLUMN");
    std::string col, col_key;
    if (!a.name(col, col_key) || !is_existing) return;
    if (a.accept_all({"SET", "NOT", "NULL"})) {
      warn("MT203", fmt::format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL fails if any row "
                                "holds NULL, and scans the table under a lock",
                                table, col));
    } else if (a.accept_all({"SET", "DATA", "TYPE"}) || a.accept("TYPE")) {
      warn("MT305", fmt::format("ALTER TABLE {} ALTER COLUMN {} TYPE rewrites the table and its "
                                "indexes under an exclusive lock unless the old type converts "
                                "without one (varchar to text, a longer varchar)",
                                table, col));
    }
  }

  void add(Reader& a, const std::string& table, bool is_existing) {
    std::string constraint;
    if (a.accept("CONSTRAINT")) {
      std::string key;
      a.name(constraint, key);
    }
    if (a.is("UNIQUE") || a.is("PRIMARY") || a.is("EXCLUDE") || a.is("FOREIGN") || a.is("CHECK")) {
      return add_constraint(a, table, constraint, is_existing);
    }
    a.accept("COLUMN");
    a.accept_all({"IF", "NOT", "EXISTS"});
    std::string col, col_key;
    if (!a.name(col, col_key)) return;
    add_column(a, table, col, is_existing);
  }

  void add_constraint(Reader& a, const std::string& table, const std::string& constraint,
                      bool is_existing) {
    if (!is_existing) return;
    std::string named = constraint.empty() ? "" : " CONSTRAINT " + constraint;
    if (a.is("UNIQUE") && !a.contains_sequence("USING", "INDEX")) {
      warn("MT204", fmt::format("ALTER TABLE {} ADD{} UNIQUE on existing columns fails if their "
                                "rows hold duplicates",
                                table, named));
    }
    bool foreign = a.is("FOREIGN");
    if ((foreign || a.is("CHECK")) && !a.contains_sequence("NOT", "VALID")) {
      warn(foreign ? "MT303" : "MT304",
           fmt::format("ALTER TABLE {} ADD{} {} on existing table without NOT VALID checks every "
                       "row under a lock (add it NOT VALID, then VALIDATE CONSTRAINT)",
                       table, named, foreign ? "FOREIGN KEY" : "CHECK"));
    }
  }

  void add_column(Reader& a, const std::string& table, const std::string& col, bool is_existing) {
    bool not_null = a.contains_sequence("NOT", "NULL");
    bool generated = a.contains("GENERATED") || a.contains("IDENTITY");
    bool filled = generated || (a.contains("DEFAULT") && !a.contains_sequence("DEFAULT", "NULL"));
    if (not_null && !filled) {
      // SQLite refuses the statement on every table, empty or new ones too.
      warn("MT202", fmt::format("ALTER TABLE {} ADD COLUMN {} NOT NULL without a non-NULL DEFAULT "
                                "is refused by SQLite, even on an empty table",
                                table, col));
      if (is_existing) {
        warn("MT201", fmt::format("ALTER TABLE {} ADD COLUMN {} NOT NULL without a DEFAULT fails "
                                  "on a table with rows",
                                  table, col));
      }
    }
    if (!is_existing) return;
    const Token* call = a.contains("DEFAULT") ? a.call_of(volatile_functions()) : nullptr;
    const Token* type = a.peek();
    bool stored = generated && (a.contains("STORED") || a.contains("IDENTITY"));
    if (call || serial_type(type) || stored) {
      std::string why = call ? fmt::format("a volatile DEFAULT ({}())", lower(call->text))
                        : serial_type(type) ? "a serial type (a nextval() DEFAULT)"
                                            : "a stored generated or identity value";
      warn("MT306", fmt::format("ALTER TABLE {} ADD COLUMN {} with {} rewrites the whole table "
                                "under an exclusive lock to fill every row",
                                table, col, why));
    }
  }

  const RevisionScript& script_;
  bool postgres_;
  Dialect dialect_;
  const LintOptions& options_;
  int line_ = 0;
  std::string file_;
  std::set<std::string> created_, created_indexes_;
  std::vector<std::pair<std::string, DroppedAt>> dropped_;  // in statement order
  std::map<std::string, Renamed> renamed_to_;               // by new name
  std::vector<LintWarning> warnings_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int line_count(const std::string& text) {
  return 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

struct AllowComment {
  std::string file;
  int line;
  std::set<std::string> codes;
};

std::string known_rules() {
  std::string names;
  for (const auto& r : lint_rule_table())
    names += (names.empty() ? "" : ", ") + r.code + " " + r.name;
  return names;
}

// "MT101, drop_column -- why": the codes, up to an explanation after "--".
std::set<std::string> allowed_codes(std::string rest, const std::string& file, int line) {
  if (std::size_t why = rest.find("--"); why != std::string::npos) rest.resize(why);
  std::replace(rest.begin(), rest.end(), ',', ' ');
  std::istringstream words(rest);
  std::set<std::string> codes;
  for (std::string word; words >> word;) {
    auto rules = select_lint_rules(word);
    if (rules.empty()) {
      throw parse_error(file, line,
                        fmt::format("unknown lint rule '{}' in -- migtest:allow (rules: {})", word,
                                    known_rules()));
    }
    for (const LintRule* r : rules) codes.insert(r->code);
  }
  if (codes.empty()) throw parse_error(file, line, "-- migtest:allow names no rule");
  return codes;
}

// Every `-- migtest:allow ...` comment of `text`, whose first line is `first_line` of `file`.
void collect_allows(const std::string& text, const std::string& file, int first_line,
                    std::vector<AllowComment>& out) {
  std::size_t pos = 0;
  for (int line = first_line; pos <= text.size(); ++line) {
    std::size_t eol = text.find('\n', pos);
    std::string_view l(text.data() + pos, (eol == std::string::npos ? text.size() : eol) - pos);
    if (std::size_t dash = l.find("--"); dash != std::string_view::npos) {
      std::string_view c = l.substr(dash + 2);
      while (!c.empty() && std::isspace(static_cast<unsigned char>(c.front()))) c.remove_prefix(1);
      if (c.substr(0, 14) == "migtest:allow " || c.substr(0, 14) == "migtest:allow\t") {
        out.push_back({file, line, allowed_codes(std::string(c.substr(14)), file, line)});
      }
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
}

// The allow comments of a revision's files, or of its sections when no file is on disk (a
// test building scripts in memory).
std::vector<AllowComment> allows_of(const RevisionScript& script) {
  std::vector<AllowComment> out;
  std::set<std::string> files;
  for (const std::string* f : {&script.revision.file, &script.up.file, &script.down.file}) {
    if (!f->empty()) files.insert(*f);
  }
  bool read_any = false;
  for (const auto& f : files) {
    std::string text = read_file(f);
    if (text.empty()) continue;
    read_any = true;
    collect_allows(text, f, 1, out);
  }
  if (read_any) return out;
  for (const RevisionBody* body : {&script.up, &script.down}) {
    for (const auto& s : body->sections) collect_allows(s.sql, body->file, s.first_line, out);
  }
  return out;
}

bool inside(const RevisionBody& body, const SqlSection& s, const AllowComment& a) {
  return a.file == body.file && a.line >= s.first_line && a.line < s.first_line + line_count(s.sql);
}

// Which codes are allowed for the whole revision (comments outside every section) and for each
// statement (comments on its lines, or right above it), by the statement's first line.
struct Allowed {
  std::set<std::string> revision;
  std::map<int, std::set<std::string>> statement;

  bool covers(const LintWarning& w) const {
    if (revision.count(w.code)) return true;
    auto it = statement.find(w.line);
    return it != statement.end() && it->second.count(w.code);
  }
};

// The statement an allow comment at `line` of the section belongs to: the one whose lines hold
// it, else the next one below it.
const Statement* statement_at(const std::vector<Statement>& statements, int line) {
  for (const Statement& st : statements) {
    int last = st.line + static_cast<int>(std::count(st.sql.begin(), st.sql.end(), '\n'));
    if (line <= last) return &st;
  }
  return nullptr;
}

Allowed allowed(const RevisionScript& script, const SqlSection& up,
                const std::vector<Statement>& statements) {
  Allowed out;
  for (const AllowComment& a : allows_of(script)) {
    bool in_some_section = false;
    for (const RevisionBody* body : {&script.up, &script.down}) {
      for (const auto& s : body->sections) in_some_section = in_some_section || inside(*body, s, a);
    }
    if (!in_some_section) {
      out.revision.insert(a.codes.begin(), a.codes.end());
    } else if (inside(script.up, up, a)) {
      if (const Statement* st = statement_at(statements, a.line)) {
        out.statement[st->line].insert(a.codes.begin(), a.codes.end());
      }
    }
  }
  return out;
}

}  // namespace

std::vector<LintWarning> lint(const RevisionScript& script, Dialect dialect,
                              const LintOptions& options) {
  if (script.up.code) return {};
  const SqlSection* section = script.up.section(dialect);
  if (!section) return {};
  std::string file = script.up.file.empty() ? script.revision.file : script.up.file;
  std::vector<Statement> statements =
      split_statements(section->sql, dialect, section->first_line, file);
  Allowed allow = allowed(script, *section, statements);

  Linter linter(script, dialect, options);
  for (const Statement& st : statements) linter.statement(st, file);
  std::vector<LintWarning> out;
  for (auto& w : linter.finish()) {
    if (!allow.covers(w)) out.push_back(std::move(w));
  }
  return out;
}

LintReport lint_history(const History& history, Dialect dialect,
                        const std::vector<std::string>& ids, const LintOptions& options) {
  LintReport report;
  report.dialect = dialect;
  std::set<std::string> chosen;
  for (const auto& id : ids) chosen.insert(history.graph().get(id).id);
  for (const RevisionScript& s : history.scripts()) {
    if (!chosen.empty() && !chosen.count(s.revision.id)) continue;
    report.revisions.push_back(s.revision.id);
    if (s.up.code) {
      report.notes.push_back(fmt::format("revision {} is C++ code: not linted", s.revision.id));
      continue;
    }
    for (auto& w : lint(s, dialect, options)) report.findings.push_back(std::move(w));
  }
  return report;
}

}  // namespace migtest
