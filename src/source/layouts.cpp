// The directory scan: which layout a migrations folder uses, and the readers of
// the layouts made of several files per revision (Diesel, golang-migrate).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>

#include "source/formats.hpp"
#include "source/text.hpp"

namespace migtest::detail {

namespace {

namespace fs = std::filesystem;

std::string strip_zeros(const std::string& digits) {
  std::size_t nz = digits.find_first_not_of('0');
  return nz == std::string::npos ? "0" : digits.substr(nz);
}

// Numeric order on digit strings of any length (14-digit timestamps overflow nothing).
bool version_less(const std::string& a, const std::string& b) {
  std::string x = strip_zeros(a), y = strip_zeros(b);
  if (x.size() != y.size()) {
    return x.size() < y.size();
  }
  if (x != y) {
    return x < y;
  }
  return a < b;
}

std::string words(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return std::string(trim(name));
}

std::string path_in(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).generic_string();
}

// A revision of a foreign layout before its parent is linked.
struct Foreign {
  std::string version;  // digits, for ordering
  RevisionScript script;
};

struct Classified {
  std::string layout;  // "" = ignored
  std::string path;
  std::string bytes;  // one-file layouts
};

bool has_line(std::string_view text, const std::function<bool(std::string_view)>& pred) {
  for (const Line& l : lines_of(text)) {
    if (pred(trim(l.text))) {
      return true;
    }
  }
  return false;
}

bool is_comment_matching(std::string_view t, std::string_view prefix) {
  if (t.substr(0, 2) != "--") {
    return false;
  }
  std::string_view c = trim(t.substr(2));
  return c.substr(0, prefix.size()) == prefix;
}

bool is_revision_header(std::string_view t) {
  if (t.substr(0, 2) != "--") {
    return false;
  }
  std::string_view c = trim(t.substr(2));
  if (lower(c.substr(0, 8)) != "revision") {
    return false;
  }
  return trim(c.substr(8)).substr(0, 1) == ":";
}

RevisionScript read_diesel(const std::string& dir, const std::string& version,
                           const std::string& name, std::vector<std::string>& warnings) {
  RevisionScript s;
  std::string up = path_in(dir, "up.sql"), down = path_in(dir, "down.sql"),
              meta = path_in(dir, "metadata.toml");
  std::string hashed;
  std::string up_bytes = read_file(up);
  hashed += "up.sql\n" + up_bytes;
  s.up.file = up;
  s.up.sections.push_back({"", std::string(without_bom(up_bytes)), 1});
  if (!section_has_statements(s.up.sections.front(), up)) {
    warnings.push_back(fmt::format("{}: empty up.sql", up));
  }
  s.down.file = down;
  std::error_code ec;
  if (fs::exists(down, ec)) {
    std::string down_bytes = read_file(down);
    hashed += "\ndown.sql\n" + down_bytes;
    s.down.sections.push_back({"", std::string(without_bom(down_bytes)), 1});
    section_has_statements(s.down.sections.front(), down);
  } else {
    s.revision.reversible = false;
  }
  if (fs::exists(meta, ec)) {
    std::string meta_bytes = read_file(meta);
    hashed += "\nmetadata.toml\n" + meta_bytes;
    try {
      toml::table t = toml::parse(meta_bytes, meta);
      if (auto node = t.get("run_in_transaction")) {
        auto v = node->value<bool>();
        if (!v) {
          throw parse_error(meta, static_cast<int>(node->source().begin.line),
                            "run_in_transaction must be true or false");
        }
        s.revision.transactional = *v;
      }
    } catch (const toml::parse_error& e) {
      throw parse_error(meta, static_cast<int>(e.source().begin.line),
                        std::string(e.description()));
    }
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string f = entry.path().filename().string();
    if (f != "up.sql" && f != "down.sql" && f != "metadata.toml" && f[0] != '.') {
      warnings.push_back(
          fmt::format("{}: ignored, not part of a Diesel migration", path_in(dir, f)));
    }
  }
  s.revision.id = version;
  s.revision.message = words(name);
  s.revision.file = up;
  s.revision.created = created_from_version(version);
  s.checksum = sha256_hex(hashed);
  return s;
}

}  // namespace

