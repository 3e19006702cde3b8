#include "sql_quote.hpp"

#include "strings.hpp"

namespace migtest::detail {

namespace {
std::string enclose(std::string_view text, char mark) {
  std::string out(1, mark);
  out.reserve(text.size() + 2);
  for (char c : text) {
    out += c;
    if (c == mark) out += mark;
  }
  return out + mark;
}
}  // namespace

std::string quote_ident(std::string_view name) { return enclose(name, '"'); }
std::string quote_literal(std::string_view text) { return enclose(text, '\''); }

std::string quote_ident_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(quote_ident(name));
  return join(quoted, ", ");
}

std::string c_string_literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string shorten(const std::string& statement, std::size_t max) {
  std::string out;
  bool space = false;
  for (char c : statement) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}

}  // namespace migtest::detail
