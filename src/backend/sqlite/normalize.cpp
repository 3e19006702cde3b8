#include "backend/sqlite/normalize.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "migtest/error.hpp"
#include "strings.hpp"

namespace migtest::detail::sqlite {

bool same_name(std::string_view a, std::string_view b) { return iequals(a, b); }

std::string identifier_text(std::string_view name) {
  bool plain =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
      std::all_of(name.begin(), name.end(),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  return plain && !is_keyword(name) ? std::string(name) : quote_ident(name);
}

std::string canonical_collation(std::string_view name) {
  std::string u = upper(name);
  return u == "BINARY" ? std::string() : u;
}

namespace {

// Keywords that name functions: no space before their "(" (replace(x, 'a', 'b')).
bool keyword_function(const Token& k) {
  static constexpr std::array<std::string_view, 5> kCalls = {"CAST", "RAISE", "REPLACE", "GLOB",
                                                             "LIKE"};
  return k.kind == TokenKind::keyword &&
         std::find(kCalls.begin(), kCalls.end(), k.value) != kCalls.end();
}

// Keywords that end an operand, so a "-" after them subtracts.
bool value_keyword(const Token& k) {
  return k.is_keyword("NULL") || k.is_keyword("CURRENT_DATE") || k.is_keyword("CURRENT_TIME") ||
         k.is_keyword("CURRENT_TIMESTAMP") || k.is_keyword("END");
}

bool is_unary_sign(const Tokens& t, std::size_t i, std::size_t begin) {
  if (t[i].is_op("~")) return true;
  if (!t[i].is_op("-") && !t[i].is_op("+")) return false;
  if (i == begin) return true;
  const Token& before = t[i - 1];
  if (before.kind == TokenKind::op) return !before.is_op(")");
  if (before.kind == TokenKind::keyword) return !value_keyword(before);
  return false;
}

std::string spell(const Tokens& t, std::size_t i, std::size_t begin) {
  const Token& k = t[i];
  bool after_collate = i > begin && t[i - 1].is_keyword("COLLATE");
  switch (k.kind) {
    case TokenKind::keyword:
      return after_collate ? upper(k.text) : k.value;
    case TokenKind::identifier:
      // Collation names are case-insensitive and name no schema object.
      return identifier_text(after_collate ? upper(k.value) : k.value);
    case TokenKind::quoted_identifier:  // a double-quoted word of unknown role: as written
      return quote_ident(k.value);
    case TokenKind::string:
      return quote_literal(k.value);
    case TokenKind::blob:
      return "X'" + upper(k.value) + "'";
    case TokenKind::number:
      return lower(k.text);
    case TokenKind::variable:
    case TokenKind::op:
      return k.text;
  }
  return k.text;
}

bool space_before(const Tokens& t, std::size_t i, std::size_t begin) {
  const Token& cur = t[i];
  const Token& prev = t[i - 1];
  if (cur.is_op(")") || cur.is_op(",") || cur.is_op(";") || cur.is_op(".")) return false;
  if (prev.is_op("(") || prev.is_op(".")) return false;
  if (cur.is_op("(") && (prev.kind == TokenKind::identifier ||
                         prev.kind == TokenKind::quoted_identifier || keyword_function(prev))) {
    return false;
  }
  if (is_unary_sign(t, i - 1, begin)) return false;
  return true;
}

Span strip_semicolons(const Tokens& t, Span s) {
  while (!s.empty() && t[s.end - 1].is_op(";")) --s.end;
  return s;
}

std::string join_tokens(const Tokens& t) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::string word = spell(t, i, 0);
    if (i > 0) {
      bool space = space_before(t, i, 0);
      // Never glue "-" to "-" (a comment) or "/" to "*" (a comment).
      if (!space && !out.empty() &&
          ((out.back() == '-' && word.front() == '-') ||
           (out.back() == '/' && word.front() == '*'))) {
        space = true;
      }
      if (space) out += ' ';
    }
    out += word;
  }
  return out;
}

Token keyword(std::string_view word) {
  Token k;
  k.kind = TokenKind::keyword;
  k.text = k.value = std::string(word);
  return k;
}

// CREATE TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER|INSTEAD OF] event ON table
// [FOR EACH ROW] ...: the optional words written one way.
void canonical_trigger_header(Tokens& w) {
  std::size_t k = 1;
  if (k < w.size() && (w[k].is_keyword("TEMP") || w[k].is_keyword("TEMPORARY"))) {
    w[k] = keyword("TEMP");
    ++k;
  }
  ++k;  // TRIGGER
  if (k + 2 < w.size() && w[k].is_keyword("IF") && w[k + 1].is_keyword("NOT") &&
      w[k + 2].is_keyword("EXISTS")) {
    w.erase(w.begin() + static_cast<long>(k), w.begin() + static_cast<long>(k) + 3);
  }
  ++k;  // the name
  if (k + 1 < w.size() && w[k].is_op(".")) k += 2;
  if (k >= w.size()) return;
  if (!w[k].is_keyword("BEFORE") && !w[k].is_keyword("AFTER") && !w[k].is_keyword("INSTEAD")) {
    w.insert(w.begin() + static_cast<long>(k), keyword("BEFORE"));
  }
  std::size_t on = k;
  while (on < w.size() && !w[on].is_keyword("ON")) ++on;
  std::size_t f = on + 2;  // after the table
  if (f + 2 < w.size() && w[f].is_keyword("FOR") && w[f + 1].is_keyword("EACH") &&
      w[f + 2].is_keyword("ROW")) {
    w.erase(w.begin() + static_cast<long>(f), w.begin() + static_cast<long>(f) + 3);
  }
}

}  // namespace

