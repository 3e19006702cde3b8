#include "migtest/registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "source/code_hash.hpp"

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

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
  EXPECT_TRUE(first.up.statements(migtest::Dialect::sqlite).empty());  // code, not SQL
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
  EXPECT_THROW(reg.set_downgrade("nope", [](Operations&) {}), state_error);
  EXPECT_THROW(reg.add("x", "", "no code", {}), config_error);
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

// tests/CMakeLists.txt applies migtest_hash_revisions() to this binary: the macros above had
// their code hashed at build time, and their checksums cover it.
TEST(Registry, TheBuildHashedTheCodeOfTheMacros) {
  History h = load_history(test_registry());
  EXPECT_THAT(h.unhashed_code(), IsEmpty());
  const auto& declared = test_registry().revisions();  // the checksums of the headers alone
  ASSERT_EQ(declared.size(), 2u);
  for (const auto& d : declared) {
    const RevisionScript& s = h.script(d.revision.id);
    EXPECT_THAT(s.code_hash, MatchesRegex("[0-9a-f]{64}"));
    EXPECT_THAT(s.checksum, MatchesRegex("[0-9a-f]{64}"));
    EXPECT_NE(s.checksum, d.checksum) << d.revision.id;
    EXPECT_TRUE(d.code_hash.empty());
  }
  EXPECT_NE(h.script("c0ffee000001").code_hash, h.script("c0ffee000002").code_hash);
}

TEST(Registry, RevisionsWithoutABuildTimeHashAreListed) {
  Registry reg;
  reg.add("eeee00000002", "eeee00000001", "Second", [](Operations&) {});
  reg.add("eeee00000001", "", "First", [](Operations&) {});
  reg.add("eeee00000003", "eeee00000002", "Third", [](Operations&) {});
  reg.set_source_file("eeee00000003", "no/table/names/this.cpp");
  History h = load_history(reg);
  EXPECT_THAT(h.unhashed_code(), ElementsAre("eeee00000001", "eeee00000002", "eeee00000003"));
  EXPECT_EQ(h.script("eeee00000001").checksum, reg.revisions()[1].checksum);  // the header's
  EXPECT_THAT(
      load_history(std::string(MIGTEST_TEST_DATA) + "/histories/migtest_linear").unhashed_code(),
      IsEmpty());  // files are not code
  EXPECT_THROW(reg.set_source_file("nope", "x.cpp"), state_error);
}

TEST(Registry, CodeHashesMatchTheFileByItsLastComponents) {
  static const registration::CodeHash table[] = {
      {"/home/ann/app/one/src/m.cpp", "fade00000001", "hash-one"},
      {"/home/ann/app/two/src/m.cpp", "fade00000001", "hash-two"},
      {"/home/ann/app/lib/other.cpp", "fade00000002", "hash-other"},
  };
  registration::register_code_hashes(table, 3);
  using detail::find_code_hash;
  EXPECT_EQ(find_code_hash("../../one/src/m.cpp", "fade00000001"),
            "hash-one");  // relative to a build dir
  EXPECT_EQ(find_code_hash("./two/src/m.cpp", "fade00000001"), "hash-two");  // -fmacro-prefix-map
  EXPECT_EQ(find_code_hash("/home/ann/app/two/./src/../src/m.cpp", "fade00000001"), "hash-two");
  EXPECT_EQ(find_code_hash("/srv/build/lib/other.cpp", "fade00000002"), "hash-other");
  EXPECT_EQ(find_code_hash("src/m.cpp", "fade00000001"), "");  // one or two: not guessed
  EXPECT_EQ(find_code_hash("/home/ann/app/lib/other.cpp", "fade00000001"), "");  // not its id
  EXPECT_EQ(find_code_hash("m.cpp", "fade00000002"), "");                        // not its file
  EXPECT_EQ(find_code_hash("", "fade00000002"), "");
}

}  // namespace
}  // namespace migtest
