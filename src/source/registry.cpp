#include "migtest/registry.hpp"

#include <fmt/format.h>

#include "source/text.hpp"

namespace migtest {

namespace {

// C++ code cannot be hashed: the checksum covers what the registration declares.
std::string header_checksum(const Revision& r) {
  return detail::sha256_hex(
      fmt::format("cpp\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n", r.id, fmt::join(r.down_revisions, ","),
                  fmt::join(r.branch_labels, ","), fmt::join(r.depends_on, ","), r.message,
                  r.transactional ? "tx" : "no-tx", r.reversible ? "reversible" : "irreversible"));
}

}  // namespace

Registry& Registry::add(Revision revision, std::function<void(Operations&)> up,
                        std::function<void(Operations&)> down) {
  if (!up) {
    throw usage_error(fmt::format("C++ revision {} has no upgrade function", revision.id));
  }
  RevisionScript s;
  revision.reversible = revision.reversible && static_cast<bool>(down);
  s.revision = std::move(revision);
  s.up.code = std::move(up);
  s.down.code = std::move(down);
  s.checksum = header_checksum(s.revision);
  revisions_.push_back(std::move(s));
  return *this;
}

Registry& Registry::add(std::string id, std::string_view down_revision, std::string message,
                        std::function<void(Operations&)> up,
                        std::function<void(Operations&)> down) {
  Revision r;
  r.id = std::move(id);
  r.down_revisions = detail::split_revision_list(down_revision);
  r.message = std::move(message);
  return add(std::move(r), std::move(up), std::move(down));
}

RevisionScript& Registry::find(std::string_view id, const char* what) {
  for (auto& s : revisions_) {
    if (s.revision.id == id) {
      return s;
    }
  }
  throw usage_error(fmt::format("{}: no C++ revision {} registered (register it first)", what, id));
}

Registry& Registry::set_downgrade(std::string_view id, std::function<void(Operations&)> down) {
  RevisionScript& s = find(id, "set_downgrade");
  s.revision.reversible = static_cast<bool>(down);
  s.down.code = std::move(down);
  s.checksum = header_checksum(s.revision);
  return *this;
}

Registry& Registry::configure(std::string_view id, const std::function<void(Revision&)>& edit) {
  RevisionScript& s = find(id, "configure");
  std::string keep = s.revision.id;
  edit(s.revision);
  s.revision.id = keep;  // the id is the registration's key
  s.checksum = header_checksum(s.revision);
  return *this;
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

namespace detail {

std::vector<std::string> split_revision_list(std::string_view list) {
  std::string_view t = trim(list);
  if (t.empty() || lower(t) == "none") {
    return {};
  }
  return split_list(t);
}

bool register_upgrade(Registry& registry, const char* id, const char* down_revision,
                      const char* message, void (*up)(Operations&)) {
  registry.add(id, down_revision, message, up);
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

}  // namespace detail

}  // namespace migtest
