#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>

#include "migtest/graph.hpp"

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Ids = std::vector<std::string>;

Revision rev(std::string id, Ids parents, Ids labels = {}, Ids depends = {}) {
  Revision r;
  r.id = std::move(id);
  r.down_revisions = std::move(parents);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(depends);
  r.file = "versions/" + r.id + ".sql";
  return r;
}

Ids ids(const std::vector<Step>& steps) {
  Ids out;
  for (const auto& s : steps) out.push_back(s.revision);
  return out;
}

bool all(const std::vector<Step>& steps, Direction d) {
  return std::all_of(steps.begin(), steps.end(), [&](const Step& s) { return s.direction == d; });
}

// Applies steps one by one through after(), as the runner does.
Ids run(const RevisionGraph& g, Ids current, const std::vector<Step>& steps) {
  for (const auto& s : steps) current = g.after(current, s);
  return current;
}

template <typename E, typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception of the expected type";
  return "";
}

// The exception f throws, to read its fields (nullopt, and a failure, when it throws none).
template <typename E, typename F>
std::optional<E> caught(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << "no exception of the expected type";
  return std::nullopt;
}

// a1 -> b2 -> c3 -> d4
RevisionGraph linear() {
  return RevisionGraph({rev("c3", {"b2"}), rev("a1", {}), rev("d4", {"c3"}), rev("b2", {"a1"})});
}

// b -> c -> x1 -> x2 -> m      (x1 carries label x)
//        \-> y1 ----------/    (y1 carries label y; m merges x2 and y1)
// z1 -> z2                     (z1 carries label z, a second base; z2 depends_on y1)
RevisionGraph branched() {
  return RevisionGraph({rev("b", {}), rev("c", {"b"}), rev("x1", {"c"}, {"x"}), rev("x2", {"x1"}),
                        rev("y1", {"c"}, {"y"}), rev("m", {"x2", "y1"}), rev("z1", {}, {"z"}),
                        rev("z2", {"z1"}, {}, {"y1"})});
}

TEST(RevisionGraph, LinearHeadsBasesAndOrder) {
  RevisionGraph g = linear();
  EXPECT_THAT(g.heads(), ElementsAre("d4"));
  EXPECT_THAT(g.bases(), ElementsAre("a1"));
  EXPECT_THAT(g.topological_order(), ElementsAre("a1", "b2", "c3", "d4"));
  EXPECT_EQ(g.revisions().front().id, "a1");
  EXPECT_EQ(g.size(), 4u);
  EXPECT_THAT(g.children("b2"), ElementsAre("c3"));
  EXPECT_TRUE(g.is_ancestor("a1", "d4"));
  EXPECT_FALSE(g.is_ancestor("d4", "a1"));
  EXPECT_FALSE(g.is_ancestor("a1", "a1"));
  EXPECT_TRUE(RevisionGraph().empty());
}

TEST(RevisionGraph, GetByIdOrUniquePrefix) {
  RevisionGraph g({rev("a1b2c3", {}), rev("a1ff00", {"a1b2c3"}), rev("b00000", {"a1ff00"})});
  EXPECT_EQ(g.get("a1b2c3").id, "a1b2c3");
  EXPECT_EQ(g.get("a1b").id, "a1b2c3");
  EXPECT_EQ(g.get("b").id, "b00000");
  EXPECT_TRUE(g.contains("a1ff00"));
  EXPECT_FALSE(g.contains("a1f"));  // contains() takes exact ids only
  EXPECT_THAT(error_of<ambiguous_revision_error>([&] { g.get("a1"); }),
              HasSubstr("a1b2c3, a1ff00"));
  EXPECT_THAT(error_of<missing_revision_error>([&] { g.get("zz"); }), HasSubstr("no revision zz"));
}

TEST(RevisionGraph, TopologicalOrderIsDeterministicWhateverTheInputOrder) {
  std::vector<Revision> revs = {rev("b", {}),      rev("c", {"b"}),  rev("x1", {"c"}),
                                rev("x2", {"x1"}), rev("y1", {"c"}), rev("m", {"x2", "y1"}),
                                rev("a0", {})};
  Ids first = RevisionGraph(revs).topological_order();
  EXPECT_THAT(first, ElementsAre("a0", "b", "c", "x1", "x2", "y1", "m"));
  std::mt19937 rng(7);
  for (int i = 0; i < 5; ++i) {
    std::shuffle(revs.begin(), revs.end(), rng);
    EXPECT_EQ(RevisionGraph(revs).topological_order(), first);
  }
}

