// The directory scan: which layout a migrations folder uses, which of its entries are
// revisions by that layout's own tool's rules, and the readers of the layouts made of several
// files per revision (Diesel, golang-migrate). A foreign history is one line in its tool's
// order (formats.hpp: one version and one order function per tool).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <functional>
#include <map>
#include <optional>

#include "source/formats.hpp"
#include "source/sha256.hpp"
#include "source/text.hpp"

namespace migtest::detail {

namespace {

namespace fs = boost::filesystem;

std::string path_in(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).generic_string();
}

// An entry named `name` exists in `dir`, whatever it is (a dangling link too: reading it
// then names what it is).
bool has_entry(const std::string& dir, const std::string& name) {
  boost::system::error_code ec;
  fs::file_type t = fs::symlink_status(path_in(dir, name), ec).type();
  return t != fs::status_error && t != fs::file_not_found;
}

bool is_empty_directory(const std::string& dir) {
  boost::system::error_code ec;
  return fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

// One entry of the migrations folder, and the layout its name or markers stand for.
struct Entry {
  std::string name, path;
  bool directory = false;
  std::string bytes;   // a .sql file's bytes, read once to find its markers
  std::string layout;  // "" when the entry stands for no layout
};

// A revision of a foreign layout before its parent is linked.
struct Foreign {
  ForeignVersion version;
  RevisionScript script;
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

bool is_sql_name(const std::string& name) { return name.size() > 4 && ends_with(name, ".sql"); }

// A name some layout could read as a revision: such an entry that is not a regular file or
// a directory is refused rather than skipped.
bool could_be_revision(const std::string& name) {
  return is_sql_name(name) || ends_with(name, ".go") || golang_migrate_file(name) ||
         std::isdigit(static_cast<unsigned char>(name[0]));
}

// The layout a .sql file's markers stand for ("" for none).
std::string sql_layout(const Entry& e) {
  std::string_view text = without_bom(e.bytes);
  if (has_line(text, [](std::string_view t) {
        return t.substr(0, 2) == "--" && goose_annotation(t.substr(2)) == "up";
      })) {
    return "goose";
  }
  if (has_line(text, is_revision_header)) {
    return "migtest";
  }
  if (has_line(text, [](std::string_view t) { return is_comment_matching(t, "migrate:up"); })) {
    if (!dbmate_version(e.name)) {
      throw parse_error(e.path, 1,
                        "no -- revision: header (a migtest revision file starts with "
                        "-- revision: and -- down_revision:)");
    }
    return "dbmate";
  }
  return "";
}

bool is_versioned_go(const std::string& name) {
  std::string refused;
  return ends_with(name, ".go") && !ends_with(name, "_test.go") && goose_version(name, refused);
}

// Every entry but those named .*: directories, regular files (through symbolic links) and,
// for entries of any other kind (a FIFO, a socket, a device, a dangling link), an error when
// the name could be a revision's, else a warning.
std::vector<Entry> scan(const std::string& directory, std::vector<std::string>& warnings) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<Entry> out;
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.') {
      continue;  // .gitkeep, editor files
    }
    Entry e;
    e.name = name;
    e.path = path_in(directory, name);
    // One look at each entry: a history of a thousand files pays for every stat.
    std::string kind = not_a_regular_file(e.path);
    e.directory = kind == "a directory";
    if (e.directory) kind.clear();
    if (!kind.empty()) {
      if (could_be_revision(name)) {
        refuse_not_regular_file(e.path, kind);
      }
      warnings.push_back(fmt::format("{}: ignored, {}, not a regular file", e.path, kind));
      continue;
    }
    if (e.directory) {
      if (has_entry(e.path, "up.sql") || has_entry(e.path, "down.sql")) {
        e.layout = "diesel";
      }
    } else if (golang_migrate_file(name) && is_sql_name(name)) {
      e.layout = "golang-migrate";
    } else if (is_versioned_go(name)) {
      e.layout = "goose";
    } else if (is_sql_name(name)) {
      e.bytes = read_revision_file(e.path);
      e.layout = sql_layout(e);
    }
    out.push_back(std::move(e));
  }
  return out;
}

