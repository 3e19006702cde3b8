// A line diff (longest common subsequence) for long definitions that differ. Reflection gives
// a definition on one line, so it is first cut at its clauses: a changed column of a 300-
// character view then shows as one "-" and one "+" line.
#include "diff/line_diff.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "strings.hpp"

namespace migtest::detail {

namespace {

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Keywords a clause of a query, a condition or a function body starts with.
bool starts_clause(const std::string& word, const std::string& previous) {
  static const std::set<std::string> clauses = {
      "SELECT",  "FROM",     "WHERE",     "GROUP", "ORDER",     "HAVING",  "LIMIT", "OFFSET",
      "UNION",   "EXCEPT",   "INTERSECT", "JOIN",  "LEFT",      "RIGHT",   "INNER", "FULL",
      "CROSS",   "AND",      "OR",        "WHEN",  "ELSE",      "END",     "BEGIN", "RETURN",
      "RETURNS", "LANGUAGE", "VALUES",    "SET",   "RETURNING", "DECLARE", "WITH"};
  static const std::set<std::string> join_kinds = {"LEFT",  "RIGHT", "INNER",  "FULL",
                                                   "CROSS", "OUTER", "NATURAL"};
  if (!clauses.count(word)) return false;
  // LEFT OUTER JOIN stays one line; so do UNION ALL and the like (ALL is no clause).
  return !((word == "JOIN" || word == "OUTER") && join_kinds.count(previous));
}

std::string trimmed(std::string_view s) { return std::string(trim(s)); }

// One line of the definition (no '\n' in it) into `out`.
void cut_line(std::string_view text, std::vector<std::string>& out) {
  std::string line, previous;
  auto flush = [&] {
    std::string t = trimmed(line);
    if (!t.empty()) out.push_back(std::move(t));
    line.clear();
  };
  char quote = 0;  // ' or " while inside a literal or a quoted name
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (quote) {
      line += c;
      if (c == quote) quote = 0;  // '' reopens at once: still inside
      ++i;
    } else if (c == '\'' || c == '"') {
      quote = c;
      line += c;
      ++i;
    } else if (c == ',' || c == ';') {
      line += c;
      flush();
      ++i;
    } else if (word_char(c) && (i == 0 || (!word_char(text[i - 1]) && text[i - 1] != '.'))) {
      std::size_t end = i;
      while (end < text.size() && word_char(text[end])) ++end;
      const std::string word = upper(text.substr(i, end - i));
      const bool qualified = end < text.size() && text[end] == '.';
      if (!qualified && starts_clause(word, previous)) flush();
      line += std::string(text.substr(i, end - i));
      previous = word;
      i = end;
    } else {
      line += c;
      ++i;
    }
  }
  flush();
}

enum class Op { same, removed, added };

// The edit script of the longest common subsequence of a and b.
std::vector<std::pair<Op, const std::string*>> edit_script(const std::vector<std::string>& a,
                                                           const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::pair<Op, const std::string*>> out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({Op::same, &a[i++]});
      ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push_back({Op::added, &b[j++]});
    } else {
      out.push_back({Op::removed, &a[i++]});
    }
  }
  // Within a run of changes, removals before additions: "- old" then "+ new".
  for (std::size_t k = 0; k < out.size();) {
    std::size_t end = k;
    while (end < out.size() && out[end].first != Op::same) ++end;
    std::stable_partition(out.begin() + static_cast<std::ptrdiff_t>(k),
                          out.begin() + static_cast<std::ptrdiff_t>(end),
                          [](const auto& e) { return e.first == Op::removed; });
    k = end == k ? k + 1 : end;
  }
  return out;
}

bool is_definition(Difference::Kind kind) {
  using K = Difference::Kind;
  switch (kind) {
    case K::view_changed:
    case K::function_changed:
    case K::trigger_changed:
    case K::check_changed:
    case K::default_changed:
    case K::generated_changed:
    case K::exclusion_changed:
      return true;
    default:
      return false;
  }
}

bool long_text(const std::string& s) { return s.size() > 72 || s.find('\n') != std::string::npos; }

}  // namespace

std::vector<std::string> definition_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    cut_line(text.substr(start, end - start), out);
    start = end + 1;
  }
  return out;
}

std::vector<std::string> line_diff(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b, std::size_t context) {
  const auto script = edit_script(a, b);
  // Which unchanged lines are near enough to a change to show.
  std::vector<bool> shown(script.size(), false);
  bool changed = false;
  for (std::size_t k = 0; k < script.size(); ++k) {
    if (script[k].first == Op::same) continue;
    changed = true;
    const std::size_t from = k >= context ? k - context : 0;
    for (std::size_t x = from; x < script.size() && x <= k + context; ++x) shown[x] = true;
  }
  std::vector<std::string> out;
  if (!changed) return out;
  bool gap = false;
  for (std::size_t k = 0; k < script.size(); ++k) {
    if (!shown[k]) {
      gap = true;
      continue;
    }
    if (gap) out.push_back("  ...");
    gap = false;
    const char* mark = script[k].first == Op::same      ? "  "
                       : script[k].first == Op::removed ? "- "
                                                        : "+ ";
    out.push_back(mark + *script[k].second);
  }
  if (gap) out.push_back("  ...");
  return out;
}

std::vector<std::string> difference_lines(const Difference& d, std::string_view actual_label,
                                          std::string_view expected_label) {
  const std::string line = d.describe(actual_label, expected_label);
  if (!is_definition(d.kind) || d.actual.empty() || d.expected.empty() ||
      !(long_text(d.actual) || long_text(d.expected))) {
    return {line};
  }
  // describe() is "<subject>: <actual label> <actual>, <expected label> <expected>".
  const std::string sides = ": " + std::string(actual_label) + " " + d.actual + ", " +
                            std::string(expected_label) + " " + d.expected;
  if (line.size() < sides.size() || line.compare(line.size() - sides.size(), sides.size(), sides))
    return {line};
  std::vector<std::string> out{line.substr(0, line.size() - sides.size()) + " differs (- " +
                               std::string(actual_label) + ", + " + std::string(expected_label) +
                               "):"};
  for (auto& l : line_diff(definition_lines(d.actual), definition_lines(d.expected)))
    out.push_back("  " + l);
  // Equal once cut (only spacing differs): the two lines say more.
  if (out.size() == 1) return {line};
  return out;
}

}  // namespace migtest::detail
