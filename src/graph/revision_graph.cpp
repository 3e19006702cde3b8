#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <set>

#include "migtest/graph.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

using detail::join;

// "+3" / "-12": the signed count, or nullopt-like false.
bool parse_relative(std::string_view s, long& n) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) {
    return false;
  }
  long v = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
    if (v > 1000000000L) {
      return false;
    }
    v = v * 10 + (s[i] - '0');
  }
  n = s[0] == '-' ? -v : v;
  return true;
}

}  // namespace

bool Revision::operator==(const Revision& o) const {
  return id == o.id && down_revisions == o.down_revisions && branch_labels == o.branch_labels &&
         depends_on == o.depends_on && message == o.message && created == o.created &&
         file == o.file && transactional == o.transactional && reversible == o.reversible;
}

const char* to_string(Direction direction) { return direction == Direction::up ? "up" : "down"; }

// A target parsed against the graph. Absolute targets become a set of revisions;
// relative ones keep their count, since they depend on the database's state.
struct RevisionGraph::Target {
  enum Kind { one_head, all_heads, at_base, revs, below, relative } kind = revs;
  std::vector<std::size_t> revisions;  // revs
  std::size_t root = npos;             // below: this revision and everything above it;
                                       // relative: the label's revision (npos: none)
  long n = 0;                          // relative

  // "label@rest" (the '@' at `at`): label@head, label@base, label@+N, label@<rev in the branch>.
  static Target in_branch(const RevisionGraph& g, std::string_view target, std::size_t at);
  // "<rev>-N": `steps` down the single down_revision of each; one step below a base is the
  // state before it.
  static Target steps_down(const RevisionGraph& g, std::string_view target, std::size_t i,
                           long steps);
};

std::size_t RevisionGraph::exact(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? npos : it->second;
}

std::size_t RevisionGraph::index_of(std::string_view id) const {
  if (std::size_t i = exact(id); i != npos) {
    return i;
  }
  if (labels_.count(id)) {
    throw missing_revision_error(
        fmt::format("{} is a branch label, not a revision; use {}@head or {}@base", id, id, id),
        std::string(id));
  }
  std::vector<std::string> matches;
  if (!id.empty()) {
    for (auto it = index_.lower_bound(id);
         it != index_.end() && it->first.compare(0, id.size(), id) == 0; ++it) {
      matches.push_back(it->first);
    }
  }
  if (matches.size() == 1) {
    return index_.find(matches.front())->second;
  }
  if (matches.size() > 1) {
    throw ambiguous_revision_error(
        fmt::format("revision prefix {} is ambiguous: {}", id, join(matches)), std::string(id),
        matches);
  }
  throw missing_revision_error(fmt::format("no revision {} in the history", id), std::string(id));
}

const Revision& RevisionGraph::get(std::string_view id_or_unique_prefix) const {
  return revisions_[index_of(id_or_unique_prefix)];
}

bool RevisionGraph::contains(std::string_view id) const { return exact(id) != npos; }

