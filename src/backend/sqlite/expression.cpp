#include "backend/sqlite/expression.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>

#include "strings.hpp"

namespace migtest::detail::sqlite {

namespace {

bool among(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool keyword_among(const Token& k, std::initializer_list<std::string_view> words) {
  return k.kind == TokenKind::keyword && among(k.value, words);
}

// Keywords SQLite's grammar falls back to reading as a name (parse.y, %fallback ID), less the
// CURRENT_* values, which an expression reads as values.
bool fallback_keyword(const Token& k) {
  return keyword_among(
      k,
      {"ABORT",     "ACTION",    "AFTER",     "ALWAYS",    "ANALYZE",  "ASC",       "ATTACH",
       "BEFORE",    "BEGIN",     "BY",        "CASCADE",   "CAST",     "COLUMN",    "CONFLICT",
       "CURRENT",   "DATABASE",  "DEFERRED",  "DESC",      "DETACH",   "DO",        "EACH",
       "END",       "EXCLUDE",   "EXCLUSIVE", "EXPLAIN",   "FAIL",     "FIRST",     "FOLLOWING",
       "FOR",       "GENERATED", "GLOB",      "GROUPS",    "IF",       "IGNORE",    "IMMEDIATE",
       "INITIALLY", "INSTEAD",   "KEY",       "LAST",      "LIKE",     "MATCH",     "MATERIALIZED",
       "NO",        "NULLS",     "OF",        "OFFSET",    "OTHERS",   "PARTITION", "PLAN",
       "PRAGMA",    "PRECEDING", "QUERY",     "RAISE",     "RANGE",    "RECURSIVE", "REGEXP",
       "REINDEX",   "RELEASE",   "RENAME",    "REPLACE",   "RESTRICT", "ROLLBACK",  "ROW",
       "ROWS",      "SAVEPOINT", "TEMP",      "TEMPORARY", "TIES",     "TRIGGER",   "UNBOUNDED",
       "VACUUM",    "VIEW",      "VIRTUAL",   "WITH",      "WITHOUT"});
}

bool name_like(const Token& k) {
  return k.kind == TokenKind::identifier || k.kind == TokenKind::quoted_identifier ||
         k.kind == TokenKind::string || fallback_keyword(k);
}

bool value_keyword(const Token& k) {
  return keyword_among(k, {"NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"});
}

// A token after which an operand is complete (so a following '-' subtracts, NOT NULL is
// postfix).
bool ends_operand(const Token& k) {
  switch (k.kind) {
    case TokenKind::identifier:
    case TokenKind::quoted_identifier:
    case TokenKind::string:
    case TokenKind::blob:
    case TokenKind::number:
    case TokenKind::variable:
      return true;
    case TokenKind::keyword:
      return value_keyword(k) || k.is_keyword("END");
    case TokenKind::op:
      return k.is_op(")");
  }
  return false;
}

// ---------------------------------------------------------------------------
// Names

// Where the grammar wants a name: SQLite reads a 'string' or a keyword there as one.
class NameFinder {
 public:
  explicit NameFinder(const Tokens& t) : t_(t), named_(t.size(), false) {}

  std::vector<bool> run() {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (!name_like(t_[i])) continue;
      named_[i] = qualified(i) || after_name_keyword(i) || trigger_target(i) || quoted_call(i) ||
                  (fallback_keyword(t_[i]) && keyword_as_operand(i));
    }
    mark_lists();
    return std::move(named_);
  }

 private:
  const Token* at(std::size_t i) const { return i < t_.size() ? &t_[i] : nullptr; }
  const Token* before(std::size_t i, std::size_t back = 1) const {
    return i >= back ? &t_[i - back] : nullptr;
  }

  bool qualified(std::size_t i) const {
    const Token* p = before(i);
    const Token* n = at(i + 1);
    return (p && p->is_op(".")) || (n && n->is_op("."));
  }

  bool after_name_keyword(std::size_t i) const {
    const Token* p = before(i);
    if (!p || p->kind != TokenKind::keyword) return false;
    const Token* n = at(i + 1);
    if (t_[i].kind == TokenKind::keyword) {
      // `AS MATERIALIZED (`, `TRIGGER IF NOT EXISTS`, `UPDATE OF`: the keyword is one.
      if ((n && n->is_op("(")) || (n && n->is_keyword("NOT"))) return false;
      return among(p->value, {"FROM", "JOIN", "INTO", "AS"});
    }
    return among(p->value, {"FROM", "JOIN", "INTO", "UPDATE", "TABLE", "TRIGGER", "VIEW", "INDEX",
                            "AS", "COLLATE", "REFERENCES"});
  }

  // "lower"(x): a function's name.
  bool quoted_call(std::size_t i) const {
    const Token* n = at(i + 1);
    return t_[i].kind == TokenKind::quoted_identifier && n && n->is_op("(");
  }

  // CREATE TRIGGER ... ON <table> [FOR EACH ROW] [WHEN ...] BEGIN
  bool trigger_target(std::size_t i) const {
    const Token* p = before(i);
    const Token* n = at(i + 1);
    return p && p->is_keyword("ON") && n && keyword_among(*n, {"FOR", "BEGIN", "WHEN"});
  }

  // A keyword standing where an operand does, between an operator (or the start) and an
  // operator (or the end): `CHECK (key > 0)`, `CASE desc WHEN ...`.
  bool keyword_as_operand(std::size_t i) const {
    const Token& k = t_[i];
    if (keyword_among(k, {"LIKE", "GLOB", "REGEXP", "MATCH", "CAST", "RAISE", "REPLACE"})) {
      return false;
    }
    const Token* p = before(i);
    const Token* n = at(i + 1);
    if (n && keyword_among(k, {"ROWS", "RANGE", "GROUPS"}) && n->is_keyword("BETWEEN"))
      return false;
    bool prev_ok =
        !p || p->is_op(",") ||
        (p->is_op("(") && !(before(i, 2) && before(i, 2)->is_keyword("RAISE"))) ||
        (p->kind == TokenKind::op && !p->is_op(")") && !p->is_op(";")) ||
        keyword_among(*p, {"WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "CASE", "SELECT",
                           "DISTINCT", "ON", "SET", "HAVING", "BETWEEN", "IS", "BY"});
    bool next_ok =
        !n || (n->kind == TokenKind::op && !n->is_op("(")) ||
        keyword_among(*n, {"AND",   "OR",     "IS",    "IN",     "NOT",     "BETWEEN", "LIKE",
                           "GLOB",  "REGEXP", "MATCH", "ISNULL", "NOTNULL", "COLLATE", "THEN",
                           "ELSE",  "END",    "WHEN",  "FROM",   "AS",      "ASC",     "DESC",
                           "ORDER", "GROUP",  "LIMIT", "WHERE",  "ESCAPE",  "BEGIN",   "FOR"});
    return prev_ok && next_ok;
  }

  // Name lists: INSERT INTO t (a, b), UPDATE OF a, b ON, SET a = ..., b = ...
  void mark_lists() {
    for (std::size_t i = 0; i + 1 < t_.size(); ++i) {
      const Token& k = t_[i];
      if (k.is_keyword("INTO") && name_like(t_[i + 1]) && at(i + 2) && at(i + 2)->is_op("(")) {
        std::size_t close = matching_paren(t_, i + 2);
        for (std::size_t j = i + 3; j < close; ++j) {
          if (name_like(t_[j]) && (t_[j + 1].is_op(",") || t_[j + 1].is_op(")"))) named_[j] = true;
        }
      } else if (k.is_keyword("OF") && before(i) && before(i)->is_keyword("UPDATE")) {
        for (std::size_t j = i + 1; j < t_.size() && !t_[j].is_keyword("ON"); ++j) {
          if (name_like(t_[j])) named_[j] = true;
        }
      } else if (k.is_keyword("SET")) {
        mark_set_list(i + 1);
      }
    }
  }

  void mark_set_list(std::size_t i) {
    int depth = 0;
    bool start = true;  // at the start of an assignment
    for (; i < t_.size(); ++i) {
      const Token& k = t_[i];
      if (k.is_op("(")) ++depth;
      if (k.is_op(")") && --depth < 0) return;
      if (depth > 0) continue;
      if (keyword_among(k, {"WHERE", "FROM", "RETURNING", "END"}) || k.is_op(";")) return;
      if (start && name_like(k) && at(i + 1) && at(i + 1)->is_op("=")) named_[i] = true;
      start = k.is_op(",");
    }
  }

  const Tokens& t_;
  std::vector<bool> named_;
};

void resolve_names(Tokens& t, const NameScope& scope) {
  const std::vector<bool> named = NameFinder(t).run();
  std::set<std::string> local;  // names the text itself uses as names
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == TokenKind::identifier || named[i]) local.insert(lower(t[i].name()));
  }
  auto make_name = [](Token& k) {
    k.value = lower(k.name());
    k.kind = TokenKind::identifier;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    Token& k = t[i];
    bool double_quoted = k.kind == TokenKind::quoted_identifier && k.text.front() == '"';
    if (k.kind == TokenKind::identifier || named[i] ||
        (k.kind == TokenKind::quoted_identifier && !double_quoted)) {
      make_name(k);
    } else if (double_quoted) {
      std::string n = lower(k.value);
      if (local.count(n) || (scope.names && scope.names->count(n))) {
        make_name(k);
      } else if (scope.complete) {
        k.kind = TokenKind::string;  // SQLite's fallback for a name it cannot resolve
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Synonyms

Token keyword_token(std::string_view word) {
  Token k;
  k.kind = TokenKind::keyword;
  k.text = std::string(word);
  k.value = std::string(word);
  return k;
}

// Integers by value in decimal; reals in the shortest text that reads back the same.
std::string number_text(const std::string& text) {
  std::string l = lower(text);
  if (l.size() > 2 && l[0] == '0' && l[1] == 'x') {
    if (l.size() > 18) return l;  // SQLite rejects it; nothing to compare by
    auto v = static_cast<std::int64_t>(std::strtoull(l.c_str() + 2, nullptr, 16));
    return std::to_string(v);
  }
  bool integer = l.find_first_of(".e") == std::string::npos;
  if (integer) {
    errno = 0;
    unsigned long long v = std::strtoull(l.c_str(), nullptr, 10);
    if (errno == 0 &&
        v <= static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max()))
      return std::to_string(v);
    // Too large for an integer: SQLite reads it as a real.
  }
  double d = std::strtod(l.c_str(), nullptr);
  if (!std::isfinite(d)) return l;
  char buf[40];
  const bool plain = d == 0 || (std::fabs(d) >= 1e-4 && std::fabs(d) < 1e15);  // no exponent
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d && (!plain || !std::strchr(buf, 'e'))) break;
  }
  std::string out = buf;
  if (out.find_first_of(".e") == std::string::npos) out += ".0";  // still a real
  return out;
}

// CAST ( expr AS type ): the type becomes its affinity, all CAST looks at.
void cast_types(Tokens& t) {
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].is_keyword("CAST") || !t[i + 1].is_op("(")) continue;
    std::size_t close = matching_paren(t, i + 1);
    std::size_t as =
        find_top_level(t, Span{i + 2, close}, [](const Token& k) { return k.is_keyword("AS"); });
    if (as == close) continue;
    std::string type;
    for (std::size_t j = as + 1; j < close; ++j) type += t[j].name() + " ";
    t.erase(t.begin() + static_cast<long>(as) + 1, t.begin() + static_cast<long>(close));
    t.insert(t.begin() + static_cast<long>(as) + 1, keyword_token(affinity(type)));
  }
}

