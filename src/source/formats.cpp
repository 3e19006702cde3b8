// Readers for the one-file-per-revision formats: migtest's own, dbmate and goose.
#include "source/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <regex>

#include "migtest/registry.hpp"
#include "source/sha256.hpp"
#include "source/text.hpp"

namespace migtest::detail {

namespace {

// `-- migrate:up args` / `-- migrate:down args` (dbmate's markers, which migtest shares).
struct Marker {
  bool up = true;
  std::vector<std::string> args;
};

std::optional<Marker> migrate_marker(std::string_view line) {
  line = trim(line);
  if (line.substr(0, 2) != "--") {
    return std::nullopt;
  }
  std::string_view rest = trim(line.substr(2));
  Marker m;
  if (rest.substr(0, 10) == "migrate:up") {
    rest.remove_prefix(10);
  } else if (rest.substr(0, 12) == "migrate:down") {
    m.up = false;
    rest.remove_prefix(12);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest.front()))) {
    return std::nullopt;
  }
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && std::isspace(static_cast<unsigned char>(rest[i]))) {
      ++i;
    }
    std::size_t b = i;
    while (i < rest.size() && !std::isspace(static_cast<unsigned char>(rest[i]))) {
      ++i;
    }
    if (i > b) {
      m.args.emplace_back(rest.substr(b, i - b));
    }
  }
  return m;
}

// The text after a marker line up to the next marker (or the end).
struct RawSection {
  bool up;
  std::vector<std::string> args;
  int marker_line;
  std::size_t begin;
  std::size_t end;
  int first_line;
};

std::size_t after_line(std::string_view text, const Line& l) {
  std::size_t eol = text.find('\n', l.offset);
  return eol == std::string_view::npos ? text.size() : eol + 1;
}

bool valid_id(std::string_view id) {
  if (id.empty()) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool valid_label(std::string_view label) {
  if (label.empty()) {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

const std::vector<std::string>& header_fields() {
  static const std::vector<std::string> fields = {"revision",   "down_revision", "message",
                                                  "created",    "branch_labels", "depends_on",
                                                  "transaction"};
  return fields;
}

// A `-- key: value` line whose key looks like a misspelt field: an error rather
// than a silently ignored option. Other `-- words: ...` lines are comments.
std::string near_field(const std::string& key) {
  for (const auto& f : header_fields()) {
    if (edit_distance(key, f) <= 2 || key.find(f) != std::string::npos ||
        (key.size() >= 5 && f.find(key) != std::string::npos)) {
      return f;
    }
  }
  return "";
}

// The words a section marker may name its dialect with. Narrower than parse_dialect on
// purpose (no "pg"): what a revision file means must not change with the URL parser.
std::optional<Dialect> dialect_name(std::string_view word) {
  std::string w = lower(word);
  if (w == "sqlite" || w == "sqlite3") {
    return Dialect::sqlite;
  }
  if (w == "postgresql" || w == "postgres") {
    return Dialect::postgresql;
  }
  return std::nullopt;
}

std::string message_from_file_name(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0) {
    name.resize(name.size() - 4);
  }
  std::size_t us = name.find('_');
  if (us == std::string::npos) {
    return "";
  }
  std::string msg = name.substr(us + 1);
  std::replace(msg.begin(), msg.end(), '_', ' ');
  return msg;
}

std::string words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return std::string(trim(out));
}

// Decimal digits as a number; false when it is above `max`. Leading zeros are fine.
bool parse_decimal(std::string_view digits, std::uint64_t max, std::uint64_t& out) {
  out = 0;
  for (char c : digits) {
    auto d = static_cast<std::uint64_t>(c - '0');
    if (out > (max - d) / 10) {
      return false;
    }
    out = out * 10 + d;
  }
  return true;
}

}  // namespace

bool section_has_statements(const SqlSection& section, const std::string& file) {
  if (section.dialect) {
    return !split_statements(section.sql, *section.dialect, section.first_line, file).empty();
  }
  try {
    return !split_statements(section.sql, Dialect::postgresql, section.first_line, file).empty();
  } catch (const parse_error&) {
    // Valid SQLite (an E'\'' that is not an escape string there, ...) is checked
    // for SQLite when it runs; a section neither dialect can split fails now.
    try {
      return !split_statements(section.sql, Dialect::sqlite, section.first_line, file).empty();
    } catch (const parse_error&) {
    }
    throw;
  }
}