LoadedDirectory load_directory(const std::string& directory) {
  std::error_code ec;
  if (!fs::exists(directory, ec)) {
    throw usage_error(fmt::format("migrations directory {} does not exist", directory));
  }
  if (!fs::is_directory(directory, ec)) {
    throw usage_error(fmt::format("migrations directory {} is not a directory", directory));
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());

  static const std::regex diesel_dir(R"(^([0-9][0-9-]*)_(.+)$)");
  static const std::regex golang_file(R"(^([0-9]+)_(.*)\.(up|down)\.sql$)");
  static const std::regex versioned_sql(R"(^([0-9]+)_(.*)\.sql$)");
  static const std::regex dbmate_file(R"(^([0-9]+)_?(.*)\.sql$)");
  static const std::regex goose_go(R"(^([0-9]+)_.*\.go$)");

  LoadedDirectory out;
  std::vector<Classified> found;
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.') {
      continue;  // .gitkeep, editor files
    }
    std::string path = path_in(directory, name);
    std::smatch m;
    if (fs::is_directory(path, ec)) {
      bool up = fs::exists(path_in(path, "up.sql"), ec);
      bool down = fs::exists(path_in(path, "down.sql"), ec);
      if (std::regex_match(name, m, diesel_dir) && (up || down)) {
        if (!up) {
          throw parse_error(path, 0, "Diesel migration without up.sql");
        }
        found.push_back({"diesel", path, ""});
      } else {
        out.warnings.push_back(
            fmt::format("{}/: ignored, a directory that is not a revision", path));
      }
      continue;
    }
    if (std::regex_match(name, golang_file)) {
      found.push_back({"golang-migrate", path, ""});
      continue;
    }
    if (std::regex_match(name, goose_go)) {
      found.push_back({"goose-go", path, ""});
      continue;
    }
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0) {
      std::string bytes = read_file(path);
      std::string_view text = without_bom(bytes);
      std::string layout;
      if (has_line(text, [](std::string_view t) {
            return t.substr(0, 2) == "--" && goose_annotation(t.substr(2)) == "up";
          })) {
        layout = "goose";
      } else if (has_line(text, is_revision_header)) {
        layout = "migtest";
      } else if (has_line(text, [](std::string_view t) {
                   return is_comment_matching(t, "migrate:up");
                 })) {
        if (!std::regex_match(name, dbmate_file)) {
          throw parse_error(path, 1,
                            "no -- revision: header (a migtest revision file starts with "
                            "-- revision: and -- down_revision:)");
        }
        layout = "dbmate";
      }
      if (!layout.empty()) {
        found.push_back({layout, path, std::move(bytes)});
        continue;
      }
      out.warnings.push_back(fmt::format(
          "{}: ignored, a .sql file without -- revision:, -- migrate:up or -- +goose Up", path));
      continue;
    }
    out.warnings.push_back(fmt::format("{}: ignored, not a revision file", path));
  }

  // One layout per folder: name one file of each layout found.
  std::map<std::string, std::string> first;  // layout -> first file
  for (const auto& c : found) {
    std::string layout = c.layout == "goose-go" ? "goose" : c.layout;
    first.emplace(layout, c.path);
  }
  if (first.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& [layout, path] : first) {
      parts.push_back(fmt::format("{} ({})", path, layout));
    }
    std::string hint = first.count("migtest") && first.count("dbmate")
                           ? "; a migtest file needs a -- revision: header"
                           : "";
    throw parse_error(directory, 0,
                      fmt::format("mixes revision layouts: {}{}", fmt::join(parts, ", "), hint));
  }
  out.layout = first.empty() ? "migtest" : first.begin()->first;

  std::vector<Foreign> foreign;
  std::map<std::string, std::pair<std::string, std::string>> golang;  // version -> up, down
  std::map<std::string, std::string> golang_names;
  for (auto& c : found) {
    std::string name = fs::path(c.path).filename().string();
    std::smatch m;
    if (c.layout == "migtest") {
      out.scripts.push_back(parse_migtest_file(c.path, c.bytes));
    } else if (c.layout == "goose-go") {
      throw parse_error(c.path, 0, "a goose Go migration: only SQL revisions can be read");
    } else if (c.layout == "goose") {
      if (!std::regex_match(name, m, versioned_sql)) {
        throw parse_error(c.path, 0, "a goose file name is <version>_<name>.sql");
      }
      RevisionScript s = parse_goose_file(c.path, c.bytes, out.warnings);
      s.revision.id = strip_zeros(m[1]);
      s.revision.message = words(m[2]);
      s.revision.created = created_from_version(m[1].str());
      foreign.push_back({m[1], std::move(s)});
    } else if (c.layout == "dbmate") {
      std::regex_match(name, m, dbmate_file);
      RevisionScript s = parse_dbmate_file(c.path, c.bytes);
      s.revision.id = m[1];
      s.revision.message = words(m[2]);
      s.revision.created = created_from_version(m[1].str());
      foreign.push_back({m[1], std::move(s)});
    } else if (c.layout == "diesel") {
      std::regex_match(name, m, diesel_dir);
      std::string version = m[1];
      version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
      foreign.push_back({version, read_diesel(c.path, version, m[2], out.warnings)});
    } else if (c.layout == "golang-migrate") {
      std::regex_match(name, m, golang_file);
      std::string version = strip_zeros(m[1]);
      auto& slot = golang[version];
      std::string& file = m[3] == "up" ? slot.first : slot.second;
      if (!file.empty()) {
        throw duplicate_revision_error(
            fmt::format("duplicate revision id {}: {} and {}", version, file, c.path));
      }
      file = c.path;
      if (m[3] == "up") {
        golang_names[version] = m[2];
      }
    }
  }
  for (auto& [version, files] : golang) {
    const auto& [up, down] = files;
    if (up.empty()) {
      throw parse_error(down, 0, "a down migration without its .up.sql file");
    }
    RevisionScript s;
    std::string up_bytes = read_file(up), hashed = "up\n" + up_bytes;
    s.up.file = up;
    s.up.sections.push_back({"", std::string(without_bom(up_bytes)), 1});
    if (!section_has_statements(s.up.sections.front(), up)) {
      out.warnings.push_back(fmt::format("{}: empty up migration", up));
    }
    s.down.file = down;
    if (!down.empty()) {
      std::string down_bytes = read_file(down);
      hashed += "\ndown\n" + down_bytes;
      s.down.sections.push_back({"", std::string(without_bom(down_bytes)), 1});
      section_has_statements(s.down.sections.front(), down);
    } else {
      s.revision.reversible = false;
    }
    s.revision.id = version;
    s.revision.file = up;
    s.revision.message = words(golang_names[version]);
    s.revision.created = created_from_version(version);
    s.checksum = sha256_hex(hashed);
    foreign.push_back({version, std::move(s)});
  }

  // Foreign histories are linear, in version order.
  std::stable_sort(foreign.begin(), foreign.end(), [](const Foreign& a, const Foreign& b) {
    return version_less(a.version, b.version);
  });
  for (std::size_t i = 1; i < foreign.size(); ++i) {
    foreign[i].script.revision.down_revisions = {foreign[i - 1].script.revision.id};
  }
  for (auto& f : foreign) {
    out.scripts.push_back(std::move(f.script));
  }
  return out;
}

}  // namespace migtest::detail
