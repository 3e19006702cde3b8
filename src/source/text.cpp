#include "source/text.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "migtest/error.hpp"

namespace migtest::detail {

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return s.substr(b, e - b);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    std::size_t comma = s.find(',');
    std::string_view part = trim(s.substr(0, comma));
    if (!part.empty()) {
      out.emplace_back(part);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    s = s.substr(comma + 1);
  }
  return out;
}

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> out;
  std::size_t pos = 0;
  int number = 1;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) {
      eol = text.size();
    }
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    out.push_back({line, number++, pos});
    pos = eol + 1;
  }
  return out;
}

std::string goose_annotation(std::string_view comment) {
  comment = trim(comment);
  if (comment.size() < 6 || lower(comment.substr(0, 6)) != "+goose") {
    return "";
  }
  std::string out;
  bool space = false;
  for (char c : trim(comment.substr(6))) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) {
      out += ' ';
    }
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw parse_error(path, 0, "cannot read the file");
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  return text;
}

}  // namespace migtest::detail