// SQLite's postfix ISNULL, NOTNULL and NOT NULL end their operand; IS [NOT] NULL lets a
// tighter operator after it take the NULL (`a ISNULL + 1` is `(a ISNULL) + 1`, `a IS NULL + 1`
// is `a IS (NULL + 1)`). So they are one only when nothing tighter follows.
bool nothing_tighter_at(const Tokens& t, std::size_t i) {
  if (i >= t.size()) return true;
  const Token& k = t[i];
  if (k.kind == TokenKind::keyword) return !k.is_keyword("COLLATE") && !k.is_keyword("ESCAPE");
  if (k.kind != TokenKind::op) return true;
  return k.is_op(")") || k.is_op(",") || k.is_op(";") || k.is_op("=") || k.is_op("==") ||
         k.is_op("!=") || k.is_op("<>");
}

void rewrite_synonyms(Tokens& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    Token& k = t[i];
    if (k.kind == TokenKind::number) {
      k.text = number_text(k.text);
      k.value = k.text;
    } else if (k.is_op("==")) {
      k.text = k.value = "=";
    } else if (k.is_op("<>")) {
      k.text = k.value = "!=";
    } else if ((k.is_keyword("ISNULL") || k.is_keyword("NOTNULL")) &&
               nothing_tighter_at(t, i + 1)) {
      bool is_not = k.is_keyword("NOTNULL");
      k = keyword_token("IS");
      std::vector<Token> rest;
      if (is_not) rest.push_back(keyword_token("NOT"));
      rest.push_back(keyword_token("NULL"));
      t.insert(t.begin() + static_cast<long>(i) + 1, rest.begin(), rest.end());
    } else if (k.is_keyword("NOT") && i > 0 && ends_operand(t[i - 1]) && i + 1 < t.size() &&
               t[i + 1].is_keyword("NULL") && nothing_tighter_at(t, i + 2)) {
      t.insert(t.begin() + static_cast<long>(i), keyword_token("IS"));  // x NOT NULL
    }
  }
  cast_types(t);
}