std::vector<std::string> RevisionGraph::heads() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (children_[i].empty()) {
      out.push_back(revisions_[i].id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> RevisionGraph::bases() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (parents_[i].empty()) {
      out.push_back(revisions_[i].id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> RevisionGraph::topological_order() const {
  std::vector<std::string> out;
  out.reserve(revisions_.size());
  for (const auto& r : revisions_) {
    out.push_back(r.id);
  }
  return out;
}

std::vector<std::string> RevisionGraph::children(std::string_view id) const {
  std::vector<std::string> out;
  for (std::size_t c : children_[index_of(id)]) {
    out.push_back(revisions_[c].id);
  }
  return out;
}

namespace {
// Everything reachable from `from` along `edges`, `from` included.
std::vector<char> reachable(const std::vector<std::size_t>& from,
                            const std::vector<std::vector<std::size_t>>& edges) {
  std::vector<char> seen(edges.size(), 0);
  std::vector<std::size_t> stack(from.begin(), from.end());
  while (!stack.empty()) {
    std::size_t i = stack.back();
    stack.pop_back();
    if (seen[i]) {
      continue;
    }
    seen[i] = 1;
    stack.insert(stack.end(), edges[i].begin(), edges[i].end());
  }
  return seen;
}
}  // namespace

RevisionGraph::Flags RevisionGraph::closure(const std::vector<std::size_t>& from) const {
  return reachable(from, needs_);
}

RevisionGraph::Flags RevisionGraph::descendants(const std::vector<std::size_t>& from) const {
  return reachable(from, needed_by_);
}

bool RevisionGraph::is_ancestor(std::string_view ancestor, std::string_view descendant) const {
  std::size_t a = index_of(ancestor), d = index_of(descendant);
  if (a == d) {
    return false;
  }
  return closure({d})[a] != 0;
}

std::vector<std::string> RevisionGraph::branch(std::string_view label) const {
  auto it = labels_.find(label);
  if (it == labels_.end()) {
    throw graph_error(fmt::format("no branch label {}", label));
  }
  // Members follow down_revisions only: a revision that merely depends_on the
  // branch is not part of it.
  Flags in(revisions_.size(), 0);
  in[it->second] = 1;
  std::vector<std::string> out;
  for (std::size_t i = it->second; i < revisions_.size(); ++i) {
    if (!in[i]) {
      continue;
    }
    out.push_back(revisions_[i].id);
    for (std::size_t c : children_[i]) {
      in[c] = 1;
    }
  }
  return out;
}

RevisionGraph::Flags RevisionGraph::applied_flags(const std::vector<std::string>& current) const {
  std::vector<std::size_t> from;
  for (const auto& id : current) {
    std::size_t i = exact(id);
    if (i == npos) {
      throw missing_revision_error(
          fmt::format("the database is at revision {}, which is not in the history", id), id);
    }
    from.push_back(i);
  }
  return closure(from);
}

std::vector<std::string> RevisionGraph::applied(const std::vector<std::string>& current) const {
  Flags f = applied_flags(current);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (f[i]) {
      out.push_back(revisions_[i].id);
    }
  }
  return out;
}

std::vector<std::string> RevisionGraph::heads_of_flags(const Flags& applied) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (!applied[i]) {
      continue;
    }
    bool covered = std::any_of(children_[i].begin(), children_[i].end(),
                               [&](std::size_t c) { return applied[c] != 0; });
    if (!covered) {
      out.push_back(revisions_[i].id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> RevisionGraph::heads_of(const std::vector<std::string>& applied) const {
  Flags f(revisions_.size(), 0);
  for (const auto& id : applied) {
    f[index_of(id)] = 1;
  }
  return heads_of_flags(f);
}

// Applied revisions nothing applied builds on: the only ones a single down step may remove.
std::vector<std::size_t> RevisionGraph::removable(const Flags& applied) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (!applied[i]) {
      continue;
    }
    bool used = std::any_of(needed_by_[i].begin(), needed_by_[i].end(),
                            [&](std::size_t c) { return applied[c] != 0; });
    if (!used) {
      out.push_back(i);
    }
  }
  return out;
}

RevisionGraph::Target RevisionGraph::Target::in_branch(const RevisionGraph& g,
                                                       std::string_view target, std::size_t at) {
  Target t;
  std::string_view label = target.substr(0, at), rest = target.substr(at + 1);
  auto it = g.labels_.find(label);
  if (it == g.labels_.end()) {
    throw target_error(fmt::format("{}: no branch label {}", target, label));
  }
  std::size_t root = it->second;
  if (rest == "head") {
    auto members = g.branch(label);
    std::vector<std::string> tips;
    for (const auto& id : members) {
      if (g.children_[g.exact(id)].empty()) {
        tips.push_back(id);
      }
    }
    if (tips.size() > 1) {
      throw multiple_heads_error(
          fmt::format("multiple heads in branch {}: {}; name one", label, join(tips)), tips);
    }
    t.revisions = {g.exact(tips.front())};
    return t;
  }
  if (rest == "base") {
    t.kind = Target::below;
    t.root = root;
    return t;
  }
  if (parse_relative(rest, t.n)) {
    t.kind = Target::relative;
    t.root = root;
    return t;
  }
  std::size_t i = g.index_of(rest);
  auto members = g.branch(label);
  if (std::find(members.begin(), members.end(), g.revisions_[i].id) == members.end()) {
    throw target_error(fmt::format("{}: {} is not in branch {}", target, g.revisions_[i].id, label),
                       {g.revisions_[i].id});
  }
  t.revisions = {i};
  return t;
}

RevisionGraph::Target RevisionGraph::Target::steps_down(const RevisionGraph& g,
                                                        std::string_view target, std::size_t i,
                                                        long steps) {
  Target t;
  for (long k = 0; k < steps; ++k) {
    const auto& ps = g.parents_[i];
    if (ps.empty()) {
      if (k == steps - 1) {  // one step below a base: the state before it
        t.kind = Target::below;
        t.root = i;
        return t;
      }
      throw target_error(fmt::format("{} goes below base", target), {g.revisions_[i].id});
    }
    if (ps.size() > 1) {
      std::vector<std::string> ids;
      for (std::size_t p : ps) {
        ids.push_back(g.revisions_[p].id);
      }
      throw target_error(fmt::format("{} is ambiguous: {} is a merge of {}; name one", target,
                                     g.revisions_[i].id, join(ids)),
                         ids);
    }
    i = ps.front();
  }
  t.revisions = {i};
  return t;
}

RevisionGraph::Target RevisionGraph::parse_target(std::string_view target) const {
  Target t;
  if (target.empty()) {
    throw target_error("empty target: give head, heads, base, or a revision");
  }
  if (target == "head") {
    t.kind = Target::one_head;
    return t;
  }
  if (target == "heads") {
    t.kind = Target::all_heads;
    return t;
  }
  if (target == "base") {
    t.kind = Target::at_base;
    return t;
  }
  if (parse_relative(target, t.n)) {
    t.kind = Target::relative;
    return t;
  }
  if (auto at = target.find('@'); at != std::string_view::npos) {
    return Target::in_branch(*this, target, at);
  }
  if (std::size_t i = exact(target); i != npos) {
    t.revisions = {i};
    return t;
  }
  // <rev>+N / <rev>-N: the sign is the last '+' or '-' followed only by digits.
  auto sign = target.find_last_of("+-");
  long n = 0;
  if (sign != std::string_view::npos && sign > 0 && parse_relative(target.substr(sign), n)) {
    std::size_t i = index_of(target.substr(0, sign));
    if (n >= 0) {
      t.revisions = {walk_up(i, n, target)};
      return t;
    }
    return Target::steps_down(*this, target, i, -n);
  }
  t.revisions = {index_of(target)};
  return t;
}

std::size_t RevisionGraph::walk_up(std::size_t from, long n, std::string_view target) const {
  std::size_t i = from;
  for (long k = 0; k < n; ++k) {
    const auto& cs = children_[i];
    if (cs.empty()) {
      throw target_error(fmt::format("{} goes past head {}", target, revisions_[i].id),
                         {revisions_[i].id});
    }
    if (cs.size() > 1) {
      std::vector<std::string> ids;
      for (std::size_t c : cs) {
        ids.push_back(revisions_[c].id);
      }
      throw target_error(fmt::format("{} is ambiguous: {} has several children ({}); name one",
                                     target, revisions_[i].id, join(ids)),
                         ids);
    }
    i = cs.front();
  }
  return i;
}

std::size_t RevisionGraph::single_head() const {
  std::vector<std::string> ids = heads();
  if (ids.empty()) {
    throw target_error("the history has no revisions, so no head");
  }
  if (ids.size() > 1) {
    throw multiple_heads_error(fmt::format("multiple heads: {}; name one, or use heads", join(ids)),
                               ids);
  }
  return exact(ids.front());
}

// +N from the database's state: N steps up from its one head (in the label's branch
// when the target has one).
std::vector<std::size_t> RevisionGraph::walk_up_from_state(const Flags& applied, long n,
                                                           std::string_view target,
                                                           const Target& t) const {
  std::vector<std::size_t> starts;
  Flags member;
  if (t.root != npos) {
    member = descendants({t.root});
  }
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (!applied[i]) {
      continue;
    }
    if (t.root != npos && !member[i]) {
      continue;
    }
    bool covered = std::any_of(children_[i].begin(), children_[i].end(), [&](std::size_t c) {
      return applied[c] != 0 && (t.root == npos || member[c] != 0);
    });
    if (!covered) {
      starts.push_back(i);
    }
  }
  if (starts.size() > 1) {
    std::vector<std::string> ids;
    for (std::size_t s : starts) {
      ids.push_back(revisions_[s].id);
    }
    std::sort(ids.begin(), ids.end());
    throw multiple_heads_error(
        fmt::format("{}: the database has several heads ({}); use <revision>{} instead", target,
                    join(ids), fmt::format("+{}", n)),
        ids);
  }
  if (n == 0) {
    return starts;
  }
  std::size_t first;
  if (!starts.empty()) {
    first = walk_up(starts.front(), 1, target);
  } else if (t.root != npos) {
    first = t.root;
  } else {
    std::vector<std::string> b = bases();
    if (b.empty()) {
      throw target_error(fmt::format("{}: the history has no revisions", target));
    }
    if (b.size() > 1) {
      throw target_error(
          fmt::format("{} is ambiguous: several bases ({}); name one", target, join(b)), b);
    }
    first = exact(b.front());
  }
  return {walk_up(first, n - 1, target)};
}

std::vector<std::size_t> RevisionGraph::resolve_up(const Flags& applied, const Target& t,
                                                   std::string_view target) const {
  switch (t.kind) {
    case Target::one_head:
      return {single_head()};
    case Target::all_heads: {
      std::vector<std::size_t> out;
      for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (children_[i].empty()) {
          out.push_back(i);
        }
      }
      return out;
    }
    case Target::at_base:
    case Target::below:
      return {};
    case Target::revs:
      return t.revisions;
    case Target::relative:
      if (t.n < 0) {
        throw target_error(
            fmt::format("upgrade {} would go down; use downgrade {}", target, target));
      }
      return walk_up_from_state(applied, t.n, target, t);
  }
  return {};
}

RevisionGraph::Flags RevisionGraph::removal(const Flags& applied, const Target& t,
                                            std::string_view target) const {
  const std::size_t n = revisions_.size();
  Flags out(n, 0);
  switch (t.kind) {
    case Target::at_base:
      return applied;
    case Target::below: {
      Flags d = descendants({t.root});
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<char>(applied[i] && d[i]);
      }
      return out;
    }
    case Target::relative: {
      if (t.n > 0) {
        throw target_error(fmt::format("downgrade {} would go up; use upgrade {}", target, target));
      }
      Flags left = applied;
      Flags member;
      if (t.root != npos) {
        member = descendants({t.root});
      }
      for (long k = 0; k < -t.n; ++k) {
        std::vector<std::size_t> can = removable(left);
        if (t.root != npos) {
          can.erase(
              std::remove_if(can.begin(), can.end(), [&](std::size_t i) { return !member[i]; }),
              can.end());
        }
        if (can.empty()) {
          throw target_error(fmt::format("{} goes below base: only {} revision{} applied", target,
                                         k, k == 1 ? "" : "s"));
        }
        if (can.size() > 1) {
          std::vector<std::string> ids;
          for (std::size_t i : can) {
            ids.push_back(revisions_[i].id);
          }
          std::sort(ids.begin(), ids.end());
          throw multiple_heads_error(
              fmt::format("{}: multiple heads: {}; name one (<revision>-N), or use a branch label",
                          target, join(ids)),
              ids);
        }
        left[can.front()] = 0;
        out[can.front()] = 1;
      }
      return out;
    }
    case Target::one_head:
    case Target::all_heads:
    case Target::revs: {
      std::vector<std::size_t> keep = resolve_up(applied, t, target);
      for (std::size_t i : keep) {
        if (!applied[i]) {
          throw target_error(
              fmt::format("downgrade {}: {} is not applied (the database is at {}); use upgrade",
                          target, revisions_[i].id,
                          [&] {
                            auto h = heads_of_flags(applied);
                            return h.empty() ? std::string("base") : join(h);
                          }()),
              {revisions_[i].id});
        }
      }
      Flags d = descendants(keep), c = closure(keep);
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<char>(applied[i] && d[i] && !c[i]);
      }
      return out;
    }
  }
  return out;
}

