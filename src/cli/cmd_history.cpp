// history, heads, show: read the revision graph; they need no database unless asked.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"

namespace migtest::cli {

namespace {

std::string join(const std::vector<std::string>& ids, const char* sep = ", ") {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : sep) + id;
  return out;
}

// "parents -> id (head) (current), message": Alembic's shape, one line per revision.
std::string line(const History& h, const Revision& r, const std::set<std::string>& heads,
                 const std::set<std::string>& current, bool verbose) {
  std::string out = fmt::format("{} -> {}", r.down_revisions.empty() ? "<base>" : join(r.down_revisions), r.id);
  if (heads.count(r.id)) out += " (head)";
  if (r.down_revisions.size() > 1) out += " (merge)";
  if (h.graph().children(r.id).size() > 1) out += " (branchpoint)";
  if (!r.branch_labels.empty()) out += fmt::format(" ({})", join(r.branch_labels));
  if (current.count(r.id)) out += " (current)";
  out += ", " + r.message;
  if (verbose) {
    out += fmt::format("\n    file: {}", r.file.empty() ? "(C++ revision)" : r.file);
    if (!r.created.empty()) out += fmt::format("\n    created: {}", r.created);
    if (!r.transactional) out += "\n    transaction: false";
    if (!r.reversible) out += "\n    irreversible";
  }
  return out;
}

std::set<std::string> current_of(const Context& ctx, bool indicate) {
  if (!indicate) return {};
  Config c = ctx.config();
  auto conn = ctx.connect_to_read();
  if (!conn) return {};  // no database file yet: at base
  History none;
  RunOptions o;
  o.version_table = c.version_table;
  Runner runner(*conn, none, o);
  auto ids = runner.current();
  return {ids.begin(), ids.end()};
}

}  // namespace

void add_history_commands(CLI::App& app, Context& ctx) {
  auto indicate = std::make_shared<bool>(false);
  auto* history = app.add_subcommand("history", "list revisions, newest first (no database needed)");
  history->add_flag("-i,--indicate-current", *indicate, "mark the database's current revisions");
  history->callback([&ctx, indicate] {
    History h = ctx.history();
    auto heads = h.graph().heads();
    std::set<std::string> head_set(heads.begin(), heads.end());
    auto current = current_of(ctx, *indicate);
    auto order = h.graph().topological_order();
    std::reverse(order.begin(), order.end());
    for (const auto& id : order) {
      std::cout << line(h, h.graph().get(id), head_set, current, ctx.verbose) << "\n";
    }
  });

  auto* heads_cmd = app.add_subcommand("heads", "list the history's heads (no database needed)");
  heads_cmd->callback([&ctx] {
    History h = ctx.history();
    auto heads = h.graph().heads();
    std::set<std::string> head_set(heads.begin(), heads.end());
    for (const auto& id : heads) std::cout << line(h, h.graph().get(id), head_set, {}, ctx.verbose) << "\n";
  });

  auto rev = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "show one revision: its header and its SQL");
  show->add_option("revision", *rev, "a revision id or unique prefix, or head")->required();
  show->callback([&ctx, rev] {
    History h = ctx.history();
    std::string id = *rev;
    if (id == "head") {
      auto heads = h.graph().heads();
      if (heads.size() != 1) {
        throw multiple_heads_error(fmt::format("multiple heads: {}; name one", join(heads)));
      }
      id = heads.front();
    }
    const RevisionScript& s = h.script(h.graph().get(id).id);
    const Revision& r = s.revision;
    std::cout << fmt::format("Rev: {}\n", r.id);
    std::cout << fmt::format("Parent: {}\n", r.down_revisions.empty() ? "<base>" : join(r.down_revisions));
    if (!r.branch_labels.empty()) std::cout << fmt::format("Branch labels: {}\n", join(r.branch_labels));
    if (!r.depends_on.empty()) std::cout << fmt::format("Depends on: {}\n", join(r.depends_on));
    std::cout << fmt::format("Path: {}\n", r.file.empty() ? "(C++ revision)" : r.file);
    if (!r.created.empty()) std::cout << fmt::format("Created: {}\n", r.created);
    std::cout << fmt::format("Transactional: {}\n", r.transactional ? "yes" : "no");
    std::cout << fmt::format("Reversible: {}\n", r.reversible ? "yes" : "no");
    std::cout << fmt::format("Checksum: {}\n\n    {}\n", s.checksum, r.message);
    for (const auto* body : {&s.up, &s.down}) {
      for (const auto& sec : body->sections) {
        std::cout << fmt::format("\n-- {}{}\n{}", body == &s.up ? "up" : "down",
                                 sec.dialect.empty() ? "" : " (" + sec.dialect + ")", sec.sql);
      }
    }
  });
}

}  // namespace migtest::cli
