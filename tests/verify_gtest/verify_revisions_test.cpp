// MIGTEST_VERIFY_REVISIONS: the one-liner generates a case per revision and check, named
// after the revision, on the backend of MIGTEST_BACKEND; its failures carry verify's report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/gtest.hpp"
#include "migtest/gtest/verify.hpp"

namespace {

#define VERIFY_DATA MIGTEST_TEST_DATA "/verify"

const migtest::Metadata& tag_models() {
  static const migtest::Metadata md = [] {
    migtest::Metadata m;
    m.table("tag")
        .column("name", migtest::String(50), migtest::primary_key.named("pk_tag"))
        .column("label", migtest::Text{}, migtest::nullable)
        .column("weight", migtest::Integer{}, migtest::server_default("1"));
    return m;
  }();
  return md;
}

}  // namespace

// The one line a user writes.
MIGTEST_VERIFY_REVISIONS(Tags, VERIFY_DATA "/models", tag_models());

// With seeds and options: the correct history with its data checks.
MIGTEST_VERIFY_REVISIONS_WITH(Good, migtest::TestConfig().migrations(VERIFY_DATA "/good/versions"),
                              [] {
                                migtest::VerifyOptions o;
                                o.seeds = migtest::load_seeds(VERIFY_DATA "/good/seeds");
                                return o;
                              }());

namespace migtest {
namespace {

using ::testing::HasSubstr;

TEST(VerifyRevisions, CasesAreNamedAfterTheRevisions) {
  const auto* unit = ::testing::UnitTest::GetInstance();
  std::vector<std::string> names;
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    for (int k = 0; k < suite->total_test_count(); ++k) {
      names.push_back(std::string(suite->name()) + "." + suite->GetTestInfo(k)->name());
    }
  }
  EXPECT_THAT(names, ::testing::Contains("Tags/TagsRevisions.RoundTrip/6a0000000001_create_tags"));
  EXPECT_THAT(names, ::testing::Contains("Tags/TagsRevisions.Lint/6a0000000002_add_weight_to_tags"));
  EXPECT_THAT(names, ::testing::Contains("TagsHistory.ModelMatch"));
  EXPECT_THAT(names, ::testing::Contains("Good/GoodRevisions.Data/a1b2c3d4_add_karma_to_users"));
}

TEST(VerifyRevisions, CaseNamesStayUniqueAndValid) {
  Revision r;
  r.id = "20240101000001";
  r.message = "Add name (users)!";
  std::string name = verify_case_name(r, {"20240101000001", "20240101000002"});
  EXPECT_THAT(name, ::testing::StartsWith("20240101000001_add_name"));
  EXPECT_THAT(name, ::testing::MatchesRegex("[A-Za-z0-9_]+"));
  r.id = "a1b2c3d4e5f6";
  r.message = "";
  EXPECT_EQ(verify_case_name(r, {"a1b2c3d4e5f6"}), "a1b2c3d4");
}

TEST(VerifyRevisions, AFailingRevisionFailsItsCaseWithTheDifferences) {
  VerifySuite suite([] { return TestConfig().migrations(VERIFY_DATA "/forgets_index"); });
  auto cases = suite.cases();
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[1].name, "1f0000000002_add_karma_and_index_fingerprints");
  auto bad = suite.outcome("1f0000000002", Check::round_trip);
  EXPECT_EQ(bad.kind, VerifySuite::Outcome::Kind::fail);
  EXPECT_THAT(bad.message, HasSubstr("revision 1f0000000002"));
  EXPECT_THAT(bad.message, HasSubstr("downgrade left a trace"));
  EXPECT_THAT(bad.message, HasSubstr("index ix_user_fingerprint on user: after downgrade"));
  EXPECT_EQ(suite.outcome("1f0000000003", Check::round_trip).kind, VerifySuite::Outcome::Kind::pass);
  EXPECT_EQ(suite.outcome("", Check::model_match).kind, VerifySuite::Outcome::Kind::skip);
  EXPECT_EQ(suite.outcome("1f0000000002", Check::data).kind, VerifySuite::Outcome::Kind::pass)
      << "no seeds declared: nothing to check, no skip either";
}

TEST(VerifyRevisions, AHistoryThatDoesNotLoadFailsEveryCase) {
  VerifySuite suite([] { return TestConfig().migrations(VERIFY_DATA "/no_such_directory"); });
  auto cases = suite.cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "history_not_loaded");
  auto o = suite.outcome("", Check::single_head);
  EXPECT_EQ(o.kind, VerifySuite::Outcome::Kind::fail);
  EXPECT_THAT(o.message, HasSubstr("no_such_directory"));
}

}  // namespace
}  // namespace migtest