// IS [NOT] DISTINCT FROM is IS NOT / IS: the same test in other words. Before names are
// resolved, so that what follows FROM is not taken for a table.
void rewrite_distinct_from(Tokens& t) {
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].is_keyword("IS")) continue;
    std::size_t d = t[i + 1].is_keyword("NOT") ? i + 2 : i + 1;
    // `IS NOT DISTINCT FROM NOT x` would read `IS NOT x`: left as written.
    bool not_follows = d + 2 < t.size() && t[d + 2].is_keyword("NOT");
    if (d + 1 < t.size() && t[d].is_keyword("DISTINCT") && t[d + 1].is_keyword("FROM") &&
        !not_follows) {
      bool negated = d == i + 2;
      t.erase(t.begin() + static_cast<long>(i) + 1, t.begin() + static_cast<long>(d) + 2);
      if (!negated) t.insert(t.begin() + static_cast<long>(i) + 1, keyword_token("NOT"));
    }
  }
}

// ---------------------------------------------------------------------------
// Parentheses

// Binding strength (parse.y's precedence, low to high). kUnknown: a neighbour that is not
// understood; kDelimited: none (a clause keyword, a comma, the end); kPrimary: the content of
// a group that is a single operand.
constexpr int kUnknown = -1, kDelimited = 0, kOr = 1, kAnd = 2, kNot = 3, kEquality = 4,
              kCompare = 5, kEscape = 6, kBits = 7, kAdd = 8, kMultiply = 9, kConcat = 10,
              kCollate = 11, kUnary = 12, kPrimary = 100;

