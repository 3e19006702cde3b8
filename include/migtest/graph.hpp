// migtest/graph.hpp: the revision graph (Alembic-like): heads, bases, order, targets, plans. No
// I/O.
//   migtest::RevisionGraph g({{"a1", {}}, {"b2", {"a1"}}});
//   for (auto& s : g.plan_upgrade(/*current=*/{}, "head")) run(s.revision, s.direction);
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/error.hpp"

namespace migtest {

/// One node of the graph: what a revision file header (or a C++ registration) declares.
struct Revision {
  std::string id;
  std::vector<std::string> down_revisions;  // parents; empty for a base; 2+ for a merge
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;  // must be applied first, but not merged (Alembic)
  std::string message;
  std::string created;        // ISO-8601 or ""
  std::string file;           // path of its file, "" for C++ revisions
  bool transactional = true;  // false: run outside a transaction
  bool reversible = true;     // false: no down section / marked irreversible

  bool operator==(const Revision& o) const;
  bool operator!=(const Revision& o) const { return !(*this == o); }
};

enum class Direction { up, down };
/// "up" or "down".
const char* to_string(Direction direction);

/// One revision to run, in one direction.
struct Step {
  std::string revision;
  Direction direction = Direction::up;

  bool operator==(const Step& o) const {
    return revision == o.revision && direction == o.direction;
  }
  bool operator!=(const Step& o) const { return !(*this == o); }
};

/// A validated, immutable revision graph.
///
/// The database state ("current") is the list of ids in the version table. Those
/// heads stand for every revision they reach through down_revisions and
/// depends_on. After a step the table holds the applied revisions that no other
/// applied revision names as a down_revision: a merge replaces its parents, a
/// depends_on does not (as in Alembic).
///
/// Targets (see docs/reference/revision-files.md):
///   head, heads, base, +N, -N, <id>, <unique id prefix>, <id>+N, <id>-N,
///   <label>@head, <label>@base, <label>@+N, <label>@-N.
class RevisionGraph {
 public:
  RevisionGraph() = default;
  /// Validates: duplicate id (duplicate_revision_error), unknown down_revision or
  /// depends_on (missing_revision_error), cycle (cycle_error), duplicate or
  /// clashing branch label and invalid id (graph_error). Messages name the files.
  explicit RevisionGraph(std::vector<Revision> revisions);

  /// By exact id or unique id prefix: ambiguous_revision_error / missing_revision_error.
  const Revision& get(std::string_view id_or_unique_prefix) const;
  /// Exact id only.
  bool contains(std::string_view id) const;
  /// Every revision, in topological_order().
  const std::vector<Revision>& revisions() const { return revisions_; }
  std::size_t size() const { return revisions_.size(); }
  bool empty() const { return revisions_.empty(); }

  /// Revisions no other revision names as down_revision; sorted by id.
  std::vector<std::string> heads() const;
  /// Revisions without down_revisions; sorted by id.
  std::vector<std::string> bases() const;
  /// Parents (down_revisions and depends_on) before children; ties broken by id.
  std::vector<std::string> topological_order() const;
  /// Revisions naming `id` as a down_revision, sorted by id.
  std::vector<std::string> children(std::string_view id) const;
  /// True when `ancestor` is reachable from `descendant` through down_revisions and
  /// depends_on (a revision is not its own ancestor).
  bool is_ancestor(std::string_view ancestor, std::string_view descendant) const;
  /// Revisions carrying `label` or descending from one that does; topological order.
  /// graph_error when no revision carries the label.
  std::vector<std::string> branch(std::string_view label) const;

  /// Every revision the version-table heads `current` stand for, in topological order.
  /// missing_revision_error when `current` names a revision not in the graph.
  std::vector<std::string> applied(const std::vector<std::string>& current) const;
  /// The version-table heads of a set of applied revisions (sorted by id).
  std::vector<std::string> heads_of(const std::vector<std::string>& applied) const;

  /// Steps (all up) from the database heads `current` (empty = base) to `target`.
  /// "head" with several heads: multiple_heads_error
  /// "multiple heads: a1b2, c3d4; name one, or use heads". A target already
  /// applied gives an empty plan; "-N" is a target_error (use plan_downgrade).
  std::vector<Step> plan_upgrade(const std::vector<std::string>& current,
                                 std::string_view target) const;
  /// Steps (all down) that remove, newest first, every applied revision above
  /// `target` (only the target's own branch: other branches stay). A target not
  /// applied, or "+N", is a target_error.
  std::vector<Step> plan_downgrade(const std::vector<std::string>& current,
                                   std::string_view target) const;
  /// The version-table heads after running `step` on `current`.
  std::vector<std::string> after(const std::vector<std::string>& current, const Step& step) const;
  /// What `stamp target` writes: the heads the database would have after moving
  /// to `target` (up or down as needed, other branches kept; "base" clears all).
  std::vector<std::string> resolve_heads(const std::vector<std::string>& current,
                                         std::string_view target) const;

 private:
  struct Target;  // a parsed target
  using Flags = std::vector<char>;

  std::size_t index_of(std::string_view id_or_prefix) const;
  std::size_t exact(std::string_view id) const;  // npos when absent
  Flags applied_flags(const std::vector<std::string>& current) const;
  Flags closure(const std::vector<std::size_t>& from) const;      // ancestors-or-self
  Flags descendants(const std::vector<std::size_t>& from) const;  // descendants-or-self
  std::vector<std::string> heads_of_flags(const Flags& applied) const;
  std::vector<std::size_t> removable(const Flags& applied) const;
  Target parse_target(std::string_view target) const;
  std::size_t walk_up(std::size_t from, long n, std::string_view target) const;
  std::vector<std::size_t> walk_up_from_state(const Flags& applied, long n, std::string_view target,
                                              const Target& t) const;
  std::size_t single_head() const;
  std::vector<std::size_t> resolve_up(const Flags& applied, const Target& t,
                                      std::string_view target) const;
  Flags removal(const Flags& applied, const Target& t, std::string_view target) const;
  std::string name(std::size_t i) const;  // "id (file)" for messages

  std::vector<Revision> revisions_;  // topological order
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::size_t, std::less<>> labels_;
  std::vector<std::vector<std::size_t>> parents_;    // down_revisions
  std::vector<std::vector<std::size_t>> needs_;      // down_revisions + depends_on
  std::vector<std::vector<std::size_t>> children_;   // reverse of parents_
  std::vector<std::vector<std::size_t>> needed_by_;  // reverse of needs_
};

}  // namespace migtest