std::string canonical_sql(const Tokens& t, Span span, const NameScope& scope) {
  return join_tokens(read_as_sqlite(t, span, scope));
}

std::string canonical_sql(std::string_view sql, const NameScope& scope) {
  Tokens t = tokenize(sql);
  return canonical_sql(t, Span{0, t.size()}, scope);
}

std::string canonical_expression(const Tokens& t, Span span, const NameScope& scope) {
  return canonical_sql(t, span, scope);
}

std::string canonical_expression(std::string_view sql, const NameScope& scope) {
  return canonical_sql(sql, scope);
}

std::string canonical_trigger(std::string_view sql, const NameScope& scope) {
  Tokens t = tokenize(sql);
  Tokens w = read_as_sqlite(t, Span{0, t.size()}, scope);
  canonical_trigger_header(w);
  return join_tokens(w);
}

std::set<std::string> table_scope(const std::vector<std::string>& columns) {
  std::set<std::string> out = {"rowid", "oid", "_rowid_"};
  for (const auto& c : columns) out.insert(lower(c));
  return out;
}

std::optional<std::string> canonical_default(std::string_view sql) {
  Tokens t = tokenize(sql);
  Span s = strip_semicolons(t, Span{0, t.size()});
  // Lone words first: SQLite reads `DEFAULT abc` and `DEFAULT "abc"` as the string.
  while (s.size() >= 2 && t[s.begin].is_op("(") && matching_paren(t, s.begin) == s.end - 1) {
    ++s.begin;
    --s.end;
  }
  if (s.empty()) return std::nullopt;
  const Token& first = t[s.begin];
  if (s.size() == 1) {
    if (first.kind == TokenKind::identifier) {
      std::string l = lower(first.text);
      if (l == "true") return "1";
      if (l == "false") return "0";
      return quote_literal(first.text);
    }
    if (first.kind == TokenKind::quoted_identifier) return quote_literal(first.value);
  }
  static const std::set<std::string> none;
  Tokens w = read_as_sqlite(t, s, NameScope{&none, true});
  if (w.size() == 1 && w[0].is_keyword("NULL")) return std::nullopt;
  if (w.size() == 2 && w[0].is_op("+") && w[1].kind == TokenKind::number) w.erase(w.begin());
  return join_tokens(w);
}

std::string canonical_type(std::string_view declared) {
  Tokens t;
  try {
    t = tokenize(declared);
  } catch (const parse_error&) {
    // Not SQL-shaped (SQLite takes almost anything as a type name): case and spaces only.
    std::string out;
    for (char c : lower(declared)) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!out.empty() && out.back() != ' ') out += ' ';
      } else {
        out += c;
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
  std::string out;
  bool prev_word = false;
  for (const Token& k : t) {
    bool name = k.kind == TokenKind::keyword || k.kind == TokenKind::identifier ||
                k.kind == TokenKind::quoted_identifier || k.kind == TokenKind::string;
    bool word = name || k.kind == TokenKind::number;
    std::string text = name ? lower(k.name()) : lower(k.text);
    if (word && prev_word) out += ' ';
    out += text;
    prev_word = word;
  }
  return out;
}

std::string type_key(std::string_view canonical, bool strict, bool rowid_alias) {
  if (rowid_alias) return "rowid";
  std::string l = lower(canonical);
  if (strict) return l == "int" ? "integer" : l;
  std::string a = lower(affinity(canonical));
  if (a != "numeric") return a;
  return "numeric " + l.substr(0, l.find('('));
}

void canonical_order(Schema& s) { s.sort(); }

namespace {
template <class Cache, class Key, class Make>
const typename Cache::mapped_type& remembered(Cache& cache, const Key& key, Make make) {
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make()).first;
  return it->second;
}
}  // namespace

const std::string& CanonicalCache::type(const std::string& declared) {
  return remembered(types_, declared, [&] { return canonical_type(declared); });
}

const std::optional<std::string>& CanonicalCache::default_value(const std::string& sql) {
  return remembered(defaults_, sql, [&] { return canonical_default(sql); });
}

const std::string& CanonicalCache::key(const std::string& canonical, bool strict,
                                       bool rowid_alias) {
  return remembered(keys_, std::make_tuple(canonical, strict, rowid_alias),
                    [&] { return type_key(canonical, strict, rowid_alias); });
}

}  // namespace migtest::detail::sqlite
