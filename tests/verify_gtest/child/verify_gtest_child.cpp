// The GoogleTest binary verify_gtest's process tests run one case per process, as ctest does
// under gtest_discover_tests. Built with the tests, never registered as tests.
//
// Its history: the revision files of MIGTEST_CHILD_MIGRATIONS (a00000000001 and
// a00000000003) around one C++ revision, c0ffee000002, whose upgrade appends this process's
// pid to MIGTEST_TEST_COUNT_FILE: the pids in that file are the processes that migrated
// (verified, or built a template). Its code is not hashed by the build, so its history's
// template and verification are keyed on this program's build as well.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "migtest/gtest.hpp"
#include "migtest/gtest/verify.hpp"
#include "migtest/operations.hpp"
#include "migtest/registry.hpp"

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

const migtest::Registry& counting_registry() {
  static const migtest::Registry r = [] {
    migtest::Registry reg;
    reg.add(
        "c0ffee000002", "a00000000001", "counted",
        [](migtest::Operations& op) {
          std::ofstream(env_or("MIGTEST_TEST_COUNT_FILE", "/dev/null"), std::ios::app)
              << ::getpid() << "\n";
          op.execute("CREATE TABLE counted (x integer)");
        },
        [](migtest::Operations& op) { op.execute("DROP TABLE counted"); });
    return reg;
  }();
  return r;
}

migtest::TestConfig counted_config() {
  return migtest::TestConfig()
      .migrations(env_or("MIGTEST_CHILD_MIGRATIONS", ""))
      .registry(counting_registry());
}

class CountedFixture : public migtest::MigratedTest<CountedFixture> {
 public:
  static migtest::TestConfig config() { return counted_config(); }
};

TEST_F(CountedFixture, HasTheTemplatesTables) {
  EXPECT_EQ(session().scalar<int>("SELECT count(*) FROM counted"), 0);
}

}  // namespace

MIGTEST_VERIFY_REVISIONS_WITH(Counted, counted_config(), migtest::VerifyOptions());
