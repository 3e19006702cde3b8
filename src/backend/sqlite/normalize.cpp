#include "backend/sqlite/normalize.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "migtest/error.hpp"

namespace migtest::detail::sqlite {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower(a) == lower(b);
}

std::string identifier_text(std::string_view name) {
  bool plain = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
               });
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
    case TokenKind::quoted_identifier: {
      std::string name = k.name();
      // Collation and function names are case-insensitive and name no schema object.
      if (after_collate) name = upper(name);
      else if (i + 1 < t.size() && t[i + 1].is_op("(")) name = lower(name);
      return k.kind == TokenKind::identifier && !after_collate ? name : identifier_text(name);
    }
    case TokenKind::string:
      return quote_literal(k.value);
    case TokenKind::blob:
      return "X'" + upper(k.value) + "'";
    case TokenKind::number:
      return lower(k.text);
    case TokenKind::variable:
      return k.text;
    case TokenKind::op:
      if (k.text == "==") return "=";
      if (k.text == "<>") return "!=";
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

Span strip_parens(const Tokens& t, Span s) {
  while (s.size() >= 2 && t[s.begin].is_op("(") && matching_paren(t, s.begin) == s.end - 1) {
    ++s.begin;
    --s.end;
  }
  return s;
}

Span strip_semicolons(const Tokens& t, Span s) {
  while (!s.empty() && t[s.end - 1].is_op(";")) --s.end;
  return s;
}

}  // namespace

std::string canonical_sql(const Tokens& t, Span span) {
  std::string out;
  for (std::size_t i = span.begin; i < span.end; ++i) {
    std::string word = spell(t, i, span.begin);
    if (i > span.begin) {
      bool space = space_before(t, i, span.begin);
      // Never glue "-" to "-" (a comment) or "/" to "*" (a comment).
      if (!space && !out.empty() && ((out.back() == '-' && word.front() == '-') ||
                                     (out.back() == '/' && word.front() == '*'))) {
        space = true;
      }
      if (space) out += ' ';
    }
    out += word;
  }
  return out;
}

std::string canonical_sql(std::string_view sql) {
  Tokens t = tokenize(sql);
  return canonical_sql(t, strip_semicolons(t, Span{0, t.size()}));
}

std::string canonical_expression(const Tokens& t, Span span) {
  return canonical_sql(t, strip_parens(t, strip_semicolons(t, span)));
}

std::string canonical_expression(std::string_view sql) {
  Tokens t = tokenize(sql);
  return canonical_expression(t, Span{0, t.size()});
}

std::string canonical_trigger(std::string_view sql) {
  Tokens t = tokenize(sql);
  Span all = strip_semicolons(t, Span{0, t.size()});
  // CREATE [TEMP] TRIGGER IF NOT EXISTS name ...
  std::size_t k = 1;
  if (k < all.end && (t[k].is_keyword("TEMP") || t[k].is_keyword("TEMPORARY"))) ++k;
  ++k;  // TRIGGER
  if (k + 2 < all.end && t[k].is_keyword("IF") && t[k + 1].is_keyword("NOT") &&
      t[k + 2].is_keyword("EXISTS")) {
    return canonical_sql(t, Span{0, k}) + " " + canonical_sql(t, Span{k + 3, all.end});
  }
  return canonical_sql(t, all);
}

std::optional<std::string> canonical_default(std::string_view sql) {
  Tokens t = tokenize(sql);
  Span s = strip_parens(t, strip_semicolons(t, Span{0, t.size()}));
  if (s.empty()) return std::nullopt;
  const Token& first = t[s.begin];
  if (s.size() == 1) {
    if (first.is_keyword("NULL")) return std::nullopt;
    if (first.kind == TokenKind::identifier) {
      std::string l = lower(first.text);
      if (l == "true") return "1";
      if (l == "false") return "0";
      return quote_literal(first.text);  // SQLite reads DEFAULT abc as the string 'abc'
    }
    if (first.kind == TokenKind::quoted_identifier) return quote_literal(first.value);
  }
  if (s.size() == 2 && first.is_op("+") && t[s.begin + 1].kind == TokenKind::number) {
    return lower(t[s.begin + 1].text);
  }
  return canonical_sql(t, s);
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

void canonical_order(Schema& s) { s.sort(); }

}  // namespace migtest::detail::sqlite
