#include "backend/postgres/catalog_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <limits>

#include "sql_lexer.hpp"

namespace migtest::detail::pg {

namespace {

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// The index just past the quoted token that starts at `at` ('string' with '' inside, or
// "identifier" with "" inside); `at` itself when no quote starts there.
std::size_t past_quoted(std::string_view s, std::size_t at) {
  if (at >= s.size() || (s[at] != '\'' && s[at] != '"')) return at;
  // E'...' strings (only printed with standard_conforming_strings off) escape with '\'.
  const bool escapes = s[at] == '\'' && at > 0 && (s[at - 1] == 'E' || s[at - 1] == 'e');
  sql::Lexer lexer(s, sql::Dialect::postgresql);
  lexer.skip_to(escapes ? at - 1 : at, 1);
  const sql::Token t = lexer.next();
  return t.offset + t.text.size();
}

// The index of the ')' that closes the '(' at `open`, or npos.
std::size_t closing(std::string_view s, std::size_t open) {
  return sql::closing_paren(s, open, sql::Dialect::postgresql);
}

bool starts_with_at(std::string_view s, std::size_t at, std::string_view word) {
  return s.substr(at, word.size()) == word;
}

// "NULL", "NULL::integer", "NULL::character varying(20)": a NULL constant, perhaps cast.
bool null_constant(std::string_view e) {
  if (e == "NULL") return true;
  if (e.substr(0, 6) != "NULL::") return false;
  for (char c : e.substr(6)) {
    if (!ident_char(c) && !space(c) &&
        std::string_view("\".()[],:").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

struct TypeRange {
  long long min, max;
};

TypeRange range_of(const std::string& type) {
  if (type == "smallint")
    return {std::numeric_limits<short>::min(), std::numeric_limits<short>::max()};
  if (type == "integer") return {std::numeric_limits<int>::min(), std::numeric_limits<int>::max()};
  return {std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max()};
}

}  // namespace

std::vector<std::optional<std::string>> parse_text_array(std::string_view text) {
  std::vector<std::optional<std::string>> out;
  if (text.size() < 2 || text.front() != '{') return out;
  std::size_t i = 1;
  while (i < text.size() && text[i] != '}') {
    std::string item;
    bool quoted = false;
    if (text[i] == '"') {
      quoted = true;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        item += text[i];
      }
      ++i;  // the closing quote
    } else {
      for (; i < text.size() && text[i] != ',' && text[i] != '}'; ++i) item += text[i];
    }
    if (!quoted && item == "NULL")
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(item);
    if (i < text.size() && text[i] == ',') ++i;
  }
  return out;
}

std::optional<std::string> column_default(std::string_view e) {
  if (null_constant(e)) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < e.size();) {
    if (e[i] == '\'' || e[i] == '"') {
      const std::size_t end = past_quoted(e, i);
      out += e.substr(i, end - i);
      i = end;
      continue;
    }
    const bool boundary = i == 0 || !ident_char(e[i - 1]);
    constexpr std::string_view ts = "CURRENT_TIMESTAMP", tx = "transaction_timestamp()";
    if (boundary && starts_with_at(e, i, ts) &&
        (i + ts.size() == e.size() || (!ident_char(e[i + ts.size()]) && e[i + ts.size()] != '('))) {
      out += "now()";
      i += ts.size();
    } else if (boundary && starts_with_at(e, i, tx)) {
      out += "now()";
      i += tx.size();
    } else {
      out += e[i++];
    }
  }
  return out;
}

std::string strip_outer_parens(std::string_view e) {
  if (e.size() >= 2 && e.front() == '(' && closing(e, 0) == e.size() - 1)
    return std::string(e.substr(1, e.size() - 2));
  return std::string(e);
}

std::string one_line(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    if (space(text[i])) {
      pending_space = true;
      ++i;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    const std::size_t end = std::max(past_quoted(text, i), i + 1);
    out += text.substr(i, end - i);
    i = end;
  }
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

std::vector<std::string> first_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t open = 0;
  while (open < text.size() && text[open] != '(')
    open = std::max(past_quoted(text, open), open + 1);
  const std::size_t close = open < text.size() ? closing(text, open) : std::string_view::npos;
  if (close == std::string_view::npos) return out;
  int depth = 0;
  std::size_t start = open + 1;
  for (std::size_t i = open + 1; i <= close;) {
    if (text[i] == '\'' || text[i] == '"') {
      i = past_quoted(text, i);
      continue;
    }
    if (text[i] == '(') ++depth;
    if (text[i] == ')') --depth;
    if ((text[i] == ',' && depth == 0) || i == close) {
      std::string_view item = text.substr(start, i - start);
      while (!item.empty() && space(item.front())) item.remove_prefix(1);
      while (!item.empty() && space(item.back())) item.remove_suffix(1);
      out.emplace_back(item);
      start = i + 1;
    }
    ++i;
  }
  return out;
}

std::string sequence_options(const SequenceParameters& p, bool with_start) {
  const TypeRange r = range_of(p.type);
  const bool up = p.increment > 0;
  const long long min = up ? 1 : r.min, max = up ? r.max : -1;
  std::string out;
  auto add = [&](const std::string& item) { out += (out.empty() ? "" : " ") + item; };
  if (with_start && p.start != (up ? p.min : p.max)) add(fmt::format("START WITH {}", p.start));
  if (with_start && p.increment != 1) add(fmt::format("INCREMENT BY {}", p.increment));
  if (p.min != min) add(fmt::format("MINVALUE {}", p.min));
  if (p.max != max) add(fmt::format("MAXVALUE {}", p.max));
  if (p.cache != 1) add(fmt::format("CACHE {}", p.cache));
  if (p.cycle) add("CYCLE");
  return out;
}

}  // namespace migtest::detail::pg
