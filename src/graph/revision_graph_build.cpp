// Building a RevisionGraph: every id checked, the edges resolved, the revisions put in a
// deterministic topological order (or the cycle named), the branch labels checked. What the
// graph answers is in revision_graph.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "migtest/graph.hpp"

namespace migtest {

namespace {

constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

bool is_reserved(std::string_view name) {
  return name == "head" || name == "heads" || name == "base";
}

// "id (file)" for messages; a revision declared in code has no file.
std::string describe(const Revision& r) {
  return fmt::format("{} ({})", r.id, r.file.empty() ? "C++ revision" : r.file);
}

using IdIndex = std::unordered_map<std::string_view, std::size_t>;

// The position of each revision by id; every id must be a usable, unique name.
IdIndex index_by_id(const std::vector<Revision>& revisions) {
  IdIndex at;
  at.reserve(revisions.size());
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    const Revision& r = revisions[i];
    if (r.id.empty()) {
      throw graph_error(
          fmt::format("{}: a revision without an id", r.file.empty() ? "C++ revision" : r.file));
    }
    for (char c : r.id) {
      if (std::isspace(static_cast<unsigned char>(c)) || c == '@' || c == ',' || c == '+') {
        throw graph_error(
            fmt::format("{}: invalid revision id (no spaces, '@', ',' or '+')", describe(r)),
            {r.id});
      }
    }
    if (is_reserved(r.id)) {
      throw graph_error(
          fmt::format("{}: '{}' is a reserved word, not a revision id", describe(r), r.id), {r.id});
    }
    auto [it, inserted] = at.emplace(r.id, i);
    if (!inserted) {
      const Revision& first = revisions[it->second];
      throw duplicate_revision_error(fmt::format("duplicate revision id {}: {} and {}", r.id,
                                                 first.file.empty() ? "a C++ revision" : first.file,
                                                 r.file.empty() ? "a C++ revision" : r.file),
                                     r.id, first.file, r.file);
    }
  }
  return at;
}

using Adjacency = std::vector<std::vector<std::size_t>>;

// Edges in input indices, duplicates dropped.
struct Edges {
  Adjacency parents;  // down_revisions
  Adjacency needs;    // down_revisions + depends_on
};

void add_once(std::vector<std::size_t>& to, std::size_t j) {
  if (std::find(to.begin(), to.end(), j) == to.end()) {
    to.push_back(j);
  }
}

Edges resolve_edges(const std::vector<Revision>& revisions, const IdIndex& at) {
  const std::size_t n = revisions.size();
  Edges e{Adjacency(n), Adjacency(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const Revision& r = revisions[i];
    auto resolve = [&](const std::string& id, const char* field) {
      auto it = at.find(id);
      if (it == at.end()) {
        throw missing_revision_error(
            fmt::format("{}: {} {} is not in the history", describe(r), field, id), id, r.id);
      }
      return it->second;
    };
    for (const auto& p : r.down_revisions) {
      add_once(e.parents[i], resolve(p, "down_revision"));
    }
    e.needs[i] = e.parents[i];
    for (const auto& d : r.depends_on) {
      add_once(e.needs[i], resolve(d, "depends_on"));
    }
  }
  return e;
}

// Every revision left (missing[i] > 0) waits on another one left: walk those waits back until
// one repeats; that loop is a cycle.
[[noreturn]] void throw_cycle(const std::vector<Revision>& revisions, const Adjacency& needs,
                              const std::vector<std::size_t>& missing) {
  const std::size_t n = revisions.size();
  std::size_t start = npos;
  for (std::size_t i = 0; i < n && start == npos; ++i) {
    if (missing[i] > 0) {
      start = i;
    }
  }
  std::vector<std::size_t> path;
  std::vector<std::size_t> seen_at(n, npos);
  std::size_t cur = start;
  while (seen_at[cur] == npos) {
    seen_at[cur] = path.size();
    path.push_back(cur);
    std::size_t next = npos;
    for (std::size_t j : needs[cur]) {
      if (missing[j] > 0) {
        next = j;
        break;
      }
    }
    cur = next;
  }
  std::vector<std::size_t> loop(path.begin() + static_cast<std::ptrdiff_t>(seen_at[cur]),
                                path.end());
  std::reverse(loop.begin(), loop.end());  // parent before child
  std::string text;
  std::vector<std::string> ids;
  for (std::size_t i : loop) {
    text += describe(revisions[i]) + " -> ";
    ids.push_back(revisions[i].id);
  }
  text += revisions[loop.front()].id;
  throw cycle_error("cycle in the revision graph: " + text, ids);
}

// Kahn's algorithm, smallest id first among the ready ones: deterministic.
std::vector<std::size_t> order_by_needs(const std::vector<Revision>& revisions,
                                        const Adjacency& needs) {
  const std::size_t n = revisions.size();
  Adjacency needed_by(n);
  std::vector<std::size_t> missing(n);
  for (std::size_t i = 0; i < n; ++i) {
    missing[i] = needs[i].size();
    for (std::size_t j : needs[i]) {
      needed_by[j].push_back(i);
    }
  }
  auto later = [&](std::size_t a, std::size_t b) { return revisions[a].id > revisions[b].id; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t i = 0; i < n; ++i) {
    if (missing[i] == 0) {
      ready.push(i);
    }
  }
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (std::size_t c : needed_by[i]) {
      if (--missing[c] == 0) {
        ready.push(c);
      }
    }
  }
  if (order.size() != n) {
    throw_cycle(revisions, needs, missing);
  }
  return order;
}

using NameIndex = std::map<std::string, std::size_t, std::less<>>;

// Each branch label to the revision carrying it: a label is a plain name, not a revision id,
// and on one revision only.
NameIndex branch_labels(const std::vector<Revision>& revisions, const NameIndex& ids) {
  NameIndex labels;
  for (std::size_t k = 0; k < revisions.size(); ++k) {
    const Revision& r = revisions[k];
    for (const auto& label : r.branch_labels) {
      if (label.empty() || label.find('@') != std::string::npos || is_reserved(label)) {
        throw graph_error(fmt::format("{}: invalid branch label '{}'", describe(r), label), {r.id});
      }
      if (ids.count(label)) {
        throw graph_error(
            fmt::format("{}: branch label {} is also a revision id", describe(r), label),
            {r.id, label});
      }
      auto [it, inserted] = labels.emplace(label, k);
      if (!inserted && it->second != k) {
        throw graph_error(fmt::format("branch label {} is on two revisions: {} and {}", label,
                                      describe(revisions[it->second]), describe(r)),
                          {revisions[it->second].id, r.id});
      }
    }
  }
  return labels;
}

}  // namespace

