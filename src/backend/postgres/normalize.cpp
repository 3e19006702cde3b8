// PostgreSQL canonical forms. The server deparses stored expressions with every cast and
// parenthesis spelled out ("((length((title)::text) > 0))"); people write "length(title) > 0".
// Both go through one tokenizer and one precedence parser here and are printed back with
// the minimal parentheses, without casts, so equal expressions give equal text.
#include "backend/postgres/normalize.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <utility>

#include "sql_quote.hpp"

namespace migtest::detail::pg {

namespace {

// ---------------------------------------------------------------------------
// Keywords

// PostgreSQL 15 keywords that are not UNRESERVED (pg_get_keywords() catcode R, C, T):
// quote_identifier quotes these.
const std::set<std::string, std::less<>>& quoted_keywords() {
  static const std::set<std::string, std::less<>> k{
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
      "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
      "char", "character", "check", "coalesce", "collate", "collation", "column",
      "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
      "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
      "dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end",
      "except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze",
      "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in",
      "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
      "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
      "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull",
      "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
      "overlaps", "overlay", "placing", "position", "precision", "primary", "real",
      "references", "returning", "right", "row", "select", "session_user", "setof", "similar",
      "smallint", "some", "substring", "symmetric", "table", "tablesample", "then", "time",
      "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user",
      "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
      "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
      "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
  return k;
}

// Reserved (R) and type/function-name (T) keywords: never a bare alias.
const std::set<std::string, std::less<>>& no_bare_alias() {
  static const std::set<std::string, std::less<>> k{
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both",
      "case", "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
      "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially",
      "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
      "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
      "returning", "select", "session_user", "some", "symmetric", "table", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
      "window", "with", "authorization", "binary", "collation", "concurrently", "cross",
      "current_schema", "freeze", "full", "ilike", "inner", "is", "isnull", "join", "left",
      "like", "natural", "notnull", "outer", "overlaps", "right", "similar", "tablesample",
      "verbose"};
  return k;
}

// ---------------------------------------------------------------------------
// Tokens

struct parse_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Tok { end, word, qword, string, bits, number, op, lparen, rparen, lbracket, rbracket,
                 comma, semicolon, dot, cast, colon, param };

struct Token {
  Tok kind = Tok::end;
  std::string text;  // word: as written; qword: unescaped; string: value; others: as written
};

bool is_op_char(char c) {
  return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}
bool is_ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto at = [&](std::size_t k) -> char { return k < n ? s[k] : '\0'; };
  // A '...' string from position `i` (at the opening quote); backslash escapes when `e`.
  auto read_string = [&](bool e) {
    std::string v;
    ++i;
    for (;;) {
      if (i >= n) throw parse_failure("unterminated string");
      char c = s[i];
      if (c == '\'') {
        if (at(i + 1) == '\'') {
          v += '\'';
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      if (e && c == '\\') {
        char d = at(i + 1);
        i += 2;
        switch (d) {
          case 'b': v += '\b'; break;
          case 'f': v += '\f'; break;
          case 'n': v += '\n'; break;
          case 'r': v += '\r'; break;
          case 't': v += '\t'; break;
          case 'x': {
            unsigned long cp = 0;
            int k = 0;
            while (k < 2 && std::isxdigit(static_cast<unsigned char>(at(i)))) {
              cp = cp * 16 + std::stoul(std::string(1, s[i]), nullptr, 16);
              ++i, ++k;
            }
            v += static_cast<char>(cp);
            break;
          }
          case 'u':
          case 'U': {
            int len = d == 'u' ? 4 : 8;
            unsigned long cp = 0;
            for (int k = 0; k < len && std::isxdigit(static_cast<unsigned char>(at(i))); ++k, ++i)
              cp = cp * 16 + std::stoul(std::string(1, s[i]), nullptr, 16);
            append_utf8(v, cp);
            break;
          }
          default:
            if (d >= '0' && d <= '7') {
              unsigned long cp = static_cast<unsigned long>(d - '0');
              for (int k = 0; k < 2 && at(i) >= '0' && at(i) <= '7'; ++k, ++i)
                cp = cp * 8 + static_cast<unsigned long>(s[i] - '0');
              v += static_cast<char>(cp);
            } else {
              v += d;
            }
        }
        continue;
      }
      v += c;
      ++i;
    }
    return v;
  };
  while (i < n) {
    char c = s[i];
    auto uc = static_cast<unsigned char>(c);
    if (std::isspace(uc)) {
      ++i;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      int depth = 0;
      do {
        if (i >= n) throw parse_failure("unterminated comment");
        if (s[i] == '/' && at(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && at(i + 1) == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0);
      continue;
    }
    if (c == '\'') {
      out.push_back({Tok::string, read_string(false)});
      continue;
    }
    if ((c == 'e' || c == 'E') && at(i + 1) == '\'') {
      ++i;
      out.push_back({Tok::string, read_string(true)});
      continue;
    }
    if ((c == 'n' || c == 'N') && at(i + 1) == '\'') {
      ++i;
      out.push_back({Tok::string, read_string(false)});
      continue;
    }
    if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && at(i + 1) == '\'') {
      char prefix = static_cast<char>(std::toupper(uc));
      ++i;
      out.push_back({Tok::bits, std::string(1, prefix) + "'" + read_string(false) + "'"});
      continue;
    }
    if (c == '"') {
      std::string v;
      ++i;
      for (;;) {
        if (i >= n) throw parse_failure("unterminated quoted identifier");
        if (s[i] == '"') {
          if (at(i + 1) == '"') {
            v += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        v += s[i++];
      }
      out.push_back({Tok::qword, v});
      continue;
    }
    if (c == '$') {
      if (std::isdigit(static_cast<unsigned char>(at(i + 1)))) {
        std::size_t j = i + 1;
        while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        out.push_back({Tok::param, std::string(s.substr(i, j - i))});
        i = j;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && is_ident_char(static_cast<unsigned char>(s[j])) && s[j] != '$') ++j;
      if (at(j) == '$') {
        std::string tag(s.substr(i, j - i + 1));
        auto end = s.find(tag, j + 1);
        if (end == std::string_view::npos) throw parse_failure("unterminated dollar quote");
        out.push_back({Tok::string, std::string(s.substr(j + 1, end - j - 1))});
        i = end + tag.size();
        continue;
      }
      throw parse_failure("stray $");
    }
    if (std::isdigit(uc) || (c == '.' && std::isdigit(static_cast<unsigned char>(at(i + 1))))) {
      std::size_t j = i;
      while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (at(j) == '.' && at(j + 1) != '.') {
        ++j;
        while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      if ((at(j) == 'e' || at(j) == 'E') &&
          (std::isdigit(static_cast<unsigned char>(at(j + 1))) ||
           ((at(j + 1) == '+' || at(j + 1) == '-') &&
            std::isdigit(static_cast<unsigned char>(at(j + 2)))))) {
        j += 2;
        while (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      out.push_back({Tok::number, lower(s.substr(i, j - i))});
      i = j;
      continue;
    }
    if (is_ident_start(uc)) {
      std::size_t j = i;
      while (j < n && is_ident_char(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Tok::word, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    if (c == ':' && at(i + 1) == ':') {
      out.push_back({Tok::cast, "::"});
      i += 2;
      continue;
    }
    switch (c) {
      case '(': out.push_back({Tok::lparen, "("}); ++i; continue;
      case ')': out.push_back({Tok::rparen, ")"}); ++i; continue;
      case '[': out.push_back({Tok::lbracket, "["}); ++i; continue;
      case ']': out.push_back({Tok::rbracket, "]"}); ++i; continue;
      case ',': out.push_back({Tok::comma, ","}); ++i; continue;
      case ';': out.push_back({Tok::semicolon, ";"}); ++i; continue;
      case '.': out.push_back({Tok::dot, "."}); ++i; continue;
      case ':': out.push_back({Tok::colon, ":"}); ++i; continue;
      default: break;
    }
    if (is_op_char(c)) {
      std::size_t j = i;
      while (j < n && is_op_char(s[j])) {
        if (j > i && ((s[j] == '-' && at(j + 1) == '-') || (s[j] == '/' && at(j + 1) == '*')))
          break;
        ++j;
      }
      std::string op(s.substr(i, j - i));
      // PostgreSQL's lexer: a multi-character operator ends in + or - only when it holds
      // one of ~!@#%^&|`?, so "<-" followed by 5 is "<" and "-5".
      if (op.size() > 1 && op.find_first_of("~!@#%^&|`?") == std::string::npos) {
        while (op.size() > 1 && (op.back() == '+' || op.back() == '-')) op.pop_back();
      }
      out.push_back({Tok::op, op});
      i += op.size();
      continue;
    }
    throw parse_failure(std::string("unexpected character '") + c + "'");
  }
  out.push_back({Tok::end, ""});
  return out;
}

// A string literal holding a plain decimal number prints as that number: the server keeps
// -1 as '-1'::integer and turns a default '5' on an integer column into 5.
bool is_plain_number(std::string_view v) {
  std::size_t i = 0;
  if (i < v.size() && v[i] == '-') ++i;
  std::size_t digits = i;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  if (i == digits) return false;
  if (v[digits] == '0' && i - digits > 1) return false;
  if (i < v.size() && v[i] == '.') {
    ++i;
    std::size_t frac = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    if (i == frac) return false;
  }
  return i == v.size();
}

// The server keeps 1.5e3 as the numeric 1500: exponents written out, the scale PostgreSQL's
// numeric input gives (digits after the point minus the exponent, at least 0).
std::string plain_decimal(std::string number) {
  if (!number.empty() && number[0] == '.') number.insert(number.begin(), '0');  // .5 is 0.5
  if (number.size() > 1 && number.back() == '.') number.pop_back();             // 5. is 5
  auto e = number.find_first_of("eE");
  if (e == std::string::npos) return number;
  std::string mantissa = number.substr(0, e);
  long exponent = std::strtol(number.c_str() + e + 1, nullptr, 10);
  if (exponent > 1000 || exponent < -1000) return number;
  auto dot = mantissa.find('.');
  std::string digits = mantissa;
  long point = static_cast<long>(mantissa.size());
  long scale = 0;
  if (dot != std::string::npos) {
    digits = mantissa.substr(0, dot) + mantissa.substr(dot + 1);
    point = static_cast<long>(dot);
    scale = static_cast<long>(mantissa.size() - dot - 1);
  }
  scale = std::max(0L, scale - exponent);
  point += exponent;
  while (point <= 0) {
    digits.insert(digits.begin(), '0');
    ++point;
  }
  while (static_cast<long>(digits.size()) < point + scale) digits += '0';
  std::string whole = digits.substr(0, static_cast<std::size_t>(point));
  std::string frac = digits.substr(static_cast<std::size_t>(point), static_cast<std::size_t>(scale));
  while (whole.size() > 1 && whole[0] == '0') whole.erase(whole.begin());
  return frac.empty() ? whole : whole + "." + frac;
}

// ---------------------------------------------------------------------------
// Types

// The type's internal name, as FigureColname sees it after "::type" ("int4" for integer).
std::string internal_type_name(const std::string& canonical) {
  std::string base = canonical;
  if (auto p = base.find('['); p != std::string::npos) base = base.substr(0, p);
  if (auto p = base.find('('); p != std::string::npos) {
    auto close = base.find(')', p);
    base = base.substr(0, p) + (close == std::string::npos ? "" : base.substr(close + 1));
  }
  static const std::map<std::string, std::string> m{
      {"integer", "int4"}, {"bigint", "int8"}, {"smallint", "int2"}, {"boolean", "bool"},
      {"real", "float4"}, {"double precision", "float8"}, {"character varying", "varchar"},
      {"character", "bpchar"}, {"timestamp without time zone", "timestamp"},
      {"timestamp with time zone", "timestamptz"}, {"time without time zone", "time"},
      {"time with time zone", "timetz"}, {"bit varying", "varbit"}};
  if (auto it = m.find(base); it != m.end()) return it->second;
  auto dot = base.rfind('.');
  std::string last = dot == std::string::npos ? base : base.substr(dot + 1);
  if (last.size() >= 2 && last.front() == '"' && last.back() == '"')
    last = last.substr(1, last.size() - 2);
  return last;
}

// ---------------------------------------------------------------------------
// Expressions

enum Prec {
  P_OR = 1, P_AND, P_NOT, P_IS, P_CMP, P_LIKE, P_OP, P_ADD, P_MUL, P_EXP, P_AT, P_COLLATE,
  P_UNARY, P_CAST, P_SUB, P_PRIMARY
};

struct Node {
  enum class K {
    column, star, literal, number, bits, keyword, call, special, cast, binary, prefix, postfix,
    in_list, in_subquery, quantified, case_, array, row, subquery, exists, array_subquery,
    subscript, field, collate, param, raw
  };
  K k = K::raw;
  std::string s;                  // name, value, keyword or operator
  std::vector<std::string> qual;  // qualifiers of a star or a function name
  std::vector<Node> kids;
  std::string type;   // cast: canonical type
  bool flag = false;  // in_list / in_subquery: NOT; call: DISTINCT; quantified: ALL
  std::string inner;  // call: " ORDER BY ..." inside the parentheses
  std::string after;  // call: " WITHIN GROUP (...)", " FILTER (...)", " OVER ..."
  std::string name;   // subquery: its first output name
  int prec = P_PRIMARY;
};

Node make(Node::K k, std::string s = {}, int prec = P_PRIMARY) {
  Node n;
  n.k = k;
  n.s = std::move(s);
  n.prec = prec;
  return n;
}

// B'101' and X'1F' are bit strings the server prints as '101'::"bit" and '00011111'::"bit".
Node bit_literal(const std::string& token) {
  std::string body = token.substr(2, token.size() - 3);
  if (token[0] == 'B') return make(Node::K::literal, body);
  std::string bits;
  for (char h : body) {
    int v = std::isdigit(static_cast<unsigned char>(h)) ? h - '0'
                                                        : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10;
    for (int b = 3; b >= 0; --b) bits += (v >> b) & 1 ? '1' : '0';
  }
  return make(Node::K::literal, bits);
}

Node binary(std::string op, Node l, Node r, int prec) {
  Node n = make(Node::K::binary, std::move(op), prec);
  n.kids.push_back(std::move(l));
  n.kids.push_back(std::move(r));
  return n;
}

bool is_and_or(const Node& n) {
  return n.k == Node::K::binary && (n.s == "AND" || n.s == "OR");
}

// Casts print as their operand, so a node's printed precedence is that of what is left.
const Node& strip(const Node& n) {
  const Node* p = &n;
  while (p->k == Node::K::cast) p = &p->kids[0];
  return *p;
}

std::string print(const Node& n);

// The FROM clause a column reference is printed in. The server (PostgreSQL 15) qualifies
// every column of a view ("post.id"), people qualify only where a join needs it: a column
// is printed bare when the FROM has one entry and it names that entry, qualified with its
// table or alias when the FROM has several (unqualified ones are looked up through the
// column resolver), and bare outside any FROM (CHECK, index and default expressions).
struct Scope {
  struct Entry {
    std::string ref;  // alias, else table name
    std::optional<std::vector<std::string>> columns;
  };
  std::vector<Entry> entries;
  std::set<std::string> using_columns;  // merged by JOIN ... USING: printed with the left table
};
thread_local const Scope* current_scope = nullptr;

class ScopeGuard {
 public:
  explicit ScopeGuard(const Scope* s) : saved_(current_scope) { current_scope = s; }
  ~ScopeGuard() { current_scope = saved_; }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  const Scope* saved_;
};

std::string print_column(const std::vector<std::string>& qual, const std::string& name) {
  const Scope* sc = current_scope;
  std::string bare = quote_ident_if_needed(name);
  if (!sc || sc->entries.empty()) {
    // Outside a FROM: qualifiers can only name an outer query's tables (kept) or be noise.
    return bare;
  }
  if (!qual.empty()) {
    const std::string& ref = qual.back();
    if (sc->entries.size() == 1 && sc->entries[0].ref == ref) return bare;
    return quote_ident_if_needed(ref) + "." + bare;
  }
  if (sc->entries.size() > 1) {
    const Scope::Entry* owner = nullptr;
    int owners = 0;
    for (const auto& e : sc->entries) {
      if (e.columns && std::find(e.columns->begin(), e.columns->end(), name) != e.columns->end()) {
        owner = &e;
        ++owners;
      }
    }
    if (owners == 1 && !owner->ref.empty()) return quote_ident_if_needed(owner->ref) + "." + bare;
    if (owners > 1 && sc->using_columns.count(name)) {
      for (const auto& e : sc->entries) {
        if (e.columns && std::find(e.columns->begin(), e.columns->end(), name) != e.columns->end())
          return e.ref.empty() ? bare : quote_ident_if_needed(e.ref) + "." + bare;
      }
    }
  }
  return bare;
}

int printed_prec(const Node& n) {
  const Node& s = strip(n);
  if (n.k == Node::K::cast && s.k == Node::K::literal && is_plain_number(s.s)) return P_PRIMARY;
  return s.prec;
}

bool nonassoc(int prec) { return prec == P_CMP || prec == P_LIKE || prec == P_IS; }

std::string print_operand(const Node& child, int parent_prec, bool left, const Node* parent) {
  int cp = printed_prec(child);
  bool parens = false;
  if (cp < parent_prec) {
    parens = true;
  } else if (cp == parent_prec) {
    const Node& sc = strip(child);
    if (parent && is_and_or(*parent) && sc.k == Node::K::binary && sc.s == parent->s)
      parens = false;  // AND and OR are associative: the server flattens them
    else
      parens = !left || nonassoc(parent_prec);
  }
  std::string t = print(child);
  return parens ? "(" + t + ")" : t;
}

std::string join_printed(const std::vector<Node>& v, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < v.size(); ++i) {
    if (i > from) out += ", ";
    out += print(v[i]);
  }
  return out;
}

std::string print(const Node& n) {
  using K = Node::K;
  switch (n.k) {
    case K::column: return print_column(n.qual, n.s);
    case K::star: {
      std::string out;
      for (const auto& q : n.qual) out += quote_ident_if_needed(q) + ".";
      return out + "*";
    }
    case K::literal: return is_plain_number(n.s) ? n.s : quote_literal(n.s);
    case K::number:
    case K::bits:
    case K::keyword:
    case K::param:
    case K::raw:
    case K::special: return n.s;
    case K::call: {
      std::string name;
      for (const auto& q : n.qual) name += quote_ident_if_needed(q) + ".";
      // Function names print unquoted even when a keyword ("substring", "left"): the
      // server quotes some of them, people never do.
      bool plain = !n.s.empty() && std::all_of(n.s.begin(), n.s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      }) && !(n.s[0] >= '0' && n.s[0] <= '9');
      name += plain ? n.s : quote_ident_if_needed(n.s);
      std::string args = join_printed(n.kids);
      return name + "(" + (n.flag ? "DISTINCT " : "") + args + n.inner + ")" + n.after;
    }
    case K::cast: {
      const Node& s = strip(n);
      return print(s);
    }
    case K::binary: {
      return print_operand(n.kids[0], n.prec, true, &n) + " " + n.s + " " +
             print_operand(n.kids[1], n.prec, false, &n);
    }
    case K::prefix: {
      std::string op = n.s;
      std::string operand = print_operand(n.kids[0], n.prec, false, nullptr);
      if (op == "NOT") return "NOT " + operand;
      // "- -x" must not print as the comment "--x".
      if (!operand.empty() && (operand[0] == '-' || operand[0] == '+')) return op + " " + operand;
      return op + operand;
    }
    case K::postfix: {
      int cp = printed_prec(n.kids[0]);
      std::string t = print(n.kids[0]);
      if (cp <= P_IS) t = "(" + t + ")";
      return t + " " + n.s;
    }
    case K::in_list: {
      int cp = printed_prec(n.kids[0]);
      std::string t = print(n.kids[0]);
      if (cp <= P_LIKE) t = "(" + t + ")";
      return t + (n.flag ? " NOT IN (" : " IN (") + join_printed(n.kids, 1) + ")";
    }
    case K::in_subquery: {
      int cp = printed_prec(n.kids[0]);
      std::string t = print(n.kids[0]);
      if (cp <= P_LIKE) t = "(" + t + ")";
      return t + (n.flag ? " NOT IN (" : " IN (") + n.kids[1].s + ")";
    }
    case K::quantified: {
      int cp = printed_prec(n.kids[0]);
      std::string t = print(n.kids[0]);
      if (cp <= P_CMP) t = "(" + t + ")";
      const Node& r = strip(n.kids[1]);
      std::string inner = r.k == K::subquery ? r.s : print(r);
      return t + " " + n.s + (n.flag ? " ALL (" : " ANY (") + inner + ")";
    }
    case K::case_: {
      std::string out = "CASE";
      std::size_t i = 0;
      if (n.flag) out += " " + print(n.kids[i++]);
      std::size_t whens = n.kids.size() - i;
      bool has_else = whens % 2 == 1;
      if (has_else) --whens;
      for (std::size_t w = 0; w < whens; w += 2)
        out += " WHEN " + print(n.kids[i + w]) + " THEN " + print(n.kids[i + w + 1]);
      if (has_else) {
        const Node& e = strip(n.kids.back());
        // The server fills in ELSE NULL for a CASE without ELSE.
        if (!(e.k == K::keyword && e.s == "NULL")) out += " ELSE " + print(n.kids.back());
      }
      return out + " END";
    }
    case K::array: return "ARRAY[" + join_printed(n.kids) + "]";
    case K::row: return "ROW(" + join_printed(n.kids) + ")";
    case K::subquery: return "(" + n.s + ")";
    case K::exists: return "EXISTS (" + n.s + ")";
    case K::array_subquery: return "ARRAY(" + n.s + ")";
    case K::subscript: {
      const Node& base = strip(n.kids[0]);
      std::string t = print(n.kids[0]);
      if (base.k != K::column) t = "(" + t + ")";
      return t + n.s;
    }
    case K::field: {
      std::string t = print(n.kids[0]);
      return "(" + t + ")." + quote_ident_if_needed(n.s);
    }
    case K::collate: {
      std::string t = print_operand(n.kids[0], P_COLLATE, true, nullptr);
      return t + " COLLATE " + n.s;
    }
  }
  return n.s;
}

// FigureColname: the output name PostgreSQL gives a select-list item without AS, with its
// strength (2 strong, 1 weak: a type name or "case", 0 none).
std::pair<std::string, int> figure_name(const Node& n, bool through_casts) {
  using K = Node::K;
  switch (n.k) {
    case K::column: return {n.s, 2};
    case K::call: return {n.s, 2};
    case K::special: return {n.name, 2};
    case K::cast: {
      auto inner = figure_name(n.kids[0], through_casts);
      if (through_casts) {
        const Node& s = strip(n);
        if (s.k == K::literal && is_plain_number(s.s)) return {"?column?", 0};
        return inner;
      }
      if (inner.second <= 1) return {internal_type_name(n.type), 1};
      return inner;
    }
    case K::case_: return {"case", 1};
    case K::array:
    case K::array_subquery: return {"array", 2};
    case K::row: return {"row", 2};
    case K::exists: return {"exists", 2};
    case K::subquery: return {n.name.empty() ? "?column?" : n.name, 2};
    case K::keyword:
      if (n.s == "NULL" || n.s == "true" || n.s == "false" || n.s == "DEFAULT")
        return {"?column?", 0};
      if (n.s == "USER") return {"current_user", 2};
      return {lower(n.s.substr(0, n.s.find('('))), 2};
    case K::subscript:
    case K::collate: return figure_name(n.kids[0], through_casts);
    case K::field: return {n.s, 2};
    default: return {"?column?", 0};
  }
}

struct Stmt {
  std::string text;
  std::string first_name;          // the first output column's name
  std::vector<std::string> names;  // every output column's name
};

// One range-table entry of a FROM clause, for expanding `*`.
struct RangeEntry {
  std::string schema, table, alias;  // table empty: not a plain table
  std::optional<std::vector<std::string>> columns;  // a subquery's output names
  std::vector<std::string> alias_columns;           // t(a, b): renames the first columns
};

struct FromResult {
  std::string text;
  bool is_join = false;
  std::vector<RangeEntry> entries;
  bool expandable = true;  // every entry a plain table, no USING / NATURAL
  std::set<std::string> using_columns;
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ColumnResolver* resolver)
      : t_(std::move(tokens)), resolver_(resolver) {}

  bool at_end() const { return peek().kind == Tok::end; }
  void skip_semicolons() {
    while (peek().kind == Tok::semicolon) ++i_;
  }

  // ---- tokens
  const Token& peek(std::size_t k = 0) const {
    return t_[std::min(i_ + k, t_.size() - 1)];
  }
  Token next() {
    Token t = peek();
    if (i_ < t_.size() - 1) ++i_;
    return t;
  }
  bool word_is(std::string_view w, std::size_t k = 0) const {
    const Token& t = peek(k);
    return t.kind == Tok::word && lower(t.text) == w;
  }
  bool accept_word(std::string_view w) {
    if (!word_is(w)) return false;
    ++i_;
    return true;
  }
  void expect_word(std::string_view w) {
    if (!accept_word(w)) fail(std::string("expected ") + std::string(w));
  }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    ++i_;
    return true;
  }
  void expect(Tok k, const char* what) {
    if (!accept(k)) fail(std::string("expected ") + what);
  }
  bool op_is(std::string_view o, std::size_t k = 0) const {
    return peek(k).kind == Tok::op && peek(k).text == o;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw parse_failure(why + " near '" + peek().text + "'");
  }

  // An identifier: a quoted one as is, an unquoted one folded to lower case.
  bool is_name(std::size_t k = 0) const {
    return peek(k).kind == Tok::word || peek(k).kind == Tok::qword;
  }
  std::string name() {
    const Token& t = peek();
    if (t.kind == Tok::qword) return next().text;
    if (t.kind == Tok::word) return lower(next().text);
    fail("expected a name");
  }

  // ---- types
  std::string parse_type() {
    std::vector<std::pair<std::string, bool>> parts;  // (name, quoted)
    auto part = [&]() {
      bool q = peek().kind == Tok::qword;
      parts.emplace_back(name(), q);
    };
    if (!is_name()) fail("expected a type");
    part();
    while (peek().kind == Tok::dot && is_name(1)) {
      ++i_;
      part();
    }
    if (parts.size() > 1 && !parts.front().second &&
        (parts.front().first == "pg_catalog" || parts.front().first == "public"))
      parts.erase(parts.begin());
    std::string base = parts.back().first;
    bool simple = parts.size() == 1 && !parts.back().second;
    bool with_tz = false;
    std::string interval_fields;
    std::vector<std::string> mods;
    auto read_mods = [&]() {
      if (peek().kind != Tok::lparen) return;
      ++i_;
      while (peek().kind != Tok::rparen) {
        if (peek().kind == Tok::end) fail("unterminated type modifier");
        Token m = next();
        if (m.kind == Tok::comma) continue;
        if (m.kind == Tok::op && m.text == "-" && peek().kind == Tok::number) {
          mods.push_back("-" + next().text);
          continue;
        }
        mods.push_back(m.kind == Tok::word ? lower(m.text) : m.text);
      }
      ++i_;
    };
    auto read_tz = [&]() {
      if (word_is("with") && word_is("time", 1) && word_is("zone", 2)) {
        i_ += 3;
        with_tz = true;
      } else if (word_is("without") && word_is("time", 1) && word_is("zone", 2)) {
        i_ += 3;
      }
    };
    if (simple) {
      if (base == "double" && accept_word("precision")) base = "double precision";
      if (base == "national" && (word_is("character") || word_is("char"))) base = lower(next().text);
      if ((base == "character" || base == "char" || base == "nchar" || base == "bit") &&
          accept_word("varying"))
        base += " varying";
      if (base == "timestamp" || base == "time") {
        read_mods();
        read_tz();
      } else if (base == "interval") {
        static const std::set<std::string> fields{"year", "month", "day", "hour", "minute", "second"};
        while (peek().kind == Tok::word && (fields.count(lower(peek().text)) || word_is("to"))) {
          if (!interval_fields.empty()) interval_fields += " ";
          interval_fields += lower(next().text);
        }
        read_mods();
      } else {
        read_mods();
      }
    } else {
      read_mods();
    }
    int dims = 0;
    for (;;) {
      if (peek().kind == Tok::lbracket) {
        ++i_;
        if (peek().kind == Tok::number) ++i_;
        expect(Tok::rbracket, "]");
        ++dims;
      } else if (word_is("array")) {
        ++i_;
        if (peek().kind == Tok::lbracket) {
          ++i_;
          if (peek().kind == Tok::number) ++i_;
          expect(Tok::rbracket, "]");
        }
        ++dims;
      } else {
        break;
      }
    }
    std::string out;
    auto mods_text = [&]() {
      std::string m;
      for (const auto& x : mods) m += (m.empty() ? "" : ",") + x;
      return "(" + m + ")";
    };
    if (simple) {
      static const std::map<std::string, std::string> alias{
          {"int", "integer"}, {"int4", "integer"}, {"integer", "integer"},
          {"int2", "smallint"}, {"smallint", "smallint"}, {"int8", "bigint"},
          {"bigint", "bigint"}, {"bool", "boolean"}, {"boolean", "boolean"},
          {"float4", "real"}, {"real", "real"}, {"float8", "double precision"},
          {"double precision", "double precision"}, {"decimal", "numeric"},
          {"dec", "numeric"}, {"numeric", "numeric"}, {"varchar", "character varying"},
          {"character varying", "character varying"}, {"char varying", "character varying"},
          {"nchar varying", "character varying"}, {"char", "character"},
          {"character", "character"}, {"nchar", "character"}, {"varbit", "bit varying"},
          {"bit varying", "bit varying"}, {"timestamptz", "timestamptz"}, {"timetz", "timetz"}};
      auto it = alias.find(base);
      std::string b = it == alias.end() ? base : it->second;
      if (b == "float") {
        if (!mods.empty() && std::atoi(mods[0].c_str()) <= 24)
          out = "real";
        else
          out = "double precision";
      } else if (b == "numeric") {
        out = "numeric";
        if (mods.size() == 1) out += "(" + mods[0] + ",0)";
        if (mods.size() >= 2) out += mods_text();
      } else if (b == "character" || b == "bit") {
        out = b + (mods.empty() ? std::string("(1)") : mods_text());
      } else if (b == "timestamp" || b == "time" || b == "timestamptz" || b == "timetz") {
        bool tz = with_tz || b == "timestamptz" || b == "timetz";
        std::string root = b == "timestamptz" ? "timestamp" : b == "timetz" ? "time" : b;
        out = root + (mods.empty() ? "" : mods_text()) +
              (tz ? " with time zone" : " without time zone");
      } else if (b == "interval") {
        out = "interval";
        if (!interval_fields.empty()) out += " " + interval_fields;
        if (!mods.empty()) out += mods_text();
      } else {
        out = b == base ? quote_ident_if_needed(b) : b;
        if (it != alias.end()) out = b;
        if (!mods.empty()) out += mods_text();
      }
    } else {
      for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k) out += ".";
        out += quote_ident_if_needed(parts[k].first);
      }
      if (!mods.empty()) out += mods_text();
    }
    for (int d = 0; d < dims; ++d) out += "[]";
    return out;
  }

  // ---- expressions
  Node parse_expr(int min_prec = 0) {
    Node left = parse_prefix();
    for (;;) {
      const Token& t = peek();
      if (t.kind == Tok::cast) {
        if (P_CAST < min_prec) break;
        ++i_;
        Node c = make(Node::K::cast, {}, P_CAST);
        c.type = parse_type();
        c.kids.push_back(std::move(left));
        left = std::move(c);
        continue;
      }
      if (t.kind == Tok::lbracket) {
        if (P_SUB < min_prec) break;
        ++i_;
        std::string sub = "[" + print(parse_expr());
        if (accept(Tok::colon)) sub += ":" + print(parse_expr());
        expect(Tok::rbracket, "]");
        Node s = make(Node::K::subscript, sub + "]", P_SUB);
        if (left.k == Node::K::subscript) {
          left.s += s.s;
        } else {
          s.kids.push_back(std::move(left));
          left = std::move(s);
        }
        continue;
      }
      if (t.kind == Tok::dot && is_name(1)) {
        // (composite).field
        ++i_;
        Node f = make(Node::K::field, name(), P_SUB);
        f.kids.push_back(std::move(left));
        left = std::move(f);
        continue;
      }
      if (t.kind == Tok::op) {
        std::string op = t.text;
        if (op == "!=") op = "<>";
        int prec;
        if (op == "=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "<>")
          prec = P_CMP;
        else if (op == "+" || op == "-")
          prec = P_ADD;
        else if (op == "*" || op == "/" || op == "%")
          prec = P_MUL;
        else if (op == "^")
          prec = P_EXP;
        else
          prec = P_OP;
        // The server's spellings of LIKE and ILIKE.
        static const std::map<std::string, std::string> like{
            {"~~", "LIKE"}, {"!~~", "NOT LIKE"}, {"~~*", "ILIKE"}, {"!~~*", "NOT ILIKE"}};
        if (auto it = like.find(op); it != like.end()) {
          op = it->second;
          prec = P_LIKE;
        }
        if (prec < min_prec) break;
        ++i_;
        if (prec == P_CMP && (word_is("any") || word_is("some") || word_is("all")) &&
            peek(1).kind == Tok::lparen) {
          bool all = lower(next().text) == "all";
          left = quantified(std::move(left), op, all);
          continue;
        }
        Node right = parse_expr(prec + 1);
        left = binary(op, std::move(left), std::move(right), prec);
        continue;
      }
      if (t.kind != Tok::word) break;
      std::string w = lower(t.text);
      if (w == "and" || w == "or") {
        int prec = w == "and" ? P_AND : P_OR;
        if (prec < min_prec) break;
        ++i_;
        Node right = parse_expr(prec + 1);
        left = binary(upper(w), std::move(left), std::move(right), prec);
        continue;
      }
      if (w == "is" || w == "isnull" || w == "notnull") {
        if (P_IS < min_prec) break;
        ++i_;
        if (w == "isnull" || w == "notnull") {
          left = postfix(std::move(left), w == "isnull" ? "IS NULL" : "IS NOT NULL");
          continue;
        }
        bool neg = accept_word("not");
        std::string what;
        if (accept_word("distinct")) {
          expect_word("from");
          Node right = parse_expr(P_IS + 1);
          left = binary(neg ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", std::move(left),
                        std::move(right), P_IS);
          continue;
        }
        if (peek().kind != Tok::word) fail("expected NULL, TRUE, FALSE or UNKNOWN after IS");
        what = upper(next().text);
        if (what != "NULL" && what != "TRUE" && what != "FALSE" && what != "UNKNOWN" &&
            what != "DOCUMENT")
          fail("unsupported IS form");
        left = postfix(std::move(left), std::string("IS ") + (neg ? "NOT " : "") + what);
        continue;
      }
      bool negated = false;
      std::size_t save = i_;
      if (w == "not" && (word_is("like", 1) || word_is("ilike", 1) || word_is("in", 1) ||
                         word_is("between", 1) || word_is("similar", 1))) {
        negated = true;
        w = lower(peek(1).text);
      }
      if (w == "like" || w == "ilike" || w == "in" || w == "between" || w == "similar") {
        if (P_LIKE < min_prec) break;
        i_ = save + (negated ? 2 : 1);
        if (w == "in") {
          left = in_clause(std::move(left), negated);
          continue;
        }
        if (w == "between") {
          left = between(std::move(left), negated);
          continue;
        }
        if (w == "similar") {
          expect_word("to");
          Node pattern = parse_expr(P_LIKE + 1);
          Node call = make(Node::K::call, "similar_to_escape");
          call.kids.push_back(std::move(pattern));
          if (accept_word("escape")) call.kids.push_back(parse_expr(P_LIKE + 1));
          left = binary(negated ? "!~" : "~", std::move(left), std::move(call), P_OP);
          continue;
        }
        std::string op = (negated ? "NOT " : "") + upper(w);
        Node pattern = parse_expr(P_LIKE + 1);
        if (accept_word("escape")) {
          Node call = make(Node::K::call, "like_escape");
          call.kids.push_back(std::move(pattern));
          call.kids.push_back(parse_expr(P_LIKE + 1));
          pattern = std::move(call);
        }
        left = binary(op, std::move(left), std::move(pattern), P_LIKE);
        continue;
      }
      if (w == "at" && word_is("time", 1) && word_is("zone", 2)) {
        if (P_AT < min_prec) break;
        i_ += 3;
        Node right = parse_expr(P_AT + 1);
        left = binary("AT TIME ZONE", std::move(left), std::move(right), P_AT);
        continue;
      }
      if (w == "collate") {
        if (P_COLLATE < min_prec) break;
        ++i_;
        std::string coll = quote_ident_if_needed(name());
        while (peek().kind == Tok::dot && is_name(1)) {
          ++i_;
          coll += "." + quote_ident_if_needed(name());
        }
        Node c = make(Node::K::collate, coll, P_COLLATE);
        c.kids.push_back(std::move(left));
        left = std::move(c);
        continue;
      }
      break;
    }
    return left;
  }

  Node postfix(Node operand, std::string what) {
    Node n = make(Node::K::postfix, std::move(what), P_IS);
    n.kids.push_back(std::move(operand));
    return n;
  }

  // x = ANY (ARRAY[...]) is how the server stores x IN (...).
  Node quantified(Node left, const std::string& op, bool all) {
    expect(Tok::lparen, "(");
    Node inner;
    if (starts_query()) {
      inner = make(Node::K::subquery, parse_statement().text);
    } else {
      inner = parse_expr();
    }
    expect(Tok::rparen, ")");
    const Node& s = strip(inner);
    bool in_form = (op == "=" && !all) || (op == "<>" && all);
    if (in_form && (s.k == Node::K::array || (s.k == Node::K::literal && !s.s.empty() &&
                                              s.s.front() == '{'))) {
      Node list = make(Node::K::in_list, {}, P_LIKE);
      list.flag = op == "<>";
      list.kids.push_back(std::move(left));
      if (s.k == Node::K::array) {
        for (const auto& k : s.kids) list.kids.push_back(k);
      } else {
        for (const auto& e : parse_text_array(s.s))
          list.kids.push_back(e ? make(Node::K::literal, *e) : make(Node::K::keyword, "NULL"));
      }
      return single_in(std::move(list));
    }
    Node q = make(Node::K::quantified, op, P_CMP);
    q.flag = all;
    q.kids.push_back(std::move(left));
    q.kids.push_back(std::move(inner));
    return q;
  }

  // x IN (a) is stored as x = a.
  Node single_in(Node list) {
    if (list.kids.size() != 2) return list;
    return binary(list.flag ? "<>" : "=", std::move(list.kids[0]), std::move(list.kids[1]),
                  P_CMP);
  }

  Node in_clause(Node left, bool negated) {
    expect(Tok::lparen, "( after IN");
    if (starts_query()) {
      Node n = make(Node::K::in_subquery, {}, P_LIKE);
      n.flag = negated;
      n.kids.push_back(std::move(left));
      n.kids.push_back(make(Node::K::subquery, parse_statement().text));
      expect(Tok::rparen, ")");
      return n;
    }
    Node list = make(Node::K::in_list, {}, P_LIKE);
    list.flag = negated;
    list.kids.push_back(std::move(left));
    do {
      list.kids.push_back(parse_expr());
    } while (accept(Tok::comma));
    expect(Tok::rparen, ")");
    return single_in(std::move(list));
  }

  // The server stores x BETWEEN a AND b as x >= a AND x <= b.
  Node between(Node left, bool negated) {
    bool symmetric = accept_word("symmetric");
    if (!symmetric) accept_word("asymmetric");
    Node lo = parse_expr(P_LIKE + 1);
    expect_word("and");
    Node hi = parse_expr(P_LIKE + 1);
    auto range = [&](const Node& a, const Node& b) {
      if (negated)
        return binary("OR", binary("<", left, a, P_CMP), binary(">", left, b, P_CMP), P_OR);
      return binary("AND", binary(">=", left, a, P_CMP), binary("<=", left, b, P_CMP), P_AND);
    };
    if (!symmetric) return range(lo, hi);
    if (negated)
      return binary("AND", range(lo, hi), range(hi, lo), P_AND);
    return binary("OR", range(lo, hi), range(hi, lo), P_OR);
  }

  bool starts_query(std::size_t k = 0) const {
    return word_is("select", k) || word_is("with", k) || word_is("values", k);
  }

  Node parse_prefix() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::lparen: {
        ++i_;
        if (starts_query()) {
          Stmt st = parse_statement();
          expect(Tok::rparen, ")");
          Node n = make(Node::K::subquery, st.text);
          n.name = st.first_name;
          return n;
        }
        Node inner = parse_expr();
        if (accept(Tok::comma)) {
          Node row = make(Node::K::row);
          row.kids.push_back(std::move(inner));
          do {
            row.kids.push_back(parse_expr());
          } while (accept(Tok::comma));
          expect(Tok::rparen, ")");
          return row;
        }
        expect(Tok::rparen, ")");
        return inner;  // grouping parentheses: the printer puts back those it needs
      }
      case Tok::string: return make(Node::K::literal, next().text);
      case Tok::bits: return bit_literal(next().text);
      case Tok::number: return make(Node::K::number, plain_decimal(next().text));
      case Tok::param: return make(Node::K::param, next().text);
      case Tok::op: {
        std::string op = next().text;
        if (op == "*") return make(Node::K::star);
        Node operand = parse_expr(P_UNARY);
        // -1 is a constant to the server ('-1'::integer), not an operator call.
        if (op == "-" && operand.k == Node::K::number && operand.s[0] != '-')
          return make(Node::K::number, "-" + operand.s);
        Node n = make(Node::K::prefix, op, P_UNARY);
        n.kids.push_back(std::move(operand));
        return n;
      }
      case Tok::word: return parse_word();
      case Tok::qword: return parse_name_expr();
      default: fail("unexpected token");
    }
  }

  Node parse_word() {
    std::string w = lower(peek().text);
    if (w == "not") {
      ++i_;
      Node n = make(Node::K::prefix, "NOT", P_NOT);
      n.kids.push_back(parse_expr(P_NOT));
      return n;
    }
    if (w == "null" || w == "true" || w == "false" || w == "default") {
      ++i_;
      return make(Node::K::keyword, w == "true" || w == "false" ? w : upper(w));
    }
    static const std::set<std::string> value_functions{
        "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
        "current_user", "current_role", "session_user", "user", "current_catalog",
        "current_schema"};
    if (value_functions.count(w)) {
      ++i_;
      std::string kw = upper(w);
      if (peek().kind == Tok::lparen && peek(1).kind == Tok::number &&
          peek(2).kind == Tok::rparen) {
        kw += "(" + peek(1).text + ")";
        i_ += 3;
      }
      return make(Node::K::keyword, kw);
    }
    if (w == "case") return parse_case();
    if (w == "exists" && peek(1).kind == Tok::lparen) {
      i_ += 2;
      Node n = make(Node::K::exists, parse_statement().text);
      expect(Tok::rparen, ")");
      return n;
    }
    if (w == "array") {
      ++i_;
      if (accept(Tok::lbracket)) {
        Node a = make(Node::K::array);
        if (peek().kind != Tok::rbracket) {
          do {
            a.kids.push_back(parse_array_element());
          } while (accept(Tok::comma));
        }
        expect(Tok::rbracket, "]");
        return a;
      }
      expect(Tok::lparen, "( after ARRAY");
      Node a = make(Node::K::array_subquery, parse_statement().text);
      expect(Tok::rparen, ")");
      return a;
    }
    if (w == "cast" && peek(1).kind == Tok::lparen) {
      i_ += 2;
      Node operand = parse_expr();
      expect_word("as");
      Node c = make(Node::K::cast, {}, P_CAST);
      c.type = parse_type();
      c.kids.push_back(std::move(operand));
      expect(Tok::rparen, ")");
      return c;
    }
    if (w == "row" && peek(1).kind == Tok::lparen) {
      i_ += 2;
      Node row = make(Node::K::row);
      if (peek().kind != Tok::rparen) {
        do {
          row.kids.push_back(parse_expr());
        } while (accept(Tok::comma));
      }
      expect(Tok::rparen, ")");
      return row;
    }
    if (peek(1).kind == Tok::lparen) {
      if (w == "extract" || w == "position" || w == "overlay" || w == "trim" ||
          (w == "substring" && special_substring()))
        return parse_special(w);
    }
    // Typed literals: interval '1 day', date '2020-01-01', timestamp with time zone '...'.
    {
      std::size_t save = i_;
      static const std::set<std::string> type_words{
          "interval", "date", "timestamp", "time", "double", "character", "char", "national",
          "bit", "boolean", "bool", "numeric", "decimal", "int", "integer", "bigint",
          "smallint", "real", "float", "varchar", "text", "json", "jsonb", "uuid", "bytea"};
      if (type_words.count(w) || peek(1).kind == Tok::string) {
        try {
          std::string type = parse_type();
          if (peek().kind == Tok::string) {
            Node c = make(Node::K::cast, {}, P_CAST);
            c.type = type;
            c.kids.push_back(make(Node::K::literal, next().text));
            // INTERVAL '1' DAY: the field qualifier after the string.
            return c;
          }
        } catch (const parse_failure&) {
        }
        i_ = save;
      }
    }
    return parse_name_expr();
  }

  // ARRAY[[1,2],[3,4]]: inner brackets are sub-arrays.
  Node parse_array_element() {
    if (peek().kind == Tok::lbracket) {
      ++i_;
      Node a = make(Node::K::array);
      if (peek().kind != Tok::rbracket) {
        do {
          a.kids.push_back(parse_array_element());
        } while (accept(Tok::comma));
      }
      expect(Tok::rbracket, "]");
      Node raw = make(Node::K::raw, "[" + join_printed(a.kids) + "]");
      return raw;
    }
    return parse_expr();
  }

  // substring(x FROM a FOR b) rather than substring(x, a, b).
  bool special_substring() const {
    int depth = 0;
    for (std::size_t k = 1;; ++k) {
      const Token& t = peek(k);
      if (t.kind == Tok::end) return false;
      if (t.kind == Tok::lparen) ++depth;
      if (t.kind == Tok::rparen && --depth == 0) return false;
      if (depth == 1 && t.kind == Tok::word &&
          (lower(t.text) == "from" || lower(t.text) == "for" || lower(t.text) == "similar"))
        return true;
    }
  }

  // EXTRACT(f FROM x), POSITION(a IN b), OVERLAY(a PLACING b FROM c [FOR d]),
  // TRIM([BOTH|LEADING|TRAILING] [chars] FROM x), SUBSTRING(x FROM a [FOR b]).
  Node parse_special(const std::string& w) {
    i_ += 2;
    Node n = make(Node::K::special);
    n.name = w;
    std::string body;
    if (w == "extract") {
      std::string field = peek().kind == Tok::string ? next().text : name();
      expect_word("from");
      body = lower(field) + " FROM " + print(parse_expr());
    } else if (w == "position") {
      Node a = parse_expr(P_LIKE + 1);
      expect_word("in");
      Node b = parse_expr(P_LIKE + 1);
      body = print(a) + " IN " + print(b);
    } else if (w == "overlay") {
      body = print(parse_expr());
      expect_word("placing");
      body += " PLACING " + print(parse_expr());
      expect_word("from");
      body += " FROM " + print(parse_expr());
      if (accept_word("for")) body += " FOR " + print(parse_expr());
    } else if (w == "substring") {
      body = print(parse_expr());
      if (accept_word("from")) body += " FROM " + print(parse_expr());
      if (accept_word("for")) body += " FOR " + print(parse_expr());
      if (accept_word("similar")) {
        body += " SIMILAR " + print(parse_expr());
        expect_word("escape");
        body += " ESCAPE " + print(parse_expr());
      }
    } else {  // trim: the server prints trim(x) as TRIM(BOTH FROM x)
      std::string dir = "BOTH";
      if (word_is("both") || word_is("leading") || word_is("trailing")) dir = upper(next().text);
      std::optional<Node> chars;
      std::vector<Node> from;
      if (accept_word("from")) {
        do from.push_back(parse_expr()); while (accept(Tok::comma));
      } else {
        Node first = parse_expr();
        if (accept_word("from")) {
          chars = std::move(first);
          do from.push_back(parse_expr()); while (accept(Tok::comma));
        } else {
          from.push_back(std::move(first));
          while (accept(Tok::comma)) from.push_back(parse_expr());
          if (from.size() == 2) {
            chars = from[1];
            from.pop_back();
          }
        }
      }
      body = dir + (chars ? " " + print(*chars) : std::string()) + " FROM " + join_printed(from);
    }
    expect(Tok::rparen, ")");
    n.s = w + "(" + body + ")";
    return n;
  }

  Node parse_case() {
    ++i_;
    Node n = make(Node::K::case_);
    if (!word_is("when")) {
      n.flag = true;
      n.kids.push_back(parse_expr());
    }
    while (accept_word("when")) {
      n.kids.push_back(parse_expr());
      expect_word("then");
      n.kids.push_back(parse_expr());
    }
    if (accept_word("else")) n.kids.push_back(parse_expr());
    expect_word("end");
    return n;
  }

  // A name: a column reference (qualifiers dropped), t.*, or a function call.
  Node parse_name_expr() {
    std::vector<std::string> parts;
    std::vector<bool> quoted;
    quoted.push_back(peek().kind == Tok::qword);
    parts.push_back(name());
    for (;;) {
      if (peek().kind == Tok::dot && is_name(1)) {
        ++i_;
        quoted.push_back(peek().kind == Tok::qword);
        parts.push_back(name());
        continue;
      }
      if (peek().kind == Tok::dot && op_is("*", 1)) {
        i_ += 2;
        Node s = make(Node::K::star);
        s.qual = parts;
        return s;
      }
      break;
    }
    if (peek().kind == Tok::lparen) return parse_call(std::move(parts));
    if (!quoted.back() && no_bare_alias().count(parts.back()) && parts.size() == 1)
      fail("unexpected keyword " + parts.back());
    Node c = make(Node::K::column, parts.back());
    parts.pop_back();
    c.qual = std::move(parts);
    return c;
  }

  Node parse_call(std::vector<std::string> parts) {
    expect(Tok::lparen, "(");
    Node n = make(Node::K::call, parts.back());
    parts.pop_back();
    if (!parts.empty() && (parts.front() == "pg_catalog" || parts.front() == "public"))
      parts.erase(parts.begin());
    n.qual = parts;
    if (peek().kind != Tok::rparen) {
      if (accept_word("distinct")) n.flag = true;
      else accept_word("all");
      if (op_is("*") && peek(1).kind == Tok::rparen) {
        ++i_;
        n.kids.push_back(make(Node::K::star));
      } else {
        do {
          if (accept_word("variadic")) {
            Node v = parse_expr();
            n.kids.push_back(make(Node::K::raw, "VARIADIC " + print(v)));
            continue;
          }
          if (is_name() && op_is("=>", 1)) {
            std::string arg = quote_ident_if_needed(name());
            ++i_;
            n.kids.push_back(make(Node::K::raw, arg + " => " + print(parse_expr())));
            continue;
          }
          n.kids.push_back(parse_expr());
        } while (accept(Tok::comma));
      }
      if (word_is("order") && word_is("by", 1)) {
        i_ += 2;
        n.inner = " ORDER BY " + parse_sort_list({});
      }
    }
    expect(Tok::rparen, ")");
    if (word_is("within") && word_is("group", 1)) {
      i_ += 2;
      expect(Tok::lparen, "(");
      expect_word("order");
      expect_word("by");
      n.after += " WITHIN GROUP (ORDER BY " + parse_sort_list({}) + ")";
      expect(Tok::rparen, ")");
    }
    if (word_is("filter") && peek(1).kind == Tok::lparen) {
      i_ += 2;
      expect_word("where");
      n.after += " FILTER (WHERE " + print(parse_expr()) + ")";
      expect(Tok::rparen, ")");
    }
    if (accept_word("over")) {
      if (peek().kind == Tok::lparen) {
        ++i_;
        n.after += " OVER (" + parse_window_spec() + ")";
        expect(Tok::rparen, ")");
      } else {
        n.after += " OVER " + quote_ident_if_needed(name());
      }
    }
    return n;
  }

  std::string parse_window_spec() {
    std::vector<std::string> parts;
    if (is_name() && !word_is("partition") && !word_is("order") && !word_is("rows") &&
        !word_is("range") && !word_is("groups"))
      parts.push_back(quote_ident_if_needed(name()));
    if (word_is("partition") && word_is("by", 1)) {
      i_ += 2;
      std::vector<Node> exprs;
      do exprs.push_back(parse_expr()); while (accept(Tok::comma));
      parts.push_back("PARTITION BY " + join_printed(exprs));
    }
    if (word_is("order") && word_is("by", 1)) {
      i_ += 2;
      parts.push_back("ORDER BY " + parse_sort_list({}));
    }
    if (word_is("rows") || word_is("range") || word_is("groups")) {
      std::string frame = upper(next().text);
      auto bound = [&]() {
        if (accept_word("unbounded")) return "UNBOUNDED " + upper(next().text);
        if (word_is("current") && word_is("row", 1)) {
          i_ += 2;
          return std::string("CURRENT ROW");
        }
        std::string e = print(parse_expr());
        return e + " " + upper(next().text);
      };
      if (accept_word("between")) {
        frame += " BETWEEN " + bound();
        expect_word("and");
        frame += " AND " + bound();
      } else {
        frame += " " + bound();
      }
      if (accept_word("exclude")) {
        frame += " EXCLUDE";
        while (peek().kind == Tok::word) frame += " " + upper(next().text);
      }
      // The server spells out the default frame end.
      parts.push_back(frame);
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
    return out;
  }

  // ORDER BY items; `targets` resolves output-column ordinals and aliases.
  std::string parse_sort_list(const std::vector<std::pair<std::string, std::string>>& targets) {
    std::string out;
    do {
      if (!out.empty()) out += ", ";
      out += parse_sort_item(targets);
    } while (accept(Tok::comma));
    return out;
  }

  std::string resolve_target(const Node& e,
                             const std::vector<std::pair<std::string, std::string>>& targets) {
    if (e.k == Node::K::number && !targets.empty()) {
      std::size_t k = 0;
      try {
        k = std::stoul(e.s);
      } catch (...) {
        k = 0;
      }
      if (k >= 1 && k <= targets.size()) return targets[k - 1].second;
    }
    if (e.k == Node::K::column && e.qual.empty()) {
      for (const auto& [name_, expr] : targets)
        if (name_ == e.s && expr != print(e)) return expr;
    }
    return print(e);
  }

  std::string parse_sort_item(const std::vector<std::pair<std::string, std::string>>& targets) {
    Node e = parse_expr();
    std::string out = resolve_target(e, targets);
    bool desc = false;
    if (accept_word("desc")) desc = true;
    else if (!accept_word("asc") && accept_word("using")) out += " USING " + next().text;
    if (accept_word("nulls")) {
      bool first = accept_word("first");
      if (!first) expect_word("last");
      // ASC NULLS LAST and DESC NULLS FIRST are the defaults.
      if (desc) out += first ? " DESC" : " DESC NULLS LAST";
      else out += first ? " NULLS FIRST" : "";
    } else if (desc) {
      out += " DESC";
    }
    return out;
  }

  // ---- statements (view bodies, subqueries)
  Stmt parse_statement() {
    std::string with;
    auto saved_ctes = ctes_;
    if (accept_word("with")) {
      with = "WITH ";
      if (accept_word("recursive")) with += "RECURSIVE ";
      bool first = true;
      do {
        if (!first) with += ", ";
        first = false;
        std::string cte = name();
        with += quote_ident_if_needed(cte);
        std::optional<std::vector<std::string>> cols;
        if (peek().kind == Tok::lparen) {
          ++i_;
          std::string text;
          cols.emplace();
          do {
            cols->push_back(name());
            text += (text.empty() ? "" : ", ") + quote_ident_if_needed(cols->back());
          } while (accept(Tok::comma));
          expect(Tok::rparen, ")");
          with += "(" + text + ")";
        }
        expect_word("as");
        with += " AS ";
        if (accept_word("not")) {
          expect_word("materialized");
          with += "NOT MATERIALIZED ";
        } else if (accept_word("materialized")) {
          with += "MATERIALIZED ";
        }
        expect(Tok::lparen, "(");
        Stmt body = parse_statement();
        with += "(" + body.text + ")";
        expect(Tok::rparen, ")");
        ctes_[cte] = cols ? *cols : body.names;
      } while (accept(Tok::comma));
      with += " ";
    }
    Stmt first = parse_set_operand(false);
    std::string text = first.text;
    std::vector<std::pair<std::string, std::string>> targets = last_targets_;
    Scope scope = last_scope_;
    bool compound = false;
    for (;;) {
      std::string op;
      if (word_is("union") || word_is("intersect") || word_is("except")) {
        op = upper(next().text);
        if (accept_word("all")) op += " ALL";
        else accept_word("distinct");
      } else {
        break;
      }
      compound = true;
      // Later branches take their output names from the first: their aliases mean nothing.
      text += " " + op + " " + parse_set_operand(true).text;
    }
    // ORDER BY of a plain SELECT sees its FROM; after UNION it sees output names only.
    if (compound) scope = Scope{};
    ScopeGuard guard(&scope);
    if (word_is("order") && word_is("by", 1)) {
      i_ += 2;
      text += " ORDER BY " + parse_sort_list(targets);
    }
    std::string limit, offset;
    for (;;) {
      if (accept_word("limit")) {
        if (accept_word("all")) continue;
        limit = " LIMIT " + print(parse_expr());
      } else if (accept_word("offset")) {
        offset = " OFFSET " + print(parse_expr());
        if (!accept_word("rows")) accept_word("row");
      } else if (accept_word("fetch")) {
        if (!accept_word("first")) expect_word("next");
        std::string count = "1";
        if (!word_is("row") && !word_is("rows")) count = print(parse_expr());
        if (!accept_word("rows")) expect_word("row");
        if (accept_word("only")) {
          limit = " LIMIT " + count;
        } else {
          expect_word("with");
          expect_word("ties");
          limit = " FETCH FIRST " + count + " ROWS WITH TIES";
        }
      } else {
        break;
      }
    }
    text += offset + limit;  // ruleutils prints OFFSET before LIMIT
    ctes_ = std::move(saved_ctes);
    first.text = with + text;
    return first;
  }

  Stmt parse_set_operand(bool later_branch) {
    if (peek().kind == Tok::lparen && (starts_query(1) || peek(1).kind == Tok::lparen)) {
      ++i_;
      Stmt inner = parse_statement();
      expect(Tok::rparen, ")");
      bool compound = inner.text.find(" UNION ") != std::string::npos ||
                      inner.text.find(" INTERSECT ") != std::string::npos ||
                      inner.text.find(" EXCEPT ") != std::string::npos ||
                      inner.text.find(" ORDER BY ") != std::string::npos ||
                      inner.text.find(" LIMIT ") != std::string::npos;
      if (compound) inner.text = "(" + inner.text + ")";
      last_scope_ = Scope{};
      return inner;
    }
    if (accept_word("values")) {
      std::string out = "VALUES ";
      bool first = true;
      std::size_t width = 0;
      do {
        expect(Tok::lparen, "(");
        std::vector<Node> row;
        do row.push_back(parse_expr()); while (accept(Tok::comma));
        expect(Tok::rparen, ")");
        width = row.size();
        out += (first ? "(" : ", (") + join_printed(row) + ")";
        first = false;
      } while (accept(Tok::comma));
      last_targets_.clear();
      last_scope_ = Scope{};
      Stmt st{out, "column1", {}};
      for (std::size_t k = 1; k <= width; ++k) st.names.push_back("column" + std::to_string(k));
      return st;
    }
    expect_word("select");
    return parse_select_core(later_branch);
  }

  struct Target {
    Node expr;
    std::string alias;
    bool has_alias = false;
  };

  // Where this SELECT's FROM keyword is (depth 0), so that the FROM can be read before the
  // select list: the list's column references print according to the FROM.
  std::optional<std::size_t> find_from() const {
    int depth = 0;
    for (std::size_t k = i_; k < t_.size(); ++k) {
      const Token& t = t_[k];
      if (t.kind == Tok::end || t.kind == Tok::semicolon) return std::nullopt;
      if (t.kind == Tok::lparen || t.kind == Tok::lbracket) ++depth;
      if (t.kind == Tok::rparen || t.kind == Tok::rbracket) {
        if (--depth < 0) return std::nullopt;
      }
      if (depth != 0 || t.kind != Tok::word) continue;
      std::string w = lower(t.text);
      if (w == "from") {
        // IS [NOT] DISTINCT FROM is an operator, not the clause.
        if (k > 0 && t_[k - 1].kind == Tok::word && lower(t_[k - 1].text) == "distinct" &&
            k > 1 && t_[k - 2].kind == Tok::word &&
            (lower(t_[k - 2].text) == "is" || lower(t_[k - 2].text) == "not"))
          continue;
        return k;
      }
      if (w == "where" || w == "group" || w == "having" || w == "window" || w == "union" ||
          w == "intersect" || w == "except" || w == "order" || w == "limit" || w == "offset" ||
          w == "fetch" || w == "into")
        return std::nullopt;
    }
    return std::nullopt;
  }

  Scope scope_of(const FromResult& from) {
    Scope sc;
    for (const auto& e : from.entries) {
      Scope::Entry se;
      se.ref = e.alias.empty() ? e.table : e.alias;
      se.columns = entry_columns(e);
      sc.entries.push_back(std::move(se));
    }
    sc.using_columns = from.using_columns;
    return sc;
  }

  std::optional<std::vector<std::string>> entry_columns(const RangeEntry& e) {
    auto cols = base_columns(e);
    if (e.alias_columns.empty()) return cols;
    if (!cols) return e.alias_columns;
    for (std::size_t k = 0; k < e.alias_columns.size() && k < cols->size(); ++k)
      (*cols)[k] = e.alias_columns[k];
    return cols;
  }

  std::optional<std::vector<std::string>> base_columns(const RangeEntry& e) {
    if (e.columns) return e.columns;
    if (e.table.empty()) return std::nullopt;
    if (e.schema.empty()) {
      auto it = ctes_.find(e.table);
      if (it != ctes_.end()) return it->second;
    }
    if (resolver_ && *resolver_) return (*resolver_)(e.schema, e.table);
    return std::nullopt;
  }

  Stmt parse_select_core(bool later_branch) {
    std::size_t start = i_;
    std::optional<std::size_t> from_at = find_from();
    FromResult from;
    Scope scope;
    std::size_t after_from = 0;
    if (from_at) {
      // Twice: first for the entries, then printed in their scope (ON clauses).
      i_ = *from_at + 1;
      from = parse_from_list();
      scope = scope_of(from);
      ScopeGuard guard(&scope);
      i_ = *from_at + 1;
      from = parse_from_list();
      after_from = i_;
      i_ = start;
    }
    ScopeGuard guard(&scope);
    std::string out = "SELECT ";
    if (accept_word("distinct")) {
      out += "DISTINCT ";
      if (accept_word("on")) {
        expect(Tok::lparen, "(");
        std::vector<Node> on;
        do on.push_back(parse_expr()); while (accept(Tok::comma));
        expect(Tok::rparen, ")");
        out += "ON (" + join_printed(on) + ") ";
      }
    } else {
      accept_word("all");
    }
    std::vector<Target> targets;
    if (!word_is("from")) {
      do {
        Target t;
        t.expr = parse_expr();
        if (accept_word("as")) {
          t.alias = name();
          t.has_alias = true;
        } else if (peek().kind == Tok::qword ||
                   (peek().kind == Tok::word && !no_bare_alias().count(lower(peek().text)))) {
          t.alias = name();
          t.has_alias = true;
        }
        targets.push_back(std::move(t));
      } while (accept(Tok::comma));
    }
    if (from_at) {
      if (i_ != *from_at) fail("unexpected text before FROM");
      i_ = after_from;
    }
    // The select list, with `*` expanded where the tables' columns are known.
    std::vector<std::string> printed;
    std::vector<std::pair<std::string, std::string>> names;  // output name -> expression
    Stmt st;
    for (auto& t : targets) {
      if (t.expr.k == Node::K::star) {
        auto cols = expand_star(t.expr.qual, from);
        if (cols) {
          for (const auto& [ref, c] : *cols) {
            std::string e = print_column({ref}, c);
            printed.push_back(e);
            names.emplace_back(c, e);
            st.names.push_back(c);
          }
          continue;
        }
        printed.push_back(print(t.expr));
        st.names.push_back("?column?");
        continue;
      }
      std::string expr = print(t.expr);
      std::string effective = t.has_alias ? t.alias : figure_name(t.expr, false).first;
      std::string implicit = figure_name(t.expr, true).first;
      std::string item = expr;
      if (!later_branch && effective != implicit) item += " AS " + quote_ident_if_needed(effective);
      printed.push_back(item);
      names.emplace_back(effective, expr);
      st.names.push_back(effective);
    }
    for (std::size_t k = 0; k < printed.size(); ++k) out += (k ? ", " : "") + printed[k];
    if (from_at) out += " FROM " + from.text;
    if (accept_word("where")) out += " WHERE " + print(parse_expr());
    if (word_is("group") && word_is("by", 1)) {
      i_ += 2;
      std::string g;
      do {
        Node e = parse_expr();
        g += (g.empty() ? "" : ", ") + resolve_target(e, names);
      } while (accept(Tok::comma));
      out += " GROUP BY " + g;
    }
    if (accept_word("having")) out += " HAVING " + print(parse_expr());
    if (accept_word("window")) {
      std::string w;
      do {
        std::string wn = quote_ident_if_needed(name());
        expect_word("as");
        expect(Tok::lparen, "(");
        w += (w.empty() ? "" : ", ") + wn + " AS (" + parse_window_spec() + ")";
        expect(Tok::rparen, ")");
      } while (accept(Tok::comma));
      out += " WINDOW " + w;
    }
    last_targets_ = names;
    last_scope_ = scope;
    st.text = out;
    st.first_name = st.names.empty() ? std::string() : st.names.front();
    return st;
  }

  // `*` or `t.*` as (entry reference, column) pairs, when every entry's columns are known.
  std::optional<std::vector<std::pair<std::string, std::string>>> expand_star(
      const std::vector<std::string>& qual, const FromResult& from) {
    if (!from.expandable || from.entries.empty()) return std::nullopt;
    std::vector<std::pair<std::string, std::string>> cols;
    bool matched = false;
    for (const auto& e : from.entries) {
      std::string ref = e.alias.empty() ? e.table : e.alias;
      if (!qual.empty() && qual.back() != ref) continue;
      auto c = entry_columns(e);
      if (!c) return std::nullopt;
      for (const auto& col : *c) cols.emplace_back(ref, col);
      matched = true;
    }
    if (!matched) return std::nullopt;
    return cols;
  }

  FromResult parse_from_list() {
    FromResult out = parse_from_item();
    while (accept(Tok::comma)) {
      FromResult more = parse_from_item();
      out.text += ", " + more.text;
      out.entries.insert(out.entries.end(), more.entries.begin(), more.entries.end());
      out.using_columns.insert(more.using_columns.begin(), more.using_columns.end());
      out.expandable = out.expandable && more.expandable;
      out.is_join = true;
    }
    return out;
  }

  FromResult parse_from_item() {
    FromResult left = parse_from_primary();
    for (;;) {
      std::string type;
      bool natural = false;
      std::size_t save = i_;
      if (accept_word("natural")) natural = true;
      if (accept_word("cross")) {
        type = "CROSS JOIN";
      } else if (accept_word("inner")) {
        type = "JOIN";
      } else if (word_is("left") || word_is("right") || word_is("full")) {
        type = upper(next().text) + " JOIN";
        accept_word("outer");
      } else if (word_is("join")) {
        type = "JOIN";
      }
      if (type.empty() || !accept_word("join")) {
        i_ = save;
        break;
      }
      FromResult right = parse_from_primary();
      std::string rt = right.is_join ? "(" + right.text + ")" : right.text;
      std::string text = left.text + " " + (natural ? "NATURAL " : "") + type + " " + rt;
      bool expandable = left.expandable && right.expandable && !natural;
      if (accept_word("on")) {
        text += " ON " + print(parse_expr());
      } else if (accept_word("using")) {
        expect(Tok::lparen, "(");
        std::string cols;
        do {
          std::string c = name();
          if (type != "FULL JOIN") left.using_columns.insert(c);
          cols += (cols.empty() ? "" : ", ") + quote_ident_if_needed(c);
        } while (accept(Tok::comma));
        expect(Tok::rparen, ")");
        text += " USING (" + cols + ")";
        expandable = false;
      }
      left.text = text;
      left.is_join = true;
      left.entries.insert(left.entries.end(), right.entries.begin(), right.entries.end());
      left.using_columns.insert(right.using_columns.begin(), right.using_columns.end());
      left.expandable = expandable;
    }
    return left;
  }

  std::string parse_alias(bool* has) {
    std::string out;
    *has = false;
    if (accept_word("as")) {
      *has = true;
    } else if (!(peek().kind == Tok::qword ||
                 (peek().kind == Tok::word && !no_bare_alias().count(lower(peek().text))))) {
      return out;
    }
    *has = true;
    out = quote_ident_if_needed(name());
    if (peek().kind == Tok::lparen) {
      ++i_;
      std::string cols;
      do cols += (cols.empty() ? "" : ", ") + quote_ident_if_needed(name());
      while (accept(Tok::comma));
      expect(Tok::rparen, ")");
      out += "(" + cols + ")";
    }
    return out;
  }

  FromResult parse_from_primary() {
    FromResult r;
    std::string prefix;
    if (accept_word("lateral")) prefix = "LATERAL ";
    if (peek().kind == Tok::lparen) {
      if (starts_query(1)) {
        ++i_;
        Stmt st = parse_statement();
        expect(Tok::rparen, ")");
        bool has = false;
        std::string alias = parse_alias(&has);
        r.text = prefix + "(" + st.text + ")" + (has ? " " + alias : "");
        RangeEntry e;
        e.alias = bare_alias(alias);
        e.alias_columns = alias_columns(alias);
        e.columns = st.names;
        r.entries.push_back(std::move(e));
        return r;
      }
      ++i_;
      FromResult inner = parse_from_item();
      expect(Tok::rparen, ")");
      bool has = false;
      std::string alias = parse_alias(&has);
      if (has) {
        inner.text = "(" + inner.text + ") " + alias;
        inner.is_join = false;
        inner.expandable = false;
      }
      return inner;
    }
    bool only = accept_word("only");
    std::vector<std::string> parts;
    parts.push_back(name());
    while (peek().kind == Tok::dot && is_name(1)) {
      ++i_;
      parts.push_back(name());
    }
    if (peek().kind == Tok::lparen) {
      Node call = parse_call(parts);
      bool has = false;
      std::string alias = parse_alias(&has);
      r.text = prefix + print(call) + (has ? " " + alias : "");
      RangeEntry e;
      e.alias = has ? bare_alias(alias) : call.s;
      r.entries.push_back(std::move(e));
      r.expandable = false;
      return r;
    }
    if (parts.size() > 1 && parts.front() == "public") parts.erase(parts.begin());
    std::string table;
    for (std::size_t k = 0; k < parts.size(); ++k)
      table += (k ? "." : "") + quote_ident_if_needed(parts[k]);
    bool has = false;
    std::string alias = parse_alias(&has);
    r.text = prefix + (only ? "ONLY " : "") + table + (has ? " " + alias : "");
    RangeEntry e;
    e.schema = parts.size() > 1 ? parts[parts.size() - 2] : "";
    e.table = parts.back();
    if (has) {
      e.alias = bare_alias(alias);
      e.alias_columns = alias_columns(alias);
    }
    r.entries.push_back(e);
    return r;
  }

  // The column names of a printed alias "v(k, label)".
  static std::vector<std::string> alias_columns(const std::string& alias) {
    std::vector<std::string> out;
    auto p = alias.find('(');
    if (p == std::string::npos) return out;
    try {
      Parser inner(tokenize(alias.substr(p + 1, alias.size() - p - 2)), nullptr);
      do out.push_back(inner.name()); while (inner.accept(Tok::comma));
    } catch (const parse_failure&) {
      out.clear();
    }
    return out;
  }

  // A printed alias ("\"Foo\"(a, b)") back to the bare name ("Foo").
  static std::string bare_alias(const std::string& alias) {
    auto p = alias.find('(');
    std::string a = p == std::string::npos ? alias : alias.substr(0, p);
    if (a.size() >= 2 && a.front() == '"') {
      std::string out;
      for (std::size_t k = 1; k + 1 < a.size(); ++k) {
        out += a[k];
        if (a[k] == '"') ++k;
      }
      return out;
    }
    return a;
  }

 private:
  std::vector<Token> t_;
  std::size_t i_ = 0;
  const ColumnResolver* resolver_;
  std::vector<std::pair<std::string, std::string>> last_targets_;
  Scope last_scope_;
  std::map<std::string, std::vector<std::string>> ctes_;
};

// The fallback for text the parser does not understand: tokens re-spelled one way.
std::string token_form(const std::vector<Token>& tokens) {
  std::string out;
  Tok prev = Tok::end;
  for (const auto& t : tokens) {
    if (t.kind == Tok::end) break;
    std::string text;
    switch (t.kind) {
      case Tok::word: text = lower(t.text); break;
      case Tok::qword: text = quote_ident_if_needed(t.text); break;
      case Tok::string: text = quote_literal(t.text); break;
      default: text = t.text;
    }
    bool tight = out.empty() || t.kind == Tok::comma || t.kind == Tok::rparen ||
                 t.kind == Tok::rbracket || t.kind == Tok::dot || t.kind == Tok::cast ||
                 t.kind == Tok::semicolon || prev == Tok::lparen || prev == Tok::lbracket ||
                 prev == Tok::dot || prev == Tok::cast ||
                 (t.kind == Tok::lparen && (prev == Tok::word || prev == Tok::qword));
    if (!tight) out += ' ';
    out += text;
    prev = t.kind;
  }
  return out;
}

std::string trim_copy(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

void collect_columns(const Node& n, std::vector<std::string>& out) {
  if (n.k == Node::K::column) {
    if (std::find(out.begin(), out.end(), n.s) == out.end()) out.push_back(n.s);
    return;
  }
  for (const auto& k : n.kids) collect_columns(k, out);
}

// Clips `n` bytes of UTF-8 text back to a character boundary (pg_mbcliplen).
std::size_t clip_utf8(std::string_view s, std::size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

constexpr std::size_t max_name = 63;  // NAMEDATALEN - 1

}  // namespace

// ---------------------------------------------------------------------------
// Public functions

std::string quote_ident_if_needed(std::string_view name) {
  bool safe = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) safe = false;
  }
  if (safe && quoted_keywords().count(name)) safe = false;
  if (safe) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string qualified_name(std::string_view schema, std::string_view name) {
  if (schema.empty() || schema == "public") return quote_ident_if_needed(name);
  return quote_ident_if_needed(schema) + "." + quote_ident_if_needed(name);
}

std::string canonical_type(std::string_view type) {
  try {
    Parser p(tokenize(type), nullptr);
    std::string out = p.parse_type();
    if (!p.at_end()) return lower(trim_copy(type));
    return out;
  } catch (const parse_failure&) {
    return lower(trim_copy(type));
  }
}

std::optional<std::string> canonical_default(std::string_view expression) {
  std::string e = canonical_expression(expression);
  if (e == "NULL" || e.empty()) return std::nullopt;
  return e;
}

std::string canonical_expression(std::string_view expression) {
  std::vector<Token> tokens;
  try {
    tokens = tokenize(expression);
  } catch (const parse_failure&) {
    return collapse_whitespace(expression);
  }
  try {
    Parser p(tokens, nullptr);
    if (p.at_end()) return "";
    Node n = p.parse_expr();
    if (!p.at_end()) return token_form(tokens);
    return print(n);
  } catch (const parse_failure&) {
    return token_form(tokens);
  }
}

std::string canonical_index_entry(std::string_view entry) {
  std::vector<Token> tokens;
  try {
    tokens = tokenize(entry);
  } catch (const parse_failure&) {
    return collapse_whitespace(entry);
  }
  try {
    Parser p(tokens, nullptr);
    Node n = p.parse_expr();
    std::string out = n.k == Node::K::column ? n.s : print(n);
    bool desc = false;
    if (p.accept_word("desc")) desc = true;
    else p.accept_word("asc");
    std::string suffix = desc ? " DESC" : "";
    if (p.accept_word("nulls")) {
      bool first = p.accept_word("first");
      if (!first) p.expect_word("last");
      if (desc && !first) suffix += " NULLS LAST";
      if (!desc && first) suffix += " NULLS FIRST";
    }
    if (!p.at_end()) return token_form(tokens);
    return out + suffix;
  } catch (const parse_failure&) {
    return token_form(tokens);
  }
}

std::string canonical_view(std::string_view select, const ColumnResolver& columns,
                           std::vector<std::string>* output_names) {
  std::vector<Token> tokens;
  try {
    tokens = tokenize(select);
  } catch (const parse_failure&) {
    return collapse_whitespace(select);
  }
  // Trailing semicolons (pg_get_viewdef ends with one).
  while (tokens.size() >= 2 && tokens[tokens.size() - 2].kind == Tok::semicolon)
    tokens.erase(tokens.end() - 2);
  try {
    Parser p(tokens, &columns);
    Stmt st = p.parse_statement();
    if (!p.at_end()) return token_form(tokens);
    if (output_names) *output_names = st.names;
    return st.text;
  } catch (const parse_failure&) {
    return token_form(tokens);
  }
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool space = false;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (c == '\'' || c == '"') quote = c;
    out += c;
  }
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

std::vector<std::string> referenced_columns(std::string_view expression) {
  std::vector<std::string> out;
  try {
    Parser p(tokenize(expression), nullptr);
    Node n = p.parse_expr();
    collect_columns(n, out);
  } catch (const parse_failure&) {
  }
  return out;
}

std::vector<std::optional<std::string>> parse_text_array(std::string_view text) {
  std::vector<std::optional<std::string>> out;
  std::size_t i = 0;
  while (i < text.size() && text[i] != '{') ++i;
  if (i == text.size()) return out;
  ++i;
  while (i < text.size() && text[i] != '}') {
    std::string v;
    bool quoted = false;
    if (text[i] == '"') {
      quoted = true;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        v += text[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '}') v += text[i++];
    }
    if (!quoted && v == "NULL")
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(v);
    if (i < text.size() && text[i] == ',') ++i;
  }
  return out;
}

std::string make_object_name(std::string_view name1, std::string_view name2,
                             std::string_view label) {
  std::size_t overhead = 0;
  if (!label.empty()) overhead += label.size() + 1;
  if (!name2.empty()) overhead += 1;
  std::size_t avail = max_name - overhead;
  std::size_t n1 = name1.size(), n2 = name2.size();
  while (n1 + n2 > avail) {
    if (n1 > n2)
      --n1;
    else
      --n2;
  }
  n1 = clip_utf8(name1, n1);
  n2 = clip_utf8(name2, n2);
  std::string out(name1.substr(0, n1));
  if (!name2.empty()) out += "_" + std::string(name2.substr(0, n2));
  if (!label.empty()) out += "_" + std::string(label);
  return out;
}

std::string name_addition(const std::vector<std::string>& columns) {
  std::string buf;
  for (const auto& c : columns) {
    if (!buf.empty()) buf += '_';
    buf += c.substr(0, max_name);
    if (buf.size() >= max_name + 1) break;
  }
  return buf;
}

std::string choose_name(std::string_view name1, std::string_view name2, std::string_view label,
                        std::set<std::string>& taken) {
  std::string modlabel(label);
  for (int pass = 0;; ) {
    std::string candidate = make_object_name(name1, name2, modlabel);
    if (!taken.count(candidate)) {
      taken.insert(candidate);
      return candidate;
    }
    modlabel = std::string(label) + std::to_string(++pass);
  }
}

}  // namespace migtest::detail::pg
