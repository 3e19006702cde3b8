#include "migtest/registry.hpp"

#include <fmt/format.h>

#include <boost/filesystem/path.hpp>
#include <mutex>

#include "source/code_hash.hpp"
#include "source/sha256.hpp"
#include "source/text.hpp"

namespace migtest {

namespace {

// What the registration declares, and the hash of the code when the build computed one
// (migtest_hash_revisions). Without it the text is the declaration alone, as it always was,
// so checksums already recorded for unhashed revisions stay valid.
std::string cpp_checksum(const Revision& r, std::string_view code_hash = {}) {
  std::string text =
      fmt::format("cpp\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n", r.id, fmt::join(r.down_revisions, ","),
                  fmt::join(r.branch_labels, ","), fmt::join(r.depends_on, ","), r.message,
                  r.transactional ? "tx" : "no-tx", r.reversible ? "reversible" : "irreversible");
  if (!code_hash.empty()) {
    text += fmt::format("code\n{}\n", code_hash);
  }
  return detail::sha256_hex(text);
}

struct CodeHashTables {
  std::mutex mutex;  // a library loaded later registers while another thread may look up
  std::vector<std::pair<const registration::CodeHash*, std::size_t>> tables;
};

CodeHashTables& code_hash_tables() {
  static CodeHashTables tables;
  return tables;
}

// A path's components, lexically normalised, without leading "." and "..": what a __FILE__
// relative to the build directory ("../../src/a.cpp") or rewritten by -fmacro-prefix-map
// ("./src/a.cpp") shares with the absolute path the generator saw.
std::vector<std::string> tail_components(std::string_view file) {
  std::vector<std::string> out;
  for (const auto& part : boost::filesystem::path(std::string(file)).lexically_normal()) {
    std::string p = part.string();
    if (p == "/" || p.empty() || ((p == "." || p == "..") && out.empty())) {
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::size_t shared_tail(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[a.size() - 1 - n] == b[b.size() - 1 - n]) {
    ++n;
  }
  return n;
}

/// "a, b" / "none" / "" into ids (trimmed, empties dropped).
std::vector<std::string> split_revision_list(std::string_view list) {
  std::string_view t = detail::trim(list);
  if (t.empty() || detail::lower(t) == "none") {
    return {};
  }
  return detail::split_list(t);
}

}  // namespace

Registry& Registry::add(Revision revision, std::function<void(Operations&)> up,
                        std::function<void(Operations&)> down) {
  if (!up) {
    throw config_error(fmt::format("C++ revision {} has no upgrade function", revision.id));
  }
  RevisionScript s;
  revision.reversible = revision.reversible && static_cast<bool>(down);
  s.revision = std::move(revision);
  s.up.code = std::move(up);
  s.down.code = std::move(down);
  s.checksum = cpp_checksum(s.revision);
  revisions_.push_back(std::move(s));
  source_files_.emplace_back();
  return *this;
}

Registry& Registry::add(std::string id, std::string_view down_revision, std::string message,
                        std::function<void(Operations&)> up,
                        std::function<void(Operations&)> down) {
  Revision r;
  r.id = std::move(id);
  r.down_revisions = split_revision_list(down_revision);
  r.message = std::move(message);
  return add(std::move(r), std::move(up), std::move(down));
}

RevisionScript& Registry::find(std::string_view id, const char* what) {
  for (auto& s : revisions_) {
    if (s.revision.id == id) {
      return s;
    }
  }
  throw state_error(fmt::format("{}: no C++ revision {} registered (register it first)", what, id));
}

Registry& Registry::set_downgrade(std::string_view id, std::function<void(Operations&)> down) {
  RevisionScript& s = find(id, "set_downgrade");
  s.revision.reversible = static_cast<bool>(down);
  s.down.code = std::move(down);
  s.checksum = cpp_checksum(s.revision);
  return *this;
}

Registry& Registry::configure(std::string_view id, const std::function<void(Revision&)>& edit) {
  RevisionScript& s = find(id, "configure");
  std::string keep = s.revision.id;
  edit(s.revision);
  s.revision.id = keep;  // the id is the registration's key
  s.checksum = cpp_checksum(s.revision);
  return *this;
}

Registry& Registry::set_source_file(std::string_view id, std::string file) {
  // The latest added with that id: a duplicate keeps its own file until the graph reports it.
  for (std::size_t i = revisions_.size(); i-- > 0;) {
    if (revisions_[i].revision.id == id) {
      source_files_[i] = std::move(file);
      return *this;
    }
  }
  find(id, "set_source_file");  // throws state_error naming the id
  return *this;
}

std::vector<RevisionScript> Registry::revisions_with_code_hashes() const {
  std::vector<RevisionScript> out = revisions_;
  for (std::size_t i = 0; i < out.size(); ++i) {
    RevisionScript& s = out[i];
    s.code_hash = detail::find_code_hash(source_files_[i], s.revision.id);
    if (!s.code_hash.empty()) {
      s.checksum = cpp_checksum(s.revision, s.code_hash);
    }
  }
  return out;
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

namespace registration {

bool register_upgrade(Registry& registry, const char* id, const char* down_revision,
                      const char* message, void (*up)(Operations&), const char* file) {
  registry.add(id, down_revision, message, up);
  registry.set_source_file(id, file);
  return true;
}

bool register_downgrade(Registry& registry, const char* id, void (*down)(Operations&)) {
  registry.set_downgrade(id, down);
  return true;
}

bool register_options(Registry& registry, const char* id, void (*configure)(Revision&)) {
  registry.configure(id, configure);
  return true;
}

bool register_code_hashes(const CodeHash* table, std::size_t size) {
  CodeHashTables& all = code_hash_tables();
  std::lock_guard<std::mutex> lock(all.mutex);
  all.tables.emplace_back(table, size);
  return true;
}

}  // namespace registration

namespace detail {

std::string find_code_hash(std::string_view file, std::string_view id) {
  if (file.empty()) {
    return "";
  }
  const std::vector<std::string> wanted = tail_components(file);
  std::size_t best = 0;
  std::string found;
  bool tie = false;
  CodeHashTables& all = code_hash_tables();
  std::lock_guard<std::mutex> lock(all.mutex);
  for (const auto& [table, size] : all.tables) {
    for (std::size_t i = 0; i < size; ++i) {
      if (id != table[i].id) {
        continue;
      }
      std::size_t n = shared_tail(wanted, tail_components(table[i].file));
      if (n > best) {
        best = n;
        found = table[i].sha256;
        tie = false;
      } else if (n == best && n > 0 && found != table[i].sha256) {
        tie = true;
      }
    }
  }
  return tie ? "" : found;
}

}  // namespace detail

}  // namespace migtest