struct Operator {
  int precedence = kDelimited;  // kDelimited: not an operator
  std::size_t end = 0;          // first token after it
  bool postfix = false;         // ISNULL, COLLATE x: no operand follows
  bool list_follows = false;    // IN: a '(' after it is a list
  bool opens_between = false;
  bool strict = false;  // a neighbour of equal strength must keep its parentheses
};

// Expression regions walked with a small state machine that knows SQLite's operators well
// enough to tell a group `( ... )` standing for an operand from a list, and what binds on
// either side of it. Anything it does not understand keeps its parentheses.
class ParenWalker {
 public:
  explicit ParenWalker(const Tokens& t) : t_(t) {}

  /// The '(' of the first group whose parentheses can go, or npos.
  std::size_t find() {
    walk(Span{0, t_.size()}, true, nullptr);
    return found_;
  }

 private:
  struct State {
    bool expect_operand = true;
    bool allow_group = true;  // a '(' in operand position is an expression group
    bool values = false;      // in VALUES: '(' ... ')' are rows
    bool unknown = false;
    bool list_next = false;  // after IN: a '(' is its list
    int left = kDelimited;   // the operator just before an operand
    int between = 0;         // BETWEENs waiting for their AND
    bool left_strict = false;
  };

  struct Summary {
    int lowest = kPrimary;
    int operands = 0;
    bool plain = true;  // nothing but one expression
  };

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  void reset(State& s, const Token* keyword) const {
    bool values = keyword ? keyword->is_keyword("VALUES") : s.values;
    s = State{};
    s.values = values;
    s.allow_group = keyword
                        ? keyword_among(*keyword, {"SELECT", "DISTINCT", "ALL", "WHERE", "HAVING",
                                                   "BY", "ON", "WHEN", "THEN", "ELSE", "LIMIT",
                                                   "OFFSET", "SET", "RETURNING", "AND", "OR"})
                        : !values;
  }