TEST(RevisionGraph, DuplicateIdNamesBothFiles) {
  Revision a = rev("a1", {}), b = rev("a1", {});
  a.file = "versions/a1_first.sql";
  b.file = "versions/a1_second.sql";
  std::string msg = error_of<duplicate_revision_error>([&] { RevisionGraph({a, b}); });
  EXPECT_THAT(msg, HasSubstr("duplicate revision id a1"));
  EXPECT_THAT(msg, HasSubstr("versions/a1_first.sql"));
  EXPECT_THAT(msg, HasSubstr("versions/a1_second.sql"));
}

TEST(RevisionGraph, UnknownParentOrDependencyNamesTheFile) {
  std::string msg = error_of<missing_revision_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"zz"})});
  });
  EXPECT_THAT(msg, HasSubstr("versions/b2.sql"));
  EXPECT_THAT(msg, HasSubstr("down_revision zz is not in the history"));
  msg = error_of<missing_revision_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"a1"}, {}, {"qq"})});
  });
  EXPECT_THAT(msg, HasSubstr("depends_on qq"));
}

TEST(RevisionGraph, CycleNamesTheRevisionsAndFiles) {
  std::string msg = error_of<cycle_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"a1", "d4"}), rev("c3", {"b2"}), rev("d4", {"c3"})});
  });
  EXPECT_THAT(msg, HasSubstr("cycle"));
  EXPECT_THAT(msg, HasSubstr("b2 (versions/b2.sql)"));
  EXPECT_THAT(msg, HasSubstr("c3 (versions/c3.sql)"));
  EXPECT_THAT(msg, HasSubstr("d4 (versions/d4.sql)"));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr("a1")));
  EXPECT_THAT(error_of<cycle_error>([] { RevisionGraph({rev("s1", {"s1"})}); }), HasSubstr("s1"));
  // A cycle through depends_on counts too.
  EXPECT_THAT(error_of<cycle_error>([] {
                RevisionGraph({rev("a1", {}, {}, {"b2"}), rev("b2", {"a1"})});
              }),
              HasSubstr("a1"));
}

TEST(RevisionGraph, InvalidIdsAndLabels) {
  EXPECT_THROW(RevisionGraph({rev("head", {})}), graph_error);
  EXPECT_THROW(RevisionGraph({rev("a b", {})}), graph_error);
  EXPECT_THROW(RevisionGraph({rev("a@b", {})}), graph_error);
  EXPECT_THROW(RevisionGraph({rev("", {})}), graph_error);
  EXPECT_THAT(error_of<graph_error>([] {
                RevisionGraph({rev("a1", {}, {"x"}), rev("b2", {"a1"}, {"x"})});
              }),
              HasSubstr("branch label x is on two revisions"));
  EXPECT_THAT(error_of<graph_error>([] { RevisionGraph({rev("a1", {}, {"a1"})}); }),
              HasSubstr("also a revision id"));
}

TEST(RevisionGraph, UpgradeLinear) {
  RevisionGraph g = linear();
  auto steps = g.plan_upgrade({}, "head");
  EXPECT_THAT(ids(steps), ElementsAre("a1", "b2", "c3", "d4"));
  EXPECT_TRUE(all(steps, Direction::up));
  EXPECT_THAT(run(g, {}, steps), ElementsAre("d4"));
  EXPECT_THAT(ids(g.plan_upgrade({"b2"}, "head")), ElementsAre("c3", "d4"));
  EXPECT_TRUE(g.plan_upgrade({"d4"}, "head").empty());
  EXPECT_TRUE(g.plan_upgrade({"d4"}, "b2").empty());  // already applied: nothing to do
  EXPECT_THAT(ids(g.plan_upgrade({}, "+1")), ElementsAre("a1"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "+2")), ElementsAre("a1", "b2"));
  EXPECT_THAT(ids(g.plan_upgrade({"b2"}, "+2")), ElementsAre("c3", "d4"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "c3")), ElementsAre("a1", "b2", "c3"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "c")), ElementsAre("a1", "b2", "c3"));  // prefix
  EXPECT_THAT(ids(g.plan_upgrade({}, "a1+2")), ElementsAre("a1", "b2", "c3"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "d4-1")), ElementsAre("a1", "b2", "c3"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "heads")), ElementsAre("a1", "b2", "c3", "d4"));
  EXPECT_TRUE(g.plan_upgrade({}, "base").empty());
}

