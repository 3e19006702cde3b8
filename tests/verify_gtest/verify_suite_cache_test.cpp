// VerifySuite and verify's cache in one process: a second suite over the same history reads
// the first one's report, and its failures say where the report came from; the switch and
// databases the caller brings leave the cache alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <memory>
#include <optional>
#include <string>

#include "migtest/gtest/verify.hpp"
#include "support/env.hpp"
#include "support/files.hpp"
#include "verify/scratch.hpp"

namespace migtest {
namespace {

namespace fs = boost::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using K = VerifySuite::Outcome::Kind;

#define VERIFY_DATA MIGTEST_TEST_DATA "/verify"

int entries(const fs::path& dir) {
  int n = 0;
  boost::system::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    n += it->path().extension() == ".toml";
  return n;
}

class VerifySuiteCache : public ::testing::Test {
 protected:
  TestConfig config() const {
    return TestConfig()
        .migrations(VERIFY_DATA "/forgets_index")
        .backend(Backend::sqlite)
        .cache_directory(cache_ / "cache");
  }
  test::TempDir cache_;
  // A run is known (a failed report may be shared) whoever runs this test.
  test::ScopedEnv ctest_{"CTEST_INTERACTIVE_DEBUG_MODE", "1"};
};

TEST_F(VerifySuiteCache, ASecondSuiteReadsTheReportAndSaysWhereItCameFrom) {
  const TestConfig c = config();
  VerifySuite first([c] { return c; });
  auto verified = first.outcome("1f0000000002", Check::round_trip);
  ASSERT_EQ(verified.kind, K::fail);
  EXPECT_THAT(verified.message, Not(HasSubstr("verified once for every case")));
  EXPECT_EQ(entries(cache_ / "cache"), 1);

  VerifySuite second([c] { return c; });
  auto read = second.outcome("1f0000000002", Check::round_trip);
  ASSERT_EQ(read.kind, K::fail);
  EXPECT_THAT(read.message, HasSubstr("downgrade left a trace"));
  EXPECT_THAT(read.message, HasSubstr("verified once for every case by process"));
  EXPECT_THAT(read.message, HasSubstr("MIGTEST_VERIFY_CACHE=0"));
  EXPECT_EQ(second.report(), first.report());
}

TEST_F(VerifySuiteCache, TurnedOffItIsNeitherReadNorWritten) {
  test::ScopedEnv off("MIGTEST_VERIFY_CACHE", "0");
  const TestConfig c = config();
  VerifySuite first([c] { return c; });
  first.report();
  VerifySuite second([c] { return c; });
  EXPECT_THAT(second.outcome("1f0000000002", Check::round_trip).message,
              Not(HasSubstr("verified once for every case")));
  EXPECT_EQ(entries(cache_ / "cache"), 0);
}

TEST_F(VerifySuiteCache, DatabasesTheCallerBringsAreNotCached) {
  // Which databases they are is beyond the key: every suite verifies on them, as before.
  int databases = 0;
  auto options = [&databases] {
    VerifyOptions o;
    o.fresh_database = [&databases] {
      ++databases;
      auto db = std::make_shared<detail::ScratchDatabase>();
      Connection& conn = db->connection();
      return std::shared_ptr<Connection>(std::move(db), &conn);
    };
    return o;
  };
  const TestConfig c = config();
  VerifySuite first([c] { return c; }, options);
  first.report();
  const int after_first = databases;
  EXPECT_GE(after_first, 1);
  VerifySuite second([c] { return c; }, options);
  second.report();
  EXPECT_EQ(databases, 2 * after_first);
  EXPECT_EQ(entries(cache_ / "cache"), 0);
}

}  // namespace
}  // namespace migtest
