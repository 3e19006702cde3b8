#include <fmt/format.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <random>

#include "migtest/registry.hpp"
#include "migtest/source.hpp"
#include "source/formats.hpp"
#include "source/sha256.hpp"
#include "source/text.hpp"

namespace migtest {

bool RevisionBody::empty() const { return sections.empty() && !code; }

const SqlSection* RevisionBody::section(Dialect dialect) const {
  const SqlSection* generic = nullptr;
  for (const auto& s : sections) {
    if (s.dialect == dialect) {
      return &s;
    }
    if (!s.dialect) {
      generic = &s;
    }
  }
  return generic;
}

std::vector<Statement> RevisionBody::statements(Dialect dialect) const {
  if (sections.empty()) {
    return {};
  }
  const SqlSection* s = section(dialect);
  if (!s) {
    std::vector<std::string> have;
    for (const auto& sec : sections) {
      have.push_back(to_string(*sec.dialect));  // no generic one: section() would take it
    }
    throw parse_error(file.empty() ? "<sql>" : file, sections.front().first_line - 1,
                      fmt::format("no section for {} (sections for: {})", to_string(dialect),
                                  fmt::join(have, ", ")));
  }
  return split_statements(s->sql, dialect, s->first_line, file);
}

std::string RevisionBody::text(Dialect dialect) const {
  const SqlSection* s = section(dialect);
  return s ? s->sql : std::string();
}

History::History(std::string directory, std::string layout, std::vector<RevisionScript> scripts,
                 std::vector<std::string> warnings)
    : directory_(std::move(directory)), layout_(std::move(layout)), warnings_(std::move(warnings)) {
  std::vector<Revision> revisions;
  revisions.reserve(scripts.size());
  for (const auto& s : scripts) {
    revisions.push_back(s.revision);
  }
  graph_ = RevisionGraph(std::move(revisions));

  std::map<std::string, std::size_t> at;  // ids copied: the scripts move out below
  for (std::size_t i = 0; i < scripts.size(); ++i) {
    at.emplace(scripts[i].revision.id, i);
  }
  scripts_.reserve(scripts.size());
  std::string hashed = "migtest history 1\n" + layout_ + "\n";
  for (const auto& r : graph_.revisions()) {
    RevisionScript& s = scripts[at.at(r.id)];
    s.revision = r;  // the graph's copy, same fields
    hashed += fmt::format("{}\t{}\t{}\t{}\n", r.id, fmt::join(r.down_revisions, ","),
                          fmt::join(r.depends_on, ","), s.checksum);
    by_id_.emplace(r.id, scripts_.size());
    scripts_.push_back(std::move(s));
  }
  content_hash_ = detail::sha256_hex(hashed);
}

const RevisionScript& History::script(std::string_view id) const {
  return scripts_[by_id_.find(graph_.get(id).id)->second];
}

std::vector<std::string> History::unhashed_code() const {
  std::vector<std::string> ids;
  for (const auto& s : scripts_) {
    if (s.up.code && s.code_hash.empty()) {
      ids.push_back(s.revision.id);
    }
  }
  return ids;
}

void History::check(Dialect dialect) const {
  for (const auto& s : scripts_) {
    s.up.statements(dialect);
    if (s.revision.reversible) {
      s.down.statements(dialect);
    }
  }
}

History load_history(const std::string& directory, const Registry* registry) {
  if (directory.empty() && !registry) {
    throw config_error("no migrations directory and no C++ revisions to load");
  }
  detail::LoadedDirectory loaded;
  if (!directory.empty()) {
    loaded = detail::load_directory(directory);
  }
  std::string layout = loaded.layout;
  if (registry && !registry->empty()) {
    if (directory.empty() || loaded.scripts.empty()) {
      layout = "cpp";
    }
    for (auto& s : registry->revisions_with_code_hashes()) {
      loaded.scripts.push_back(std::move(s));
    }
  } else if (directory.empty()) {
    layout = "cpp";
  }
  return History(directory, layout, std::move(loaded.scripts), std::move(loaded.warnings));
}

History load_history(const Registry& registry) { return load_history("", &registry); }

std::string new_revision_id() {
  static thread_local std::mt19937_64 engine{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(),
                      static_cast<unsigned>(
                          std::chrono::high_resolution_clock::now().time_since_epoch().count())};
    return std::mt19937_64(seq);
  }()};
  return fmt::format("{:012x}", engine() & 0xffffffffffffULL);
}

std::string slugify(std::string_view message) {
  std::string out;
  for (char c : message) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
    if (out.size() >= 40) {
      break;
    }
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out;
}

std::string write_revision_file(const std::string& directory, const Revision& revision,
                                std::string_view up_sql, std::string_view down_sql) {
  namespace fs = boost::filesystem;
  if (revision.id.empty()) {
    throw graph_error("write_revision_file: the revision has no id");
  }
  std::string slug = slugify(revision.message);
  std::string name = slug.empty() ? revision.id + ".sql" : revision.id + "_" + slug + ".sql";
  std::string path = (fs::path(directory) / name).generic_string();
  boost::system::error_code ec;
  fs::create_directories(directory, ec);
  if (fs::exists(path, ec)) {
    throw state_error("the file exists already", {source_location{path, 0, revision.id}});
  }

  std::string created = revision.created;
  if (created.empty()) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    created = buf;
  }
  std::string message = revision.message;
  for (char& c : message) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  auto list = [](const std::vector<std::string>& ids) {
    return ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "));
  };
  std::string text = fmt::format("-- revision: {}\n-- down_revision: {}\n", revision.id,
                                 list(revision.down_revisions));
  if (!message.empty()) {
    text += fmt::format("-- message: {}\n", message);
  }
  text += fmt::format("-- created: {}\n", created);
  if (!revision.branch_labels.empty()) {
    text += fmt::format("-- branch_labels: {}\n", fmt::join(revision.branch_labels, ", "));
  }
  if (!revision.depends_on.empty()) {
    text += fmt::format("-- depends_on: {}\n", fmt::join(revision.depends_on, ", "));
  }
  if (!revision.transactional) {
    text += "-- transaction: false\n";
  }
  auto body = [](std::string_view sql) {
    std::string s(detail::trim(sql));
    return s.empty() ? s : s + "\n";
  };
  text += "\n-- migrate:up\n" + body(up_sql);
  std::string down = body(down_sql);
  if (down.empty() && !revision.reversible) {
    text += "\n-- migrate:down irreversible\n";
  } else {
    text += "\n-- migrate:down\n" + down;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    throw error("cannot write the file", {source_location{path, 0, revision.id}});
  }
  return path;
}

}  // namespace migtest