TEST(RevisionGraph, UpgradeTargetErrors) {
  RevisionGraph g = linear();
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({"c3"}, "-1"); }),
              HasSubstr("use downgrade -1"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({"c3"}, "+2"); }),
              HasSubstr("goes past head d4"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({}, "a1+9"); }), HasSubstr("past head"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({}, "a1-3"); }), HasSubstr("below base"));
  EXPECT_THROW(g.plan_upgrade({}, "zz"), missing_revision_error);
  EXPECT_THROW(g.plan_upgrade({}, ""), target_error);
  EXPECT_THAT(error_of<missing_revision_error>([&] { g.plan_upgrade({"ffff"}, "head"); }),
              HasSubstr("the database is at revision ffff, which is not in the history"));
}

TEST(RevisionGraph, DowngradeLinear) {
  RevisionGraph g = linear();
  auto steps = g.plan_downgrade({"d4"}, "base");
  EXPECT_THAT(ids(steps), ElementsAre("d4", "c3", "b2", "a1"));
  EXPECT_TRUE(all(steps, Direction::down));
  EXPECT_TRUE(run(g, {"d4"}, steps).empty());
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "-1")), ElementsAre("d4"));
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "-3")), ElementsAre("d4", "c3", "b2"));
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "-4")), ElementsAre("d4", "c3", "b2", "a1"));
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "b2")), ElementsAre("d4", "c3"));
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "d4-2")), ElementsAre("d4", "c3"));
  EXPECT_THAT(ids(g.plan_downgrade({"d4"}, "a1-1")), ElementsAre("d4", "c3", "b2", "a1"));
  EXPECT_TRUE(g.plan_downgrade({"d4"}, "head").empty());
  EXPECT_TRUE(g.plan_downgrade({}, "base").empty());
  EXPECT_THAT(error_of<target_error>([&] { g.plan_downgrade({"d4"}, "-5"); }),
              HasSubstr("below base: only 4 revisions applied"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_downgrade({"b2"}, "c3"); }),
              HasSubstr("c3 is not applied (the database is at b2); use upgrade"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_downgrade({"b2"}, "+1"); }),
              HasSubstr("use upgrade"));
}

TEST(RevisionGraph, HeadWithSeveralHeadsIsAnError) {
  RevisionGraph g = branched();
  EXPECT_THAT(g.heads(), ElementsAre("m", "z2"));
  EXPECT_THAT(g.bases(), ElementsAre("b", "z1"));
  std::string msg = error_of<multiple_heads_error>([&] { g.plan_upgrade({}, "head"); });
  EXPECT_EQ(msg, "multiple heads: m, z2; name one, or use heads");
}

TEST(RevisionGraph, UpgradeThroughBranchesAndMerge) {
  RevisionGraph g = branched();
  auto steps = g.plan_upgrade({}, "m");
  EXPECT_THAT(ids(steps), ElementsAre("b", "c", "x1", "x2", "y1", "m"));
  // Heads move as Alembic's do: two branches, then the merge replaces both.
  Ids current;
  std::vector<Ids> seen;
  for (const auto& s : steps) {
    current = g.after(current, s);
    seen.push_back(current);
  }
  EXPECT_THAT(seen[1], ElementsAre("c"));
  EXPECT_THAT(seen[3], ElementsAre("x2"));
  EXPECT_THAT(seen[4], ElementsAre("x2", "y1"));
  EXPECT_THAT(seen[5], ElementsAre("m"));
  // heads: everything; the final heads are the graph's heads.
  auto all_steps = g.plan_upgrade({}, "heads");
  EXPECT_EQ(all_steps.size(), 8u);
  EXPECT_EQ(run(g, {}, all_steps), g.heads());
}