std::vector<Step> RevisionGraph::plan_upgrade(const std::vector<std::string>& current,
                                              std::string_view target) const {
  Flags applied = applied_flags(current);
  Target t = parse_target(target);
  Flags want = closure(resolve_up(applied, t, target));
  std::vector<Step> steps;
  for (std::size_t i = 0; i < revisions_.size(); ++i) {
    if (want[i] && !applied[i]) {
      steps.push_back({revisions_[i].id, Direction::up});
    }
  }
  return steps;
}

std::vector<Step> RevisionGraph::plan_downgrade(const std::vector<std::string>& current,
                                                std::string_view target) const {
  Flags applied = applied_flags(current);
  Target t = parse_target(target);
  Flags gone = removal(applied, t, target);
  std::vector<Step> steps;
  for (std::size_t i = revisions_.size(); i-- > 0;) {
    if (gone[i]) {
      steps.push_back({revisions_[i].id, Direction::down});
    }
  }
  return steps;
}

std::vector<std::string> RevisionGraph::after(const std::vector<std::string>& current,
                                              const Step& step) const {
  std::size_t r = index_of(step.revision);
  const std::string& id = revisions_[r].id;
  std::set<std::string> out(current.begin(), current.end());
  if (step.direction == Direction::up) {
    for (std::size_t p : parents_[r]) {
      out.erase(revisions_[p].id);
    }
    out.insert(id);
  } else {
    if (!out.erase(id)) {
      throw target_error(fmt::format("cannot run {} down: it is not a head of the database ({})",
                                     id, current.empty() ? std::string("base") : join(current)),
                         {id});
    }
    // A parent comes back as a head unless another applied child still covers it;
    // that check needs the applied set, computed only at branch points.
    std::vector<std::string> rest(out.begin(), out.end());
    Flags still;
    for (std::size_t p : parents_[r]) {
      bool covered = false;
      if (children_[p].size() > 1) {
        if (still.empty()) {
          still = applied_flags(rest);
        }
        covered = std::any_of(children_[p].begin(), children_[p].end(),
                              [&](std::size_t c) { return c != r && still[c] != 0; });
      }
      if (!covered) {
        out.insert(revisions_[p].id);
      }
    }
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> RevisionGraph::resolve_heads(const std::vector<std::string>& current,
                                                      std::string_view target) const {
  Flags applied = applied_flags(current);
  Target t = parse_target(target);
  const std::size_t n = revisions_.size();
  if (t.kind == Target::at_base) {
    return {};
  }
  if (t.kind == Target::below || (t.kind == Target::relative && t.n < 0)) {
    Flags gone = removal(applied, t, target);
    for (std::size_t i = 0; i < n; ++i) {
      applied[i] = static_cast<char>(applied[i] && !gone[i]);
    }
    return heads_of_flags(applied);
  }
  std::vector<std::size_t> to = resolve_up(applied, t, target);
  Flags d = descendants(to), c = closure(to);
  for (std::size_t i = 0; i < n; ++i) {
    applied[i] = static_cast<char>((applied[i] && !(d[i] && !c[i])) || c[i]);
  }
  return heads_of_flags(applied);
}

}  // namespace migtest