  // The operator starting at `i` when an operator is expected.
  Operator op_at(std::size_t i, std::size_t end, int between) const {
    Operator o;
    const Token& k = t_[i];
    auto next_is = [&](std::size_t j, std::string_view kw) {
      return j < end && t_[j].is_keyword(kw);
    };
    o.end = i + 1;
    if (k.kind == TokenKind::op) {
      const std::string& x = k.text;
      if (x == "||" || x == "->" || x == "->>")
        o.precedence = kConcat;
      else if (x == "*" || x == "/" || x == "%")
        o.precedence = kMultiply;
      else if (x == "+" || x == "-")
        o.precedence = kAdd;
      else if (x == "&" || x == "|" || x == "<<" || x == ">>")
        o.precedence = kBits;
      else if (x == "<" || x == ">" || x == "<=" || x == ">=")
        o.precedence = kCompare;
      else if (x == "=" || x == "==" || x == "!=" || x == "<>")
        o.precedence = kEquality;
      return o;
    }
    if (k.kind != TokenKind::keyword) return o;
    std::size_t j = i;
    if (k.is_keyword("NOT") && j + 1 < end) ++j;  // NOT LIKE, NOT IN, NOT BETWEEN, NOT NULL
    const Token& w = t_[j];
    o.end = j + 1;
    if (w.is_keyword("OR") && j == i) {
      o.precedence = kOr;
    } else if (w.is_keyword("AND") && j == i) {
      o.precedence = between > 0 ? kEquality : kAnd;
      o.strict = between > 0;
    } else if (w.is_keyword("IS") && j == i) {
      o.precedence = kEquality;
      if (next_is(o.end, "NOT")) ++o.end;
      if (next_is(o.end, "DISTINCT") && next_is(o.end + 1, "FROM")) o.end += 2;
    } else if (keyword_among(w, {"LIKE", "GLOB", "REGEXP", "MATCH"})) {
      o.precedence = kEquality;
    } else if (w.is_keyword("IN")) {
      o.precedence = kEquality;
      o.list_follows = true;
    } else if (w.is_keyword("BETWEEN")) {
      o.precedence = kEquality;
      o.opens_between = true;
      o.strict = true;
    } else if ((w.is_keyword("ISNULL") || w.is_keyword("NOTNULL")) && j == i) {
      o.precedence = kEquality;
      o.postfix = true;
    } else if (w.is_keyword("NULL") && j == i + 1) {
      o.precedence = kEquality;  // postfix NOT NULL (rewritten before, kept for safety)
      o.postfix = true;
    } else if (w.is_keyword("ESCAPE") && j == i) {
      o.precedence = kEscape;
      o.strict = true;
    } else if (w.is_keyword("COLLATE") && j == i) {
      o.precedence = kCollate;
      o.postfix = true;
      o.end = j + 2;  // its name
    }
    return o;
  }

  // What binds to the right of a group that closes just before `i`.
  int right_of(std::size_t i, std::size_t end, const State& s, bool* strict) const {
    *strict = false;
    if (i >= end) return kDelimited;
    const Token& k = t_[i];
    if (k.is_op(")") || k.is_op(",") || k.is_op(";")) return kDelimited;
    Operator o = op_at(i, end, s.between);
    if (o.precedence != kDelimited) {
      *strict = o.strict;
      return o.precedence;
    }
    if (k.kind == TokenKind::keyword || k.kind == TokenKind::identifier) return kDelimited;
    return kUnknown;
  }

