#include "migtest/registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The macros, into a registry of this test's own (default_registry() stays empty
// for the other tests of this binary). Running the bodies needs a database and the
// operation API: the runner's tests do that; here the registration is checked.
Registry& test_registry() {
  static Registry r;
  return r;
}

MIGTEST_REVISION_IN(test_registry(), c0ffee000001, "", "Create counters") {}
MIGTEST_DOWNGRADE_IN(test_registry(), c0ffee000001) {}

MIGTEST_REVISION_IN(test_registry(), c0ffee000002, "c0ffee000001", "Seed counters") {}
MIGTEST_REVISION_OPTIONS_IN(test_registry(), c0ffee000002) {
  r.transactional = false;
  r.branch_labels = {"counters"};
}

TEST(Registry, MacrosRegisterUpgradeDowngradeAndOptions) {
  const auto& revs = test_registry().revisions();
  ASSERT_EQ(revs.size(), 2u);
  const RevisionScript& first = revs[0];
  EXPECT_EQ(first.revision.id, "c0ffee000001");
  EXPECT_TRUE(first.revision.down_revisions.empty());
  EXPECT_EQ(first.revision.message, "Create counters");
  EXPECT_TRUE(first.revision.reversible);
  EXPECT_TRUE(first.revision.file.empty());
  EXPECT_TRUE(static_cast<bool>(first.up.code));
  EXPECT_TRUE(static_cast<bool>(first.down.code));
  EXPECT_FALSE(first.up.empty());
  EXPECT_TRUE(first.up.statements("sqlite").empty());  // code, not SQL
  const RevisionScript& second = revs[1];
  EXPECT_THAT(second.revision.down_revisions, ElementsAre("c0ffee000001"));
  EXPECT_FALSE(second.revision.reversible);  // no MIGTEST_DOWNGRADE
  EXPECT_TRUE(second.down.empty());
  EXPECT_FALSE(second.revision.transactional);
  EXPECT_THAT(second.revision.branch_labels, ElementsAre("counters"));
  EXPECT_EQ(second.checksum.size(), 64u);
  EXPECT_TRUE(default_registry().empty());
}

TEST(Registry, CppRevisionsJoinFileRevisionsInOneGraph) {
  Registry reg;
  reg.add("cafe00000001", "a1b2c3d4e5f6", "Backfill karma", [](Operations&) {});
  History h = load_history(std::string(MIGTEST_TEST_DATA) + "/histories/migtest_linear", &reg);
  EXPECT_EQ(h.layout(), "migtest");
  EXPECT_THAT(h.graph().heads(), ElementsAre("cafe00000001"));
  EXPECT_EQ(h.graph().topological_order().back(), "cafe00000001");
  EXPECT_FALSE(h.script("cafe").revision.reversible);
  Registry alone;
  History only = load_history(alone.add(
      "cafe00000000", "", "Base", [](Operations&) {}, [](Operations&) {}));
  EXPECT_TRUE(only.script("cafe00000000").revision.reversible);
  EXPECT_EQ(only.layout(), "cpp");
  EXPECT_THROW(only.graph().get("a1b2c3d4e5f6"), missing_revision_error);
}

TEST(Registry, ErrorsAreReportedWithTheGraph) {
  Registry reg;
  reg.add("dddd00000001", "", "One", [](Operations&) {});
  reg.add("dddd00000001", "", "Again", [](Operations&) {});
  try {
    load_history(reg);
    FAIL();
  } catch (const duplicate_revision_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("a C++ revision"));
  }
  EXPECT_THROW(reg.set_downgrade("nope", [](Operations&) {}), usage_error);
  EXPECT_THROW(reg.add("x", "", "no code", {}), usage_error);
}

TEST(Registry, MergeListInDownRevision) {
  Registry reg;
  reg.add("a", "none", "A", [](Operations&) {});
  reg.add("b", "", "B", [](Operations&) {});
  reg.add("m", "a, b", "Merge", [](Operations&) {});
  History h = load_history(reg);
  EXPECT_THAT(h.script("m").revision.down_revisions, ElementsAre("a", "b"));
  EXPECT_THAT(h.graph().heads(), ElementsAre("m"));
}

}  // namespace
}  // namespace migtest