TEST(RevisionGraph, DependsOnIsAppliedFirstButNotMerged) {
  RevisionGraph g = branched();
  auto steps = g.plan_upgrade({}, "z2");
  EXPECT_THAT(ids(steps), ElementsAre("b", "c", "y1", "z1", "z2"));
  EXPECT_THAT(run(g, {}, steps), ElementsAre("y1", "z2"));
  EXPECT_TRUE(g.is_ancestor("y1", "z2"));
  // Removing y1 takes its dependent z2 down with it.
  EXPECT_THAT(ids(g.plan_downgrade({"y1", "z2"}, "c")), ElementsAre("z2", "y1"));
  EXPECT_THAT(g.applied({"y1", "z2"}), ElementsAre("b", "c", "y1", "z1", "z2"));
  EXPECT_THAT(g.after({"y1", "z2"}, {"z2", Direction::down}), ElementsAre("y1", "z1"));
}

TEST(RevisionGraph, DowngradeKeepsOtherBranches) {
  RevisionGraph g = branched();
  Ids top = {"m", "z2"};
  EXPECT_THAT(ids(g.plan_downgrade(top, "x2")), ElementsAre("m"));
  EXPECT_THAT(g.resolve_heads(top, "x2"), ElementsAre("x2", "y1", "z2"));
  EXPECT_THAT(ids(g.plan_downgrade(top, "x1")), ElementsAre("m", "x2"));
  EXPECT_THAT(ids(g.plan_downgrade(top, "z1")), ElementsAre("z2"));
  EXPECT_THAT(ids(g.plan_downgrade(top, "c")), ElementsAre("z2", "m", "y1", "x2", "x1"));
  auto steps = g.plan_downgrade(top, "base");
  EXPECT_EQ(steps.size(), 8u);
  EXPECT_TRUE(run(g, top, steps).empty());
}

TEST(RevisionGraph, AfterDownAtABranchPoint) {
  RevisionGraph g = branched();
  EXPECT_THAT(g.after({"m"}, {"m", Direction::down}), ElementsAre("x2", "y1"));
  EXPECT_THAT(g.after({"x2", "y1"}, {"x2", Direction::down}), ElementsAre("x1", "y1"));
  // c has two children: it comes back as a head only when neither is applied.
  EXPECT_THAT(g.after({"x1", "y1"}, {"y1", Direction::down}), ElementsAre("x1"));
  EXPECT_THAT(g.after({"x1"}, {"x1", Direction::down}), ElementsAre("c"));
  EXPECT_THAT(g.after({"c"}, {"b", Direction::up}),
              ElementsAre("b", "c"));  // no validation of order
  EXPECT_THROW(g.after({"x1"}, {"y1", Direction::down}), target_error);
}

TEST(RevisionGraph, RelativeStepsWithBranches) {
  RevisionGraph g = branched();
  // -1 from a merge unmerges; a second step is ambiguous.
  EXPECT_THAT(ids(g.plan_downgrade({"m"}, "-1")), ElementsAre("m"));
  std::string msg = error_of<multiple_heads_error>([&] { g.plan_downgrade({"m"}, "-2"); });
  EXPECT_THAT(msg, HasSubstr("x2, y1"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({"c"}, "+1"); }),
              HasSubstr("c has several children (x1, y1)"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({}, "+1"); }),
              HasSubstr("several bases (b, z1)"));
  EXPECT_THROW(g.plan_upgrade({"x2", "y1"}, "+1"), multiple_heads_error);
  EXPECT_THAT(error_of<target_error>([&] { g.plan_downgrade({"m"}, "m-1"); }),
              HasSubstr("m is a merge of x2, y1"));
  EXPECT_THAT(ids(g.plan_upgrade({"c"}, "x1+1")), ElementsAre("x1", "x2"));
}