// One layout per folder: the layouts found, each with its first file, or an error.
std::string layout_of(const std::string& directory, const std::vector<Entry>& entries) {
  std::map<std::string, std::string> first;  // layout -> first file
  for (const auto& e : entries) {
    if (!e.layout.empty()) {
      first.emplace(e.layout, e.path);
    }
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
  return first.empty() ? "migtest" : first.begin()->first;
}

// The warning for an entry the folder's tool does not read.
void ignore(const Entry& e, std::vector<std::string>& warnings) {
  if (e.directory) {
    warnings.push_back(fmt::format("{}/: ignored, a directory that is not a revision", e.path));
  } else if (is_sql_name(e.name)) {
    warnings.push_back(fmt::format(
        "{}: ignored, a .sql file without -- revision:, -- migrate:up or -- +goose Up", e.path));
  } else {
    warnings.push_back(fmt::format("{}: ignored, not a revision file", e.path));
  }
}

// One file of a several-files layout as the one section of `body`, its bytes added to the
// revision's `hashed` bytes under `label`. False when it holds no statement.
bool read_whole_file(const std::string& path, const char* label, RevisionBody& body,
                     std::string& hashed) {
  std::string bytes = read_revision_file(path);
  hashed += fmt::format("{}{}\n{}", hashed.empty() ? "" : "\n", label, bytes);
  body.file = path;
  body.sections.push_back({std::nullopt, std::string(without_bom(bytes)), 1});
  return section_has_statements(body.sections.front(), path);
}

RevisionScript read_diesel(const std::string& dir, const ForeignVersion& version,
                           std::vector<std::string>& warnings) {
  RevisionScript s;
  std::string up = path_in(dir, "up.sql"), down = path_in(dir, "down.sql"),
              meta = path_in(dir, "metadata.toml");
  if (!has_entry(dir, "up.sql")) {
    throw parse_error(
        dir, 0,
        "a folder without up.sql: Diesel refuses any non-empty folder without one in its "
        "migrations folder");
  }
  std::string hashed;
  if (!read_whole_file(up, "up.sql", s.up, hashed)) {
    warnings.push_back(fmt::format("{}: empty up.sql", up));
  }
  s.down.file = down;
  if (has_entry(dir, "down.sql")) {
    read_whole_file(down, "down.sql", s.down, hashed);
  } else {
    s.revision.reversible = false;
  }
  if (has_entry(dir, "metadata.toml")) {
    std::string meta_bytes = read_revision_file(meta);
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
  s.revision.id = version.id;
  s.revision.message = version.message;
  s.revision.file = up;
  s.checksum = sha256_hex(hashed);
  return s;
}

// Diesel runs every folder with an up.sql, ignores files and empty folders, and refuses
// other folders.
std::vector<Foreign> diesel_revisions(const std::vector<Entry>& entries,
                                      std::vector<std::string>& warnings) {
  std::vector<Foreign> out;
  for (const auto& e : entries) {
    if (!e.directory || (e.layout.empty() && is_empty_directory(e.path))) {
      ignore(e, warnings);
      continue;
    }
    ForeignVersion v = diesel_version(e.name);
    out.push_back({v, read_diesel(e.path, v, warnings)});
  }
  return out;
}

// The up and down files of one golang-migrate version.
struct GolangPair {
  ForeignVersion version;
  std::string up, down;
};

RevisionScript read_golang_migrate(const GolangPair& pair, std::vector<std::string>& warnings) {
  RevisionScript s;
  std::string hashed;
  if (pair.up.empty()) {
    // golang-migrate applies such a version with nothing run on the way up.
    s.up.sections.push_back({std::nullopt, "", 1});
    warnings.push_back(fmt::format(
        "{}: no .up file: upgrading through version {} runs nothing, as in golang-migrate",
        pair.down, pair.version.id));
  } else if (!read_whole_file(pair.up, "up", s.up, hashed)) {
    warnings.push_back(fmt::format("{}: empty up migration", pair.up));
  }
  if (pair.down.empty()) {
    s.revision.reversible = false;
  } else {
    read_whole_file(pair.down, "down", s.down, hashed);
  }
  s.revision.id = pair.version.id;
  s.revision.file = pair.up.empty() ? pair.down : pair.up;
  s.revision.message = pair.version.message;
  s.checksum = sha256_hex(hashed);
  return s;
}

// golang-migrate reads `<v>_<name>.<up|down>.<any extension>`, one file per version and
// direction, skips versions above 2^64-1 and every other entry.
std::vector<Foreign> golang_migrate_revisions(const std::vector<Entry>& entries,
                                              std::vector<std::string>& warnings) {
  std::map<std::uint64_t, GolangPair> pairs;
  for (const auto& e : entries) {
    auto file = e.directory ? std::nullopt : golang_migrate_file(e.name);
    if (!file) {
      ignore(e, warnings);
      continue;
    }
    if (!file->fits) {
      warnings.push_back(fmt::format(
          "{}: ignored, version {} does not fit in 64 bits (golang-migrate skips the file)", e.path,
          file->version.id));
      continue;
    }
    GolangPair& pair = pairs[file->version.number];
    std::string& slot = file->up ? pair.up : pair.down;
    if (!slot.empty()) {
      throw duplicate_revision_error(
          fmt::format("duplicate revision id {}: {} and {}", file->version.id, slot, e.path),
          file->version.id, slot, e.path);
    }
    slot = e.path;
    if (file->up || pair.version.id.empty()) {
      pair.version = file->version;  // the message comes from the up file
    }
  }
  std::vector<Foreign> out;
  for (const auto& [number, pair] : pairs) {
    out.push_back({pair.version, read_golang_migrate(pair, warnings)});
  }
  return out;
}

// dbmate reads every `<digits>...sql` file (each must hold -- migrate:up) and skips the rest.
std::vector<Foreign> dbmate_revisions(const std::vector<Entry>& entries,
                                      std::vector<std::string>& warnings) {
  std::vector<Foreign> out;
  for (const auto& e : entries) {
    auto version = e.directory ? std::nullopt : dbmate_version(e.name);
    if (!version) {
      ignore(e, warnings);
      continue;
    }
    if (e.layout.empty()) {
      throw parse_error(e.path, 1, "no -- migrate:up: dbmate refuses a migration without one");
    }
    RevisionScript s = parse_dbmate_file(e.path, e.bytes);
    s.revision.id = version->id;
    s.revision.message = version->message;
    out.push_back({*version, std::move(s)});
  }
  return out;
}

// goose reads every .sql file of its folder (each must be `<version>_<name>.sql` and hold
// -- +goose Up) and the versioned .go files, which migtest cannot run.
std::vector<Foreign> goose_revisions(const std::vector<Entry>& entries,
                                     std::vector<std::string>& warnings) {
  std::vector<Foreign> out;
  for (const auto& e : entries) {
    if (!e.directory && is_versioned_go(e.name)) {
      throw parse_error(e.path, 0, "a goose Go migration: only SQL revisions can be read");
    }
    if (e.directory || !is_sql_name(e.name)) {
      ignore(e, warnings);
      continue;
    }
    std::string refused;
    auto version = goose_version(e.name, refused);
    if (!version) {
      throw parse_error(e.path, 0, refused);
    }
    if (e.layout.empty()) {
      throw parse_error(e.path, 1,
                        "no -- +goose Up annotation: goose runs every .sql file of its folder");
    }
    RevisionScript s = parse_goose_file(e.path, e.bytes, warnings);
    s.revision.id = version->id;
    s.revision.message = version->message;
    out.push_back({*version, std::move(s)});
  }
  return out;
}

// The tool's order, each revision the child of the one before. Two revisions with one
// version are an error naming both: no tool runs both.
std::vector<RevisionScript> linked(std::vector<Foreign> foreign,
                                   bool (*before)(const ForeignVersion&, const ForeignVersion&)) {
  std::map<std::string, std::string> files;  // id -> file
  for (const auto& f : foreign) {
    auto [it, inserted] = files.emplace(f.version.id, f.script.revision.file);
    if (!inserted) {
      throw duplicate_revision_error(fmt::format("duplicate revision id {}: {} and {}",
                                                 f.version.id, it->second, f.script.revision.file),
                                     f.version.id, it->second, f.script.revision.file);
    }
  }
  std::stable_sort(foreign.begin(), foreign.end(), [&](const Foreign& a, const Foreign& b) {
    return before(a.version, b.version);
  });
  std::vector<RevisionScript> out;
  for (auto& f : foreign) {
    f.script.revision.created = created_from_version(f.version.id);
    if (!out.empty()) {
      f.script.revision.down_revisions = {out.back().revision.id};
    }
    out.push_back(std::move(f.script));
  }
  return out;
}

}  // namespace

LoadedDirectory load_directory(const std::string& directory) {
  boost::system::error_code ec;
  if (!fs::exists(directory, ec)) {
    throw config_error(fmt::format("migrations directory {} does not exist", directory));
  }
  if (!fs::is_directory(directory, ec)) {
    throw config_error(fmt::format("migrations directory {} is not a directory", directory));
  }
  LoadedDirectory out;
  std::vector<Entry> entries = scan(directory, out.warnings);
  out.layout = layout_of(directory, entries);
  if (out.layout == "diesel") {
    out.scripts = linked(diesel_revisions(entries, out.warnings), diesel_before);
  } else if (out.layout == "golang-migrate") {
    out.scripts = linked(golang_migrate_revisions(entries, out.warnings), golang_migrate_before);
  } else if (out.layout == "dbmate") {
    out.scripts = linked(dbmate_revisions(entries, out.warnings), dbmate_before);
  } else if (out.layout == "goose") {
    out.scripts = linked(goose_revisions(entries, out.warnings), goose_before);
  } else {
    for (const auto& e : entries) {
      if (e.layout == "migtest") {
        out.scripts.push_back(parse_migtest_file(e.path, e.bytes));
      } else {
        ignore(e, out.warnings);
      }
    }
  }
  return out;
}

}  // namespace migtest::detail
