// MIGTEST_VERIFY_REVISIONS: the one-liner generates a case per revision and check, named
// after the revision, on the backend of MIGTEST_BACKEND; its failures carry verify's report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "migtest/gtest.hpp"
#include "migtest/gtest/verify.hpp"
#include "verify/history_files.hpp"

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

// A Diesel history whose data migration has an empty down.sql: no RoundTrip case for it.
MIGTEST_VERIFY_REVISIONS_NO_MODELS(NoDowngrade, VERIFY_DATA "/no_downgrade");

namespace migtest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

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
  EXPECT_THAT(names,
              ::testing::Contains("Tags/TagsRevisions.Lint/6a0000000002_add_weight_to_tags"));
  EXPECT_THAT(names, ::testing::Contains("TagsHistory.ModelMatch"));
  EXPECT_THAT(names, ::testing::Contains("Good/GoodRevisions.Data/a1b2c3d4_add_karma_to_users"));
  // Only cases with something to check: no models, no ModelMatch; no seeds, no Data; no way
  // down, no RoundTrip. Nothing is registered under the suite that carries the registration.
  EXPECT_THAT(names, Not(::testing::Contains("GoodHistory.ModelMatch")));
  EXPECT_THAT(names, Not(::testing::Contains("Tags/TagsRevisions.Data/6a0000000001_create_tags")));
  EXPECT_THAT(names, ::testing::Contains(
                         "NoDowngrade/NoDowngradeRevisions.RoundTrip/20240201_create_users"));
  EXPECT_THAT(names, Not(::testing::Contains(
                         "NoDowngrade/NoDowngradeRevisions.RoundTrip/20240202_backfill_names")));
  EXPECT_THAT(names, ::testing::Contains(
                         "NoDowngrade/NoDowngradeRevisions.Upgrade/20240202_backfill_names"));
  for (const auto& n : names) EXPECT_THAT(n, Not(HasSubstr("VerifyCases"))) << n;
}

TEST(VerifyRevisions, NoRegisteredCaseIsSkipped) {
  // Each generated case has something to check, so a passing history gives no SKIPPED line.
  VerifySuite suite([] { return TestConfig().migrations(VERIFY_DATA "/no_downgrade"); });
  std::vector<VerifySuite::Test> tests = suite.tests("NoDowngrade");
  ASSERT_THAT(tests, SizeIs(3 + 2 + 3 + 2));  // Upgrade, RoundTrip, Lint; SingleHead, FullCycle
  for (const auto& t : tests) {
    EXPECT_EQ(suite.outcome(t.revision, t.check).kind, VerifySuite::Outcome::Kind::pass)
        << t.suite << "." << t.name;
  }
  EXPECT_EQ(tests.back().suite, "NoDowngradeHistory");
  EXPECT_EQ(tests.back().name, "FullCycle");
  const CheckResult* rt = suite.report().revisions.at(1).find(Check::round_trip);
  ASSERT_NE(rt, nullptr);
  EXPECT_EQ(rt->skip_reason, SkipReason::no_downgrade);
}

TEST(VerifyRevisions, AFailureEarlyInALongHistoryLeavesEveryLaterCaseItsResult) {
  // The gtest layer hands verify fresh temporary databases: after the failures of revisions
  // 3, 10 and 25, every later revision is still checked (emptied in place, revision 5's TEMP
  // table would stop the walk at 10).
  test::TempDir dir;
  test::write_long_history(dir);
  const std::string path = dir.string();
  VerifySuite suite([path] { return TestConfig().migrations(path); });
  using K = VerifySuite::Outcome::Kind;
  for (const VerifySuite::Test& t : suite.tests("Long")) {
    bool planted = t.revision == test::long_id(test::kFailingDown) ||
                   t.revision == test::long_id(test::kForgetsIndex) ||
                   t.revision == test::long_id(test::kPartialDown);
    K want = (planted && t.check == Check::round_trip) || t.check == Check::full_cycle ? K::fail
                                                                                       : K::pass;
    EXPECT_EQ(suite.outcome(t.revision, t.check).kind, want) << t.name;
    EXPECT_NE(t.name, "RoundTrip/" + test::long_id(test::kEmptyDown) + "_r20")
        << "no downgrade: no case";
  }
  EXPECT_EQ(suite.report().rebuilds, 2);
  EXPECT_EQ(suite.report().failed_revisions(), 3u);
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
  EXPECT_EQ(suite.outcome("1f0000000003", Check::round_trip).kind, VerifySuite::Outcome::Kind::pass)
      << "checked on the fresh database the walk moved to";
  EXPECT_EQ(suite.report().rebuilds, 1);
  // Asked for what has no case: a skip saying why.
  EXPECT_EQ(suite.outcome("", Check::model_match).kind, VerifySuite::Outcome::Kind::skip);
  auto data = suite.outcome("1f0000000002", Check::data);
  EXPECT_EQ(data.kind, VerifySuite::Outcome::Kind::skip);
  EXPECT_THAT(data.message, HasSubstr("nothing to check"));
  for (const auto& t : suite.tests("ForgetsIndex")) EXPECT_NE(t.check, Check::data) << t.name;
}

TEST(VerifyRevisions, AHistoryThatDoesNotLoadFailsEveryCase) {
  VerifySuite suite([] { return TestConfig().migrations(VERIFY_DATA "/no_such_directory"); });
  auto cases = suite.cases();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "history_not_loaded");
  auto o = suite.outcome("", Check::single_head);
  EXPECT_EQ(o.kind, VerifySuite::Outcome::Kind::fail);
  EXPECT_THAT(o.message, HasSubstr("no_such_directory"));
  auto tests = suite.tests("Missing");
  ASSERT_THAT(tests, SizeIs(1));
  EXPECT_EQ(tests[0].suite, "Missing/MissingRevisions");
  EXPECT_EQ(tests[0].name, "Upgrade/history_not_loaded");
  EXPECT_EQ(suite.outcome(tests[0].revision, tests[0].check).kind,
            VerifySuite::Outcome::Kind::fail);
}

TEST(VerifyRevisions, OptionsThatDoNotLoadFailTheirOneCase) {
  VerifySuite suite([] { return TestConfig().migrations(VERIFY_DATA "/good/versions"); },
                    [] {
                      VerifyOptions o;
                      o.seeds = load_seeds(VERIFY_DATA "/no_such_seeds");
                      return o;
                    });
  auto tests = suite.tests("BadSeeds");
  ASSERT_THAT(tests, SizeIs(1));
  EXPECT_EQ(tests[0].name, "Upgrade/options_not_loaded");
  auto o = suite.outcome(tests[0].revision, tests[0].check);
  EXPECT_EQ(o.kind, VerifySuite::Outcome::Kind::fail);
  EXPECT_THAT(o.message, HasSubstr("no_such_seeds"));
}

}  // namespace
}  // namespace migtest