TEST(RevisionGraph, BranchLabels) {
  RevisionGraph g = branched();
  EXPECT_THAT(g.branch("x"), ElementsAre("x1", "x2", "m"));
  EXPECT_THAT(g.branch("z"), ElementsAre("z1", "z2"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "z@head")), ElementsAre("b", "c", "y1", "z1", "z2"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "x@+1")), ElementsAre("b", "c", "x1"));
  EXPECT_THAT(ids(g.plan_upgrade({"x1", "y1"}, "x@+1")), ElementsAre("x2"));
  EXPECT_THAT(ids(g.plan_upgrade({}, "x@x2")), ElementsAre("b", "c", "x1", "x2"));
  EXPECT_THROW(g.plan_upgrade({}, "x@y1"), target_error);  // y1 is not in branch x
  // label@base removes the branch and whatever depends on it, nothing else.
  EXPECT_THAT(ids(g.plan_downgrade({"m", "z2"}, "y@base")), ElementsAre("z2", "m", "y1"));
  EXPECT_THAT(g.resolve_heads({"m", "z2"}, "y@base"), ElementsAre("x2", "z1"));
  EXPECT_THAT(ids(g.plan_downgrade({"x2", "y1", "z2"}, "x@-1")), ElementsAre("x2"));
  EXPECT_THAT(error_of<target_error>([&] { g.plan_upgrade({}, "nope@head"); }),
              HasSubstr("no branch label nope"));
  EXPECT_THAT(error_of<missing_revision_error>([&] { g.plan_upgrade({}, "x"); }),
              HasSubstr("use x@head or x@base"));
  RevisionGraph forked({rev("a", {}, {"main"}), rev("b", {"a"}), rev("c", {"a"})});
  EXPECT_THAT(error_of<multiple_heads_error>([&] { forked.plan_upgrade({}, "main@head"); }),
              HasSubstr("multiple heads in branch main: b, c"));
}

TEST(RevisionGraph, ResolveHeadsForStamp) {
  RevisionGraph g = branched();
  EXPECT_THAT(g.resolve_heads({}, "heads"), ElementsAre("m", "z2"));
  EXPECT_THAT(g.resolve_heads({"m", "z2"}, "base"), ElementsAre());
  EXPECT_THAT(g.resolve_heads({"m"}, "z1"), ElementsAre("m", "z1"));
  EXPECT_THAT(g.resolve_heads({"x2", "y1"}, "m"), ElementsAre("m"));
  EXPECT_THAT(g.resolve_heads({"x1"}, "-1"), ElementsAre("c"));
  EXPECT_THAT(g.resolve_heads({"x1"}, "+1"), ElementsAre("x2"));
  EXPECT_THROW(g.resolve_heads({"c"}, "+1"), target_error);  // x1 or y1?
}

TEST(RevisionGraph, HeadsOfAppliedSet) {
  RevisionGraph g = branched();
  EXPECT_THAT(g.heads_of(Ids{"b", "c", "x1", "y1"}), ElementsAre("x1", "y1"));
  EXPECT_THAT(g.heads_of(Ids{}), ElementsAre());
}

TEST(RevisionGraph, LongHistoryPlansInOnePass) {
  std::vector<Revision> revs;
  for (int i = 0; i < 3000; ++i) {
    revs.push_back(
        rev(fmt::format("r{:05}", i), i == 0 ? Ids{} : Ids{fmt::format("r{:05}", i - 1)}));
  }
  RevisionGraph g(revs);
  auto steps = g.plan_upgrade({}, "head");
  ASSERT_EQ(steps.size(), 3000u);
  EXPECT_EQ(steps.back().revision, "r02999");
  EXPECT_THAT(run(g, {}, steps), ElementsAre("r02999"));
}

// Graph errors carry the revisions involved as fields, not only in their text.

TEST(GraphErrorFields, DuplicateNamesTheIdAndBothFiles) {
  Revision a = rev("a1", {}), b = rev("a1", {});
  a.file = "versions/a1_first.sql";
  b.file = "";  // a C++ revision
  auto e = caught<duplicate_revision_error>([&] { RevisionGraph({a, b}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id(), "a1");
  EXPECT_EQ(e->first_file(), "versions/a1_first.sql");
  EXPECT_EQ(e->second_file(), "");
  EXPECT_THAT(e->revisions(), ElementsAre("a1"));
}

TEST(GraphErrorFields, MissingNamesTheIdAndWhoReferencesIt) {
  auto parent = caught<missing_revision_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"zz"})});
  });
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->missing(), "zz");
  EXPECT_EQ(parent->referenced_by(), "b2");
  auto depends = caught<missing_revision_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"a1"}, {}, {"qq"})});
  });
  ASSERT_TRUE(depends);
  EXPECT_EQ(depends->missing(), "qq");
  EXPECT_EQ(depends->referenced_by(), "b2");
  // Named by a target or by the database: nobody in the history references it.
  RevisionGraph g = linear();
  auto target = caught<missing_revision_error>([&] { g.plan_upgrade({}, "zz"); });
  ASSERT_TRUE(target);
  EXPECT_EQ(target->missing(), "zz");
  EXPECT_EQ(target->referenced_by(), "");
  auto database = caught<missing_revision_error>([&] { g.plan_upgrade({"ffff"}, "head"); });
  ASSERT_TRUE(database);
  EXPECT_EQ(database->missing(), "ffff");
  auto label = caught<missing_revision_error>([] { branched().plan_upgrade({}, "x"); });
  ASSERT_TRUE(label);
  EXPECT_EQ(label->missing(), "x");
}