  static bool removable(int inner, int left, bool left_strict, int right, bool right_strict) {
    if (inner == kUnknown || left == kUnknown || right == kUnknown) return inner == kPrimary;
    if (inner == kPrimary) return true;
    // Prefix operators of one strength nest: NOT (NOT a), - (-a).
    bool left_ok =
        inner > left || (inner == left && !left_strict && (left == kNot || left == kUnary));
    bool right_ok = inner > right || (inner == right && !right_strict);
    return left_ok && right_ok;
  }

  bool starts_subquery(Span inner) const {
    return !inner.empty() && keyword_among(t_[inner.begin], {"SELECT", "VALUES", "WITH"});
  }

  bool has_top_comma(Span inner) const {
    return find_top_level(t_, inner, [](const Token& k) { return k.is_op(","); }) != inner.end;
  }

  // A '(' in operand position: a subquery, a row value, or a group that may lose its
  // parentheses.
  void group(std::size_t open, std::size_t close, const State& s, bool search) {
    Span inner{open + 1, close};
    if (starts_subquery(inner) || has_top_comma(inner)) {
      if (search) walk(inner, true, nullptr);
      return;
    }
    if (!search) return;
    bool right_strict = false;
    int right = right_of(close + 1, end_, s, &right_strict);
    Summary content;
    walk(inner, false, &content);
    int lowest = content.plain && content.operands > 0 ? content.lowest : kUnknown;
    if (removable(lowest, s.left, s.left_strict, right, right_strict)) {
      found_ = open;
      return;
    }
    walk(inner, true, nullptr);
  }

  std::size_t matching_end(std::size_t i, std::size_t end) const {
    int depth = 0;
    for (std::size_t j = i; j < end; ++j) {
      if (t_[j].is_op("(")) {
        j = matching_paren(t_, j);
      } else if (t_[j].is_keyword("CASE")) {
        ++depth;
      } else if (t_[j].is_keyword("END") && --depth == 0) {
        return j;
      }
    }
    return end;
  }

  // Walks `span`; `search`: look for removable groups (found_); else fill `sum` with the
  // span's lowest operator, counting operands.
  void walk(Span span, bool search, Summary* sum) {
    std::size_t saved_end = end_;
    end_ = span.end;
    State s;
    reset(s, nullptr);
    s.values = false;
    s.allow_group = true;
    auto note = [&](int p) {
      if (sum) sum->lowest = std::min(sum->lowest, p);
    };
    auto not_plain = [&] {
      if (sum) sum->plain = false;
    };
    for (std::size_t i = span.begin; i < span.end && found_ == npos;) {
      const Token& k = t_[i];
      if (k.is_op("(")) {
        std::size_t close = matching_paren(t_, i);
        if (s.expect_operand && s.allow_group && !s.unknown && !s.values) {
          group(i, close, s, search);
          if (sum) ++sum->operands;
        } else {
          if (!(s.expect_operand && s.list_next)) not_plain();  // only IN (...) is part of one
          if (search) walk(Span{i + 1, close}, true, nullptr);
        }
        s.expect_operand = false;
        s.allow_group = true;
        s.list_next = false;
        i = close + 1;
        continue;
      }
      if (k.is_op(",") || k.is_op(";")) {
        not_plain();
        reset(s, nullptr);
        ++i;
        continue;
      }
      if (s.expect_operand) {
        i = operand(i, span, s, search, sum, note, not_plain);
        continue;
      }
      Operator o = op_at(i, span.end, s.between);
      if (o.precedence != kDelimited) {
        note(o.precedence);
        if (o.opens_between) ++s.between;
        if (k.is_keyword("AND") && s.between > 0) --s.between;
        if (!o.postfix) {
          s.expect_operand = true;
          s.left = o.precedence;
          s.left_strict = o.strict;
          s.allow_group = !o.list_follows;
          s.list_next = o.list_follows;
        }
        i = o.end;
        continue;
      }
      not_plain();
      reset(s, k.kind == TokenKind::keyword ? &k : nullptr);
      if (k.kind != TokenKind::keyword) s.unknown = k.kind != TokenKind::identifier;
      ++i;
    }
    end_ = saved_end;
  }