namespace {

// A header field's list of ids (or labels); `none` is the empty list where it is allowed.
std::vector<std::string> header_ids(const std::string& key, std::string_view value,
                                    const std::string& path, int line) {
  std::vector<std::string> out;
  if (value.empty()) {
    throw parse_error(path, line,
                      fmt::format("empty -- {}: (write none{})", key,
                                  key == "down_revision" ? " for a first revision" : ""));
  }
  if (lower(value) == "none") return out;
  for (auto& id : split_list(value)) {
    if (!(key == "branch_labels" ? valid_label(id) : valid_id(id))) {
      throw parse_error(path, line, fmt::format("invalid {} '{}'", key, id));
    }
    out.push_back(id);
  }
  return out;
}

bool iso_date(std::string_view v) {
  return v.size() >= 10 && all_digits(v.substr(0, 4)) && v[4] == '-' &&
         all_digits(v.substr(5, 2)) && v[7] == '-' && all_digits(v.substr(8, 2));
}

// One header field's value into the revision, checked.
void set_header_field(Revision& r, const std::string& key, std::string_view value,
                      const std::string& path, int line) {
  if (key == "revision") {
    if (!valid_id(value)) {
      throw parse_error(path, line,
                        fmt::format("invalid revision id '{}' (letters, digits and _)", value));
    }
    r.id = std::string(value);
  } else if (key == "down_revision") {
    r.down_revisions = header_ids(key, value, path, line);
  } else if (key == "message") {
    r.message = std::string(value);
  } else if (key == "created") {
    if (!iso_date(value)) {
      throw parse_error(
          path, line,
          fmt::format("created '{}' is not an ISO-8601 date (2024-01-15T10:30:00Z)", value));
    }
    r.created = std::string(value);
  } else if (key == "branch_labels") {
    r.branch_labels = header_ids(key, value, path, line);
  } else if (key == "depends_on") {
    r.depends_on = header_ids(key, value, path, line);
  } else if (key == "transaction") {
    std::string v = lower(value);
    if (v != "true" && v != "false") {
      throw parse_error(path, line,
                        fmt::format("transaction must be true or false, not '{}'", value));
    }
    r.transactional = v == "true";
  }
}

// The header field a line before the first section sets ("" for a blank line or a comment),
// with its value; an error for SQL and for a misspelt field name.
std::string header_field(const Line& l, const std::string& path, std::string_view& value) {
  std::string_view t = trim(l.text);
  if (t.empty()) return "";
  if (t.substr(0, 2) != "--") {
    throw parse_error(path, l.number,
                      "SQL before -- migrate:up: the header holds only -- comments");
  }
  std::string_view c = trim(t.substr(2));
  std::size_t colon = c.find(':');
  if (colon == std::string_view::npos) return "";
  std::string key = lower(trim(c.substr(0, colon)));
  value = trim(c.substr(colon + 1));
  if (std::find(header_fields().begin(), header_fields().end(), key) != header_fields().end()) {
    return key;
  }
  bool wordlike = !key.empty() && std::all_of(key.begin(), key.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
  std::string near = wordlike ? near_field(key) : "";
  if (!near.empty()) {
    throw parse_error(path, l.number,
                      fmt::format("unknown header field '{}' (did you mean {}?)", key, near));
  }
  return "";  // a comment
}

// The header's fields into `r` (each field's line into `fields`) and the sections' extents.
std::vector<RawSection> read_header(std::string_view text, const std::vector<Line>& lines,
                                    const std::string& path, Revision& r,
                                    std::map<std::string, int>& fields) {
  std::vector<RawSection> sections;
  for (const Line& l : lines) {
    if (auto m = migrate_marker(l.text)) {
      if (!sections.empty()) sections.back().end = l.offset;
      sections.push_back(
          {m->up, m->args, l.number, after_line(text, l), text.size(), l.number + 1});
      continue;
    }
    if (!sections.empty()) continue;
    std::string_view value;
    const std::string key = header_field(l, path, value);
    if (key.empty()) continue;
    if (auto it = fields.find(key); it != fields.end()) {
      throw parse_error(path, l.number,
                        fmt::format("second -- {}: (first on line {})", key, it->second));
    }
    fields[key] = l.number;
    set_header_field(r, key, value, path, l.number);
  }
  if (!fields.count("revision")) {
    throw parse_error(path, 1, "missing header field -- revision: <id>");
  }
  if (!fields.count("down_revision")) {
    throw parse_error(path, fields["revision"],
                      "missing header field -- down_revision: (none for a first revision)");
  }
  return sections;
}

// What a section marker's word says: a dialect (none: every dialect), or irreversible.
std::optional<Dialect> section_dialect(const RawSection& raw, const std::string& path,
                                       bool& irreversible) {
  const char* marker = raw.up ? "-- migrate:up" : "-- migrate:down";
  irreversible = false;
  if (raw.args.size() > 1) {
    throw parse_error(path, raw.marker_line,
                      fmt::format("{} takes at most one word: a dialect{}", marker,
                                  raw.up ? "" : " or irreversible"));
  }
  if (raw.args.empty()) return std::nullopt;
  const std::string& a = raw.args.front();
  if (!raw.up && lower(a) == "irreversible") {
    irreversible = true;
    return std::nullopt;
  }
  if (a.find(':') != std::string::npos) {
    throw parse_error(path, raw.marker_line,
                      fmt::format("{}: options such as '{}' go in the header (-- transaction: "
                                  "false)",
                                  marker, a));
  }
  std::optional<Dialect> dialect = dialect_name(a);
  if (!dialect) {
    throw parse_error(path, raw.marker_line,
                      fmt::format("unknown dialect '{}' (sqlite or postgresql)", a));
  }
  return dialect;
}

// The sections of a migtest file, placed into the script's up and down bodies.
struct PlacedSections {
  bool irreversible = false;
  int irreversible_line = 0;
  bool up_runs = false;                                         // an up section holds a statement
  std::map<std::pair<bool, std::optional<Dialect>>, int> seen;  // (up, dialect) -> marker line
};

PlacedSections place_sections(std::string_view text, const std::vector<RawSection>& sections,
                              const std::string& path, RevisionScript& s) {
  PlacedSections p;
  for (const RawSection& raw : sections) {
    bool irreversible = false;
    const std::optional<Dialect> dialect = section_dialect(raw, path, irreversible);
    auto key = std::make_pair(raw.up, dialect);
    if (auto it = p.seen.find(key); it != p.seen.end()) {
      throw parse_error(path, raw.marker_line,
                        fmt::format("second {}{} section (first on line {})",
                                    raw.up ? "-- migrate:up" : "-- migrate:down",
                                    dialect ? " " + to_string(*dialect) : "", it->second));
    }
    p.seen[key] = raw.marker_line;
    SqlSection sec{dialect, std::string(text.substr(raw.begin, raw.end - raw.begin)),
                   raw.first_line};
    if (irreversible) {
      p.irreversible = true;
      p.irreversible_line = raw.marker_line;
      if (section_has_statements(sec, path)) {
        throw parse_error(path, raw.marker_line,
                          "-- migrate:down irreversible holds SQL: remove it, or drop the word "
                          "irreversible");
      }
      continue;
    }
    // An empty section is a valid no-op, as Alembic's `def upgrade(): pass` is: the revision
    // `migtest revision` writes runs before anyone fills it in, and an empty dialect section
    // says "nothing on this dialect". Splitting it still finds an unterminated quote.
    const bool runs = section_has_statements(sec, path);
    p.up_runs = p.up_runs || (raw.up && runs);
    (raw.up ? s.up : s.down).sections.push_back(std::move(sec));
  }
  return p;
}

// A dialect that has an up section but no down section would fail only when someone
// downgrades on it: say so now.
void require_down_per_dialect(const RevisionScript& s, PlacedSections& p, const std::string& path) {
  for (Dialect dialect : {Dialect::sqlite, Dialect::postgresql}) {
    if (s.up.section(dialect) && !s.down.section(dialect)) {
      const std::string d = to_string(dialect);
      int up_line =
          p.seen.count({true, dialect}) ? p.seen[{true, dialect}] : p.seen[{true, std::nullopt}];
      throw parse_error(path, up_line,
                        fmt::format("no down section for {}: add -- migrate:down {} or a "
                                    "generic -- migrate:down",
                                    d, d));
    }
  }
}

}  // namespace

RevisionScript parse_migtest_file(const std::string& path, std::string_view bytes) {
  std::string_view text = without_bom(bytes);
  std::vector<Line> lines = lines_of(text);
  RevisionScript s;
  Revision& r = s.revision;
  r.file = path;
  s.up.file = s.down.file = path;
  std::map<std::string, int> fields;  // field -> its line
  const std::vector<RawSection> sections = read_header(text, lines, path, r, fields);
  if (r.message.empty()) r.message = message_from_file_name(path);

  PlacedSections p = place_sections(text, sections, path, s);
  if (s.up.sections.empty()) {
    if (p.irreversible || !s.down.sections.empty() || r.down_revisions.size() < 2) {
      throw parse_error(path, fields["revision"], "no -- migrate:up section");
    }
  }
  if (p.irreversible && !s.down.sections.empty()) {
    throw parse_error(path, p.irreversible_line,
                      "-- migrate:down irreversible next to other -- migrate:down sections");
  }
  // A merge with nothing to run has nothing to undo either.
  r.reversible = !p.irreversible && (!s.down.sections.empty() || !p.up_runs);
  if (r.reversible && s.down.sections.empty()) {
    // An empty merge: its way down is empty too. Keeping `reversible == !down.empty()`
    // true for every file revision spares callers a special case.
    s.down.sections.push_back({std::nullopt, "", static_cast<int>(lines.size()) + 1});
  }
  if (r.reversible && p.up_runs) require_down_per_dialect(s, p, path);
  s.checksum = sha256_hex(bytes);
  return s;
}

RevisionScript parse_dbmate_file(const std::string& path, std::string_view bytes) {
  std::string_view text = without_bom(bytes);
  RevisionScript s;
  Revision& r = s.revision;
  r.file = path;
  s.up.file = s.down.file = path;
  std::vector<RawSection> sections;
  for (const Line& l : lines_of(text)) {
    if (auto m = migrate_marker(l.text)) {
      if (!sections.empty()) {
        sections.back().end = l.offset;
      }
      sections.push_back(
          {m->up, m->args, l.number, after_line(text, l), text.size(), l.number + 1});
      continue;
    }
    std::string_view t = trim(l.text);
    if (sections.empty() && !t.empty() && t.substr(0, 2) != "--") {
      throw parse_error(path, l.number, "SQL before -- migrate:up");
    }
  }
  bool have_up = false, have_down = false;
  for (const RawSection& raw : sections) {
    const char* marker = raw.up ? "-- migrate:up" : "-- migrate:down";
    if (raw.up ? have_up : have_down) {
      throw parse_error(path, raw.marker_line, fmt::format("second {}", marker));
    }
    if (!raw.up && !have_up) {
      throw parse_error(path, raw.marker_line, "-- migrate:down before -- migrate:up");
    }
    (raw.up ? have_up : have_down) = true;
    for (const auto& a : raw.args) {
      std::string opt = lower(a);
      if (opt == "transaction:false") {
        r.transactional = false;
      } else if (opt != "transaction:true") {
        throw parse_error(path, raw.marker_line,
                          fmt::format("unknown dbmate option '{}' (transaction:false)", a));
      }
    }
    SqlSection sec{std::nullopt, std::string(text.substr(raw.begin, raw.end - raw.begin)),
                   raw.first_line};
    section_has_statements(sec, path);
    (raw.up ? s.up : s.down).sections.push_back(std::move(sec));
  }
  if (!have_up) {
    throw parse_error(path, 1, "no -- migrate:up section");
  }
  r.reversible = have_down;
  s.checksum = sha256_hex(bytes);
  return s;
}

namespace {

struct GoosePart {
  bool up;
  int marker_line;
  std::size_t begin, end;
  int first_line;
};

// A -- +goose Up or Down line: ends the part before it and opens its own.
void open_goose_part(std::vector<GoosePart>& parts, bool up, const Line& l, std::string_view text,
                     int open_block, const std::string& path) {
  if (open_block) {
    throw parse_error(path, open_block, "-- +goose StatementBegin without -- +goose StatementEnd");
  }
  for (const GoosePart& p : parts) {
    if (p.up == up) {
      throw parse_error(
          path, l.number,
          fmt::format("second -- +goose {} (first on line {})", up ? "Up" : "Down", p.marker_line));
    }
  }
  if (!up && parts.empty()) {
    throw parse_error(path, l.number, "-- +goose Down before Up");
  }
  if (!parts.empty()) parts.back().end = l.offset;
  parts.push_back({up, l.number, after_line(text, l), text.size(), l.number + 1});
}

// StatementBegin or StatementEnd: the line of the block left open after it (0: none).
int goose_block(bool begin, const Line& l, int open_block, const std::string& path) {
  if (begin && open_block) {
    throw parse_error(
        path, l.number,
        fmt::format("-- +goose StatementBegin inside the block opened on line {}", open_block));
  }
  if (!begin && !open_block) {
    throw parse_error(path, l.number, "-- +goose StatementEnd without StatementBegin");
  }
  return begin ? l.number : 0;
}

// The Up and Down parts of a goose file, with its options into `r`.
std::vector<GoosePart> goose_parts(std::string_view text, const std::string& path, Revision& r,
                                   std::vector<std::string>& warnings) {
  std::vector<GoosePart> parts;
  int open_block = 0;  // line of an unclosed StatementBegin
  for (const Line& l : lines_of(text)) {
    std::string_view t = trim(l.text);
    std::string cmd = t.substr(0, 2) == "--" ? goose_annotation(t.substr(2)) : "";
    if (cmd.empty()) {
      if (parts.empty() && !t.empty() && t.substr(0, 2) != "--") {
        throw parse_error(path, l.number, "SQL before -- +goose Up");
      }
    } else if (cmd == "up" || cmd == "down") {
      open_goose_part(parts, cmd == "up", l, text, open_block, path);
    } else if (cmd == "statementbegin" || cmd == "statementend") {
      open_block = goose_block(cmd == "statementbegin", l, open_block, path);
    } else if (cmd == "no transaction") {
      r.transactional = false;
    } else if (cmd == "envsub on") {
      warnings.push_back(
          fmt::format("{}:{}: -- +goose ENVSUB ON is not supported: ${{VAR}} is read as written",
                      path, l.number));
    } else if (cmd != "envsub off") {
      throw parse_error(path, l.number, fmt::format("unknown goose annotation '{}'", cmd));
    }
  }
  if (open_block) {
    throw parse_error(path, open_block, "-- +goose StatementBegin without -- +goose StatementEnd");
  }
  return parts;
}

}  // namespace

RevisionScript parse_goose_file(const std::string& path, std::string_view bytes,
                                std::vector<std::string>& warnings) {
  std::string_view text = without_bom(bytes);
  RevisionScript s;
  Revision& r = s.revision;
  r.file = path;
  s.up.file = s.down.file = path;
  bool have_down = false;
  for (const GoosePart& p : goose_parts(text, path, r, warnings)) {
    SqlSection sec{std::nullopt, std::string(text.substr(p.begin, p.end - p.begin)), p.first_line};
    section_has_statements(sec, path);
    (p.up ? s.up : s.down).sections.push_back(std::move(sec));
    have_down = have_down || !p.up;
  }
  if (s.up.sections.empty()) {
    throw parse_error(path, 1, "no -- +goose Up annotation");
  }
  r.reversible = have_down;
  s.checksum = sha256_hex(bytes);
  return s;
}

std::string created_from_version(std::string_view v) {
  if (v.size() != 14 || !all_digits(v)) {
    return "";
  }
  auto num = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(v.substr(at, n))); };
  int year = num(0, 4), month = num(4, 2), day = num(6, 2), hour = num(8, 2), minute = num(10, 2),
      second = num(12, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return "";
  }
  return fmt::format("{}-{}-{}T{}:{}:{}", v.substr(0, 4), v.substr(4, 2), v.substr(6, 2),
                     v.substr(8, 2), v.substr(10, 2), v.substr(12, 2));
}

}  // namespace migtest::detail