TEST(GraphErrorFields, CycleListsTheLoopParentFirst) {
  auto e = caught<cycle_error>([] {
    RevisionGraph({rev("a1", {}), rev("b2", {"a1", "d4"}), rev("c3", {"b2"}), rev("d4", {"c3"})});
  });
  ASSERT_TRUE(e);
  // Each id is a parent of the next and the last a parent of the first: some rotation of it.
  std::vector<std::string> loop = e->cycle();
  ASSERT_EQ(loop.size(), 3u);
  std::rotate(loop.begin(), std::find(loop.begin(), loop.end(), "b2"), loop.end());
  EXPECT_THAT(loop, ElementsAre("b2", "c3", "d4"));
  EXPECT_EQ(e->revisions(), e->cycle());
  auto self = caught<cycle_error>([] { RevisionGraph({rev("s1", {"s1"})}); });
  ASSERT_TRUE(self);
  EXPECT_THAT(self->cycle(), ElementsAre("s1"));
}

TEST(GraphErrorFields, AmbiguousPrefixListsTheCandidates) {
  RevisionGraph g({rev("a1b2", {}), rev("a1ff", {"a1b2"}), rev("c3", {"a1ff"})});
  auto e = caught<ambiguous_revision_error>([&] { g.get("a1"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->prefix(), "a1");
  EXPECT_THAT(e->candidates(), ElementsAre("a1b2", "a1ff"));
}

TEST(GraphErrorFields, MultipleHeadsListsTheHeads) {
  RevisionGraph g = branched();
  auto head = caught<multiple_heads_error>([&] { g.plan_upgrade({}, "head"); });
  ASSERT_TRUE(head);
  EXPECT_THAT(head->heads(), ElementsAre("m", "z2"));
  auto down = caught<multiple_heads_error>([&] { g.plan_downgrade({"m"}, "-2"); });
  ASSERT_TRUE(down);
  EXPECT_THAT(down->heads(), ElementsAre("x2", "y1"));
  auto state = caught<multiple_heads_error>([&] { g.plan_upgrade({"x2", "y1"}, "+1"); });
  ASSERT_TRUE(state);
  EXPECT_THAT(state->heads(), ElementsAre("x2", "y1"));
  RevisionGraph forked({rev("a", {}, {"main"}), rev("b", {"a"}), rev("c", {"a"})});
  auto branch = caught<multiple_heads_error>([&] { forked.plan_upgrade({}, "main@head"); });
  ASSERT_TRUE(branch);
  EXPECT_THAT(branch->heads(), ElementsAre("b", "c"));
}

TEST(GraphErrorFields, TargetAndLabelErrorsNameTheirRevisions) {
  RevisionGraph g = branched();
  auto merge = caught<target_error>([&] { g.plan_downgrade({"m"}, "m-1"); });
  ASSERT_TRUE(merge);
  EXPECT_THAT(merge->revisions(), ElementsAre("x2", "y1"));
  auto children = caught<target_error>([&] { g.plan_upgrade({"c"}, "+1"); });
  ASSERT_TRUE(children);
  EXPECT_THAT(children->revisions(), ElementsAre("x1", "y1"));
  auto past = caught<target_error>([&] { linear().plan_upgrade({}, "a1+9"); });
  ASSERT_TRUE(past);
  EXPECT_THAT(past->revisions(), ElementsAre("d4"));
  auto twice = caught<graph_error>([] {
    RevisionGraph({rev("a1", {}, {"x"}), rev("b2", {"a1"}, {"x"})});
  });
  ASSERT_TRUE(twice);
  EXPECT_THAT(twice->revisions(), ElementsAre("a1", "b2"));
  auto reserved = caught<graph_error>([] { RevisionGraph({rev("head", {})}); });
  ASSERT_TRUE(reserved);
  EXPECT_THAT(reserved->revisions(), ElementsAre("head"));
}

}  // namespace
}  // namespace migtest
