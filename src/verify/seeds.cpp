// Seed files: rows planted right after a revision, and the query that must keep finding them.
#include <fmt/format.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

#include "migtest/verify.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

namespace fs = boost::filesystem;

using detail::trim;

// "-- migtest:seed" -> "seed"; "" when the line is no migtest directive.
std::string directive(std::string_view line, std::string& argument) {
  line = trim(line);
  if (line.substr(0, 2) != "--") return "";
  line = trim(line.substr(2));
  if (line.substr(0, 8) != "migtest:") return "";
  line.remove_prefix(8);
  std::size_t sp = line.find_first_of(" \t");
  argument = sp == std::string_view::npos ? "" : std::string(trim(line.substr(sp)));
  return std::string(line.substr(0, sp));
}

Seed parse_seed(const std::string& path, const std::string& text) {
  Seed seed;
  seed.file = path;
  std::string stem = fs::path(path).stem().string();
  seed.revision = stem.substr(0, stem.find('_'));
  enum { header, in_seed, in_expect } state = header;
  int seed_line = 0, expect_line = 0;
  std::string expect;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string arg;
    std::string d = directive(line, arg);
    if (d == "seed") {
      if (seed_line)
        throw parse_error(path, number,
                          fmt::format("second -- migtest:seed (first on line {})", seed_line));
      if (state == in_expect)
        throw parse_error(path, number, "-- migtest:seed after -- migtest:expect");
      seed_line = number;
      seed.line = number + 1;
      state = in_seed;
      continue;
    }
    if (d == "expect") {
      if (expect_line)
        throw parse_error(path, number,
                          fmt::format("second -- migtest:expect (first on line {})", expect_line));
      expect_line = number;
      state = in_expect;
      continue;
    }
    if (d == "revision" || d == "until") {
      if (state != header)
        throw parse_error(path, number,
                          fmt::format("-- migtest:{} goes before -- migtest:seed", d));
      if (arg.empty())
        throw parse_error(path, number, fmt::format("-- migtest:{} names no revision", d));
      (d == "revision" ? seed.revision : seed.until) = arg;
      continue;
    }
    if (!d.empty()) {
      throw parse_error(
          path, number,
          fmt::format("unknown directive -- migtest:{} (seed, expect, revision, until)", d));
    }
    if (state == in_seed) {
      seed.sql += line + "\n";
    } else if (state == in_expect) {
      expect += line + "\n";
    } else if (!trim(line).empty() && trim(line).substr(0, 2) != "--") {
      throw parse_error(path, number, "SQL before -- migtest:seed");
    }
  }
  if (!seed_line) throw parse_error(path, 1, "no -- migtest:seed section");
  if (!expect_line) throw parse_error(path, seed_line, "no -- migtest:expect query after the seed");
  std::string_view q = trim(expect);
  while (!q.empty() && q.back() == ';') q = trim(q.substr(0, q.size() - 1));
  if (q.empty()) throw parse_error(path, expect_line, "-- migtest:expect holds no query");
  if (q.find(';') != std::string_view::npos) {
    // One query: a ';' inside it is allowed only in a string, which is rare enough to refuse.
    bool quoted = false;
    for (char c : q) {
      if (c == '\'') quoted = !quoted;
      if (c == ';' && !quoted) {
        throw parse_error(path, expect_line, "-- migtest:expect holds more than one statement");
      }
    }
  }
  seed.expect = std::string(q);
  if (seed.revision.empty())
    throw parse_error(path, 1,
                      "no revision: name the file <revision>.sql or add -- migtest:revision <id>");
  return seed;
}

}  // namespace

std::vector<Seed> load_seeds(const std::string& directory) {
  boost::system::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    throw config_error(fmt::format("seeds directory '{}' does not exist", directory));
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(directory)) {
    if (fs::is_regular_file(e.path()) && e.path().extension() == ".sql") {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Seed> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out.push_back(parse_seed(f, ss.str()));
  }
  return out;
}

}  // namespace migtest