  // One token (or construct) where an operand is expected; returns where to go on.
  template <class Note, class NotPlain>
  std::size_t operand(std::size_t i, Span span, State& s, bool search, Summary* sum, Note note,
                      NotPlain not_plain) {
    const Token& k = t_[i];
    auto done = [&](std::size_t next) {
      s.expect_operand = false;
      s.list_next = false;
      if (sum) ++sum->operands;
      return next;
    };
    if (k.is_op("-") || k.is_op("+") || k.is_op("~")) {
      note(kUnary);
      s.left = kUnary;
      s.left_strict = false;
      s.allow_group = true;
      return i + 1;
    }
    if (k.is_keyword("NOT")) {
      note(kNot);
      s.left = kNot;
      s.left_strict = false;
      s.allow_group = true;
      return i + 1;
    }
    if (k.is_keyword("EXISTS")) {
      s.allow_group = true;
      return i + 1;
    }
    if (k.is_keyword("CASE")) {
      std::size_t end = matching_end(i, span.end);
      if (search && end < span.end) walk(Span{i + 1, end}, true, nullptr);
      return done(end + 1);
    }
    bool call_keyword = keyword_among(k, {"CAST", "RAISE", "REPLACE", "LIKE", "GLOB"}) &&
                        i + 1 < span.end && t_[i + 1].is_op("(");
    bool value = k.kind == TokenKind::identifier || k.kind == TokenKind::quoted_identifier ||
                 k.kind == TokenKind::string || k.kind == TokenKind::blob ||
                 k.kind == TokenKind::number || k.kind == TokenKind::variable || value_keyword(k) ||
                 k.is_op("*");
    if (call_keyword || value) {
      std::size_t j = i + 1;
      while (j + 1 < span.end && t_[j].is_op(".")) j += 2;  // schema.table.column, t.*
      if (j < span.end && t_[j].is_op("(") &&
          (call_keyword || k.kind == TokenKind::identifier ||
           k.kind == TokenKind::quoted_identifier)) {
        std::size_t close = matching_paren(t_, j);
        if (search) walk(Span{j + 1, close}, true, nullptr);
        j = close + 1;
      }
      return done(j);
    }
    not_plain();
    if (k.kind == TokenKind::keyword) {
      reset(s, &k);
    } else {
      s.unknown = true;
    }
    return i + 1;
  }

  const Tokens& t_;
  std::size_t found_ = npos;
  std::size_t end_ = 0;
};

void drop_redundant_parens(Tokens& t) {
  for (std::size_t open; (open = ParenWalker(t).find()) != static_cast<std::size_t>(-1);) {
    std::size_t close = matching_paren(t, open);
    t.erase(t.begin() + static_cast<long>(close));
    t.erase(t.begin() + static_cast<long>(open));
  }
}

}  // namespace

std::string_view affinity(std::string_view declared) {
  const std::string u = upper(declared);
  auto has = [&](const char* s) { return u.find(s) != std::string::npos; };
  if (has("INT")) return "INTEGER";
  if (has("CHAR") || has("CLOB") || has("TEXT")) return "TEXT";
  bool blank = std::all_of(u.begin(), u.end(),
                           [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  if (has("BLOB") || blank) return "BLOB";
  if (has("REAL") || has("FLOA") || has("DOUB")) return "REAL";
  return "NUMERIC";
}

Tokens read_as_sqlite(const Tokens& all, Span span, const NameScope& scope) {
  Tokens t(all.begin() + static_cast<long>(span.begin), all.begin() + static_cast<long>(span.end));
  while (!t.empty() && t.back().is_op(";")) t.pop_back();
  rewrite_distinct_from(t);
  resolve_names(t, scope);
  rewrite_synonyms(t);
  drop_redundant_parens(t);
  return t;
}

}  // namespace migtest::detail::sqlite