namespace migtest::detail {

ForeignVersion diesel_version(std::string_view folder_name) {
  ForeignVersion v;
  v.name = std::string(folder_name);
  std::size_t underscore = folder_name.find('_');
  for (char c : folder_name.substr(0, underscore)) {
    if (c != '-') {
      v.id += c;
    }
  }
  if (underscore != std::string_view::npos) {
    v.message = words(folder_name.substr(underscore + 1));
  }
  return v;
}

std::optional<GolangMigrateFile> golang_migrate_file(std::string_view file_name) {
  // golang-migrate's pattern, name part greedy: `1_a.up.b.down.sql` is a down file.
  static const std::regex pattern(R"(^([0-9]+)_(.*)\.(down|up)\.(.*)$)");
  std::string name(file_name);
  std::smatch m;
  if (!std::regex_match(name, m, pattern)) {
    return std::nullopt;
  }
  GolangMigrateFile f;
  f.version.name = name;
  f.version.message = words(m[2].str());
  f.up = m[3] == "up";
  f.fits = parse_decimal(m[1].str(), std::numeric_limits<std::uint64_t>::max(), f.version.number);
  f.version.id = f.fits ? std::to_string(f.version.number) : m[1].str();
  return f;
}

std::optional<ForeignVersion> dbmate_version(std::string_view file_name) {
  std::size_t digits = 0;
  while (digits < file_name.size() && std::isdigit(static_cast<unsigned char>(file_name[digits]))) {
    ++digits;
  }
  if (digits == 0 || !ends_with(file_name, ".sql") || file_name.size() < digits + 4) {
    return std::nullopt;
  }
  ForeignVersion v;
  v.name = std::string(file_name);
  v.id = std::string(file_name.substr(0, digits));
  std::string_view rest = file_name.substr(digits, file_name.size() - 4 - digits);
  if (!rest.empty() && rest.front() == '_') {
    rest.remove_prefix(1);
  }
  v.message = words(rest);
  return v;
}

std::optional<ForeignVersion> goose_version(std::string_view file_name, std::string& refused) {
  std::size_t underscore = file_name.find('_');
  if (underscore == std::string_view::npos) {
    refused = "not named <version>_<name>.sql, and goose runs every .sql file of its folder";
    return std::nullopt;
  }
  std::string_view text = file_name.substr(0, underscore), digits = text;
  bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '+' || negative)) {
    digits.remove_prefix(1);
  }
  if (!all_digits(digits)) {
    refused = fmt::format(
        "version '{}' is not a number, and goose runs every .sql file of its folder", text);
    return std::nullopt;
  }
  std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  ForeignVersion v;
  if (!parse_decimal(digits, negative ? limit + 1 : limit, v.number)) {
    refused = fmt::format("version {} does not fit in goose's signed 64-bit version", text);
    return std::nullopt;
  }
  if (negative || v.number == 0) {
    refused = fmt::format("version {}: goose versions must be greater than zero", text);
    return std::nullopt;
  }
  v.id = std::to_string(v.number);
  v.name = std::string(file_name);
  std::string_view rest = file_name.substr(underscore + 1);
  v.message = words(rest.substr(0, rest.rfind('.')));
  return v;
}

bool diesel_before(const ForeignVersion& a, const ForeignVersion& b) { return a.id < b.id; }

bool golang_migrate_before(const ForeignVersion& a, const ForeignVersion& b) {
  return a.number < b.number;
}

bool dbmate_before(const ForeignVersion& a, const ForeignVersion& b) { return a.name < b.name; }

bool goose_before(const ForeignVersion& a, const ForeignVersion& b) { return a.number < b.number; }

}  // namespace migtest::detail
