// history, heads, branches, show: read the revision graph; they need no database unless asked.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "cli/commands.hpp"
#include "migtest/runner.hpp"
#include "strings.hpp"

namespace migtest::cli {

namespace {

using detail::join;

// "parents -> id (head) (current), message": Alembic's shape, one line per revision.
std::string line(const History& h, const Revision& r, const std::set<std::string>& heads,
                 const std::set<std::string>& current, bool verbose) {
  std::string out =
      fmt::format("{} -> {}", r.down_revisions.empty() ? "<base>" : join(r.down_revisions), r.id);
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

std::vector<std::string> database_heads(const Context& ctx) {
  Config c = ctx.config();
  auto conn = ctx.connect_to_read();
  if (!conn) return {};  // no database file yet: at base
  History none;
  RunOptions o;
  o.version_table = c.version_table;
  Runner runner(*conn, none, o);
  return runner.current();
}

// One end of `history -r START:END`, as Alembic reads it: base, head(s), current, -N / +N
// (from current), a revision or prefix, REV+N, LABEL@head. Empty means base.
std::vector<std::string> range_end(const History& h, const std::string& token,
                                   const std::vector<std::string>& current) {
  if (token == "base") return {};
  if (token == "head" || token == "heads") return h.graph().heads();
  if (token == "current") return current;
  if (token[0] == '-' || token[0] == '+') return h.graph().resolve_heads(current, token);
  if (token.find_first_of("@+-") != std::string::npos) return h.graph().resolve_heads({}, token);
  return {h.graph().get(token).id};
}

bool needs_database(const std::string& token) {
  return token == "current" || (!token.empty() && (token[0] == '-' || token[0] == '+'));
}

// The revisions of `-r START:END`, both ends included: descendants-or-self of START that are
// ancestors-or-self of END.
std::set<std::string> in_range(const Context& ctx, const History& h, const std::string& range) {
  auto colon = range.find(':');
  if (colon == std::string::npos) {
    throw usage_error(fmt::format(
        "-r {}: expected START:END (either may be empty: base, head, current, -N, a revision)",
        range));
  }
  std::string lo = range.substr(0, colon), hi = range.substr(colon + 1);
  std::vector<std::string> current;
  if (needs_database(lo) || needs_database(hi)) current = database_heads(ctx);
  std::vector<std::string> lower =
      lo.empty() ? std::vector<std::string>{} : range_end(h, lo, current);
  std::vector<std::string> upper = hi.empty() ? h.graph().heads() : range_end(h, hi, current);
  auto reaches = [&](const std::string& from, const std::string& to) {
    return from == to || h.graph().is_ancestor(from, to);
  };
  std::set<std::string> out;
  for (const auto& r : h.graph().revisions()) {
    bool below =
        std::any_of(upper.begin(), upper.end(), [&](const auto& u) { return reaches(r.id, u); });
    bool above = lower.empty() || std::any_of(lower.begin(), lower.end(),
                                              [&](const auto& l) { return reaches(l, r.id); });
    if (below && above) out.insert(r.id);
  }
  return out;
}

void write_list_json(const History& h, const char* name, const std::vector<std::string>& ids,
                     const std::set<std::string>* current) {
  detail::JsonWriter w;
  w.begin_object().key(name).begin_array();
  for (const auto& id : ids) {
    w.begin_object();
    write_revision_members(w, h, h.graph().get(id));
    if (current) w.field("current", current->count(id) > 0);
    w.end_object();
  }
  w.end_array().end_object();
  std::cout << w.str() << "\n";
}

void write_show_json(const History& h, const RevisionScript& s) {
  detail::JsonWriter w;
  w.begin_object();
  write_revision_members(w, h, s.revision);
  w.field("checksum", s.checksum);
  for (const auto* body : {&s.up, &s.down}) {
    w.key(body == &s.up ? "up" : "down").begin_array();
    for (const auto& sec : body->sections) {
      const std::string dialect = sec.dialect ? to_string(*sec.dialect) : "";
      w.begin_object().field_or_null("dialect", dialect).field("sql", sec.sql).end_object();
    }
    w.end_array();
  }
  w.end_object();
  std::cout << w.str() << "\n";
}

void print_show(const RevisionScript& s) {
  const Revision& r = s.revision;
  std::cout << revision_block(r);
  if (!r.created.empty()) std::cout << fmt::format("Created: {}\n", r.created);
  std::cout << fmt::format("Transactional: {}\n", r.transactional ? "yes" : "no");
  std::cout << fmt::format("Reversible: {}\n", r.reversible ? "yes" : "no");
  std::cout << fmt::format("Checksum: {}\n", s.checksum);
  for (const auto* body : {&s.up, &s.down}) {
    for (const auto& sec : body->sections) {
      std::cout << fmt::format("\n-- {}{}\n{}", body == &s.up ? "up" : "down",
                               sec.dialect ? " (" + to_string(*sec.dialect) + ")" : "", sec.sql);
    }
  }
}

void add_history(CLI::App& app, Context& ctx) {
  auto indicate = std::make_shared<bool>(false);
  auto range = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  auto* history =
      app.add_subcommand("history", "list revisions, newest first (no database needed)");
  history->add_flag("-i,--indicate-current", *indicate, "mark the database's current revisions");
  history->add_option(
      "-r,--rev-range", *range,
      "only START:END, both included; each end base, head, current, -N or +N (from current), "
      "a revision, REV+N or LABEL@head; an empty end is base or the heads");
  add_format_option(history, *format);
  history->callback([&ctx, indicate, range, format] {
    History h = ctx.history();
    auto heads = h.graph().heads();
    std::set<std::string> head_set(heads.begin(), heads.end());
    std::set<std::string> current;
    if (*indicate) {
      auto ids = database_heads(ctx);
      current.insert(ids.begin(), ids.end());
    }
    std::set<std::string> shown;
    if (!range->empty()) shown = in_range(ctx, h, *range);
    std::vector<std::string> order;
    for (auto it = h.graph().revisions().rbegin(); it != h.graph().revisions().rend(); ++it) {
      if (range->empty() || shown.count(it->id)) order.push_back(it->id);
    }
    if (*format == "json")
      return write_list_json(h, "revisions", order, *indicate ? &current : nullptr);
    for (const auto& id : order)
      std::cout << line(h, h.graph().get(id), head_set, current, ctx.verbose) << "\n";
  });
}

}  // namespace

std::string resolve_revision(const History& h, const std::string& name) {
  std::vector<std::string> ids;
  auto at = name.find('@');
  if (name == "head") {
    ids = h.graph().heads();
  } else if (at == std::string::npos) {
    return h.graph().get(name).id;
  } else {
    // LABEL@head: the branch's own head (what it depends on elsewhere stays out).
    auto branch = h.graph().branch(name.substr(0, at));
    for (const auto& id : h.graph().resolve_heads({}, name)) {
      if (std::find(branch.begin(), branch.end(), id) != branch.end()) ids.push_back(id);
    }
  }
  if (ids.size() != 1) {
    throw multiple_heads_error(fmt::format("{}: multiple heads ({}); name one", name, join(ids)),
                               ids);
  }
  return ids.front();
}

std::string revision_block(const Revision& r) {
  std::string out = fmt::format("Rev: {}\n", r.id);
  out += fmt::format("Parent: {}\n", r.down_revisions.empty() ? "<base>" : join(r.down_revisions));
  if (!r.branch_labels.empty()) out += fmt::format("Branch labels: {}\n", join(r.branch_labels));
  if (!r.depends_on.empty()) out += fmt::format("Depends on: {}\n", join(r.depends_on));
  out += fmt::format("Path: {}\n", r.file.empty() ? "(C++ revision)" : r.file);
  out += fmt::format("\n    {}\n\n", r.message);
  return out;
}

void write_revision_members(detail::JsonWriter& w, const History& h, const Revision& r) {
  auto heads = h.graph().heads();
  w.field("id", r.id)
      .field("parents", r.down_revisions)
      .field("children", h.graph().children(r.id));
  w.field("branch_labels", r.branch_labels).field("depends_on", r.depends_on);
  w.field("message", r.message).field_or_null("created", r.created).field_or_null("file", r.file);
  w.field("transactional", r.transactional).field("reversible", r.reversible);
  w.field("head", std::find(heads.begin(), heads.end(), r.id) != heads.end());
  w.field("merge", r.down_revisions.size() > 1)
      .field("branchpoint", h.graph().children(r.id).size() > 1);
}

void add_history_commands(CLI::App& app, Context& ctx) {
  add_history(app, ctx);

  auto heads_format = std::make_shared<std::string>();
  auto* heads_cmd = app.add_subcommand("heads", "list the history's heads (no database needed)");
  add_format_option(heads_cmd, *heads_format);
  heads_cmd->callback([&ctx, heads_format] {
    History h = ctx.history();
    auto heads = h.graph().heads();
    if (*heads_format == "json") return write_list_json(h, "heads", heads, nullptr);
    std::set<std::string> head_set(heads.begin(), heads.end());
    for (const auto& id : heads)
      std::cout << line(h, h.graph().get(id), head_set, {}, ctx.verbose) << "\n";
  });

  auto* branches =
      app.add_subcommand("branches", "list the branch points and the revisions above each");
  branches->callback([&ctx] {
    History h = ctx.history();
    auto heads = h.graph().heads();
    std::set<std::string> head_set(heads.begin(), heads.end());
    for (const auto& r : h.graph().revisions()) {
      auto children = h.graph().children(r.id);
      if (children.size() < 2) continue;
      std::cout << line(h, r, head_set, {}, ctx.verbose) << "\n";
      for (const auto& c : children) {
        std::string child = line(h, h.graph().get(c), head_set, {}, false);
        std::cout << "    -> " << child.substr(child.find(" -> ") + 4) << "\n";
      }
    }
  });

  auto rev = std::make_shared<std::string>();
  auto show_format = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "show one revision: its header and its SQL");
  show->add_option("revision", *rev, "a revision id or unique prefix, or head")->required();
  add_format_option(show, *show_format);
  show->callback([&ctx, rev, show_format] {
    History h = ctx.history();
    const RevisionScript& s = h.script(resolve_revision(h, *rev));
    if (*show_format == "json") return write_show_json(h, s);
    print_show(s);
  });
}

}  // namespace migtest::cli