std::string RevisionGraph::name(std::size_t i) const { return describe(revisions_[i]); }

RevisionGraph::RevisionGraph(std::vector<Revision> revisions) {
  const std::size_t n = revisions.size();
  const Edges edges = resolve_edges(revisions, index_by_id(revisions));
  const std::vector<std::size_t> order = order_by_needs(revisions, edges.needs);

  // From here on a revision is known by its place in `order`.
  std::vector<std::size_t> position(n);
  for (std::size_t k = 0; k < n; ++k) {
    position[order[k]] = k;
  }
  revisions_.reserve(n);
  parents_.resize(n);
  needs_.resize(n);
  children_.resize(n);
  needed_by_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t i = order[k];
    for (std::size_t j : edges.parents[i]) {
      parents_[k].push_back(position[j]);
    }
    for (std::size_t j : edges.needs[i]) {
      needs_[k].push_back(position[j]);
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    revisions_.push_back(std::move(revisions[order[k]]));
  }
  for (std::size_t k = 0; k < n; ++k) {
    index_.emplace(revisions_[k].id, k);
    for (std::size_t p : parents_[k]) {
      children_[p].push_back(k);
    }
    for (std::size_t p : needs_[k]) {
      needed_by_[p].push_back(k);
    }
  }
  for (auto& c : children_) {
    std::sort(c.begin(), c.end(),
              [&](std::size_t a, std::size_t b) { return revisions_[a].id < revisions_[b].id; });
  }
  labels_ = branch_labels(revisions_, index_);
}

}  // namespace migtest
