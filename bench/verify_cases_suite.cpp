// verify_cases_suite: the GoogleTest binary verify_cases_bench runs, one MIGTEST_VERIFY_REVISIONS
// line over the history in MIGTEST_BENCH_HISTORY (a directory of revision files), on the
// backend of MIGTEST_BACKEND. Run it whole (one process) or one case per process, as ctest
// does under gtest_discover_tests.
#include <cstdlib>
#include <string>

#include "migtest/gtest.hpp"
#include "migtest/gtest/verify.hpp"

namespace {

std::string bench_history() {
  const char* dir = std::getenv("MIGTEST_BENCH_HISTORY");
  return dir ? dir : "";
}

}  // namespace

MIGTEST_VERIFY_REVISIONS_NO_MODELS(Bench, bench_history());
