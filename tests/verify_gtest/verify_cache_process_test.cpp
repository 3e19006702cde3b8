// MIGTEST_VERIFY_REVISIONS run as ctest runs it under gtest_discover_tests, one process per
// case, through the real ctest: the history is verified once, not once per case; the cache
// follows the history's files and the program's build; a corrupt entry is verified again; a
// failure is shared only within the ctest run that found it; a fixture process whose template
// exists migrates nothing. The child (verify_gtest/child) writes its pid to a file each time
// its C++ revision upgrades: the pids there are the processes that migrated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "migtest/gtest/fixture.hpp"
#include "migtest/testdb.hpp"
#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/revisions.hpp"
#include "verify/report_cache.hpp"

namespace migtest {
namespace {

namespace fs = boost::filesystem;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const char* const kChild = MIGTEST_VERIFY_GTEST_CHILD;

// a00000000001 and a00000000003 around the child's C++ revision c0ffee000002. `down3` is
// revision 3's down: the correct one, or one that forgets the index (a round trip failure).
void write_history(const test::TempDir& dir, const std::string& down3 = "DROP INDEX ix_item_name;",
                   const std::string& extra = "") {
  dir.write("migrations/a00000000001_create_item.sql",
            test::revision_headers("a00000000001", "", "Create item") +
                // The directory makes the history (and its template on the shared server)
                // this test's own: a template left by an earlier run would be copied.
                "-- " + dir.path().string() + "\n" +
                test::up_down("CREATE TABLE item (id integer PRIMARY KEY, name text);",
                              "DROP TABLE item;"));
  dir.write("migrations/a00000000003_index_item_names.sql",
            test::revision_headers("a00000000003", "c0ffee000002", "Index item names",
                                   "-- migtest:allow index_not_concurrent\n" + extra) +
                test::up_down("CREATE INDEX ix_item_name ON item (name);", down3));
}

// One history and the child's directories, on one backend.
class ChildHistory {
 public:
  explicit ChildHistory(Backend backend) : backend_(backend) { write_history(dir_); }

  const test::TempDir& dir() const { return dir_; }
  fs::path cache() const { return dir_.path() / "cache"; }
  // The environment of every child process; `more` is added ("MIGTEST_VERIFY_CACHE=0").
  std::string env(const std::string& more = "") const {
    return "MIGTEST_CHILD_MIGRATIONS=" + test::shell_quote(dir_ / "migrations") +
           " MIGTEST_CACHE_DIR=" + test::shell_quote(cache().string()) +
           " MIGTEST_TMPDIR=" + test::shell_quote(dir_ / "tmp") +
           " MIGTEST_TEST_COUNT_FILE=" + test::shell_quote(count_file().string()) +
           " MIGTEST_BACKEND=" + to_string(backend_) + " " + more;
  }
  fs::path count_file() const { return dir_.path() / "count.txt"; }
  // The processes that ran the C++ revision's upgrade (verified, or built the template).
  std::set<std::string> migrated() const {
    std::set<std::string> pids;
    std::ifstream in(count_file().string());
    for (std::string line; std::getline(in, line);) pids.insert(line);
    return pids;
  }
  // The child's verification cases (Counted/...), as gtest_discover_tests lists them.
  std::vector<std::string> verify_cases() const {
    auto out =
        test::run_program(kChild, "--gtest_list_tests", test::in_directory(dir_.path(), env()));
    std::vector<std::string> cases;
    std::istringstream lines(out.out);
    std::string suite;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  ", 0) != 0) {
        suite = line.substr(0, line.find('.') + 1);
      } else if (suite.rfind("Counted/CountedRevisions.", 0) == 0 || suite == "CountedHistory.") {
        cases.push_back(suite + line.substr(2, line.find("  #", 2) - 2));
      }
    }
    return cases;
  }
  test::Output run_case(const std::string& name, const std::string& more = "") const {
    return test::run_program(kChild, "--gtest_filter=" + test::shell_quote(name),
                             test::in_directory(dir_.path(), env(more)));
  }
  // One ctest run over `cases`, one process per case, `jobs` at once; `failing`: cases that
  // must fail (WILL_FAIL), so the run passes when exactly those fail.
  test::Output run_ctest(const std::vector<std::string>& cases, int jobs,
                         const std::string& more = "",
                         const std::set<std::string>& failing = {}) const {
    std::string file;
    for (const auto& c : cases) {
      file += "add_test([=[" + c + "]=] \"" + std::string(kChild) + "\" [=[--gtest_filter=" + c +
              "]=])\n";
      if (failing.count(c))
        file += "set_tests_properties([=[" + c + "]=] PROPERTIES WILL_FAIL 1)\n";
    }
    dir_.write("ctest/CTestTestfile.cmake", file);
    return test::run_program(MIGTEST_CTEST, "-j" + std::to_string(jobs) + " --output-on-failure",
                             test::in_directory(dir_.path() / "ctest", env(more)));
  }

 private:
  Backend backend_;
  test::TempDir dir_{"migtest-vcache"};
};

std::vector<fs::path> entries(const fs::path& cache) {
  std::vector<fs::path> out;
  boost::system::error_code ec;
  for (fs::directory_iterator it(cache, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("migtest_verify_", 0) == 0 && it->path().extension() == ".toml")
      out.push_back(it->path());
  }
  return out;
}

class VerifyCacheProcesses : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      MIGTEST_REQUIRE_POSTGRES_URL(url);
    }
  }
};

TEST_P(VerifyCacheProcesses, EachCaseInItsOwnProcessVerifiesTheHistoryOnce) {
  ChildHistory s(GetParam());
  const auto cases = s.verify_cases();
  ASSERT_THAT(cases, SizeIs(10)) << "3 Upgrade, 3 RoundTrip, 2 Lint, SingleHead, FullCycle";

  // Before the cache (MIGTEST_VERIFY_CACHE=0): every case process verifies.
  auto off = s.run_ctest(cases, 4, "MIGTEST_VERIFY_CACHE=0");
  ASSERT_EQ(off.code, 0) << off.out << off.err;
  EXPECT_THAT(s.migrated(), SizeIs(cases.size()));
  EXPECT_THAT(entries(s.cache()), SizeIs(0)) << "nothing cached when it is off";

  // With it, 4 processes at once: the first verifies under the lock, the others read.
  fs::remove(s.count_file());
  auto on = s.run_ctest(cases, 4);
  ASSERT_EQ(on.code, 0) << on.out << on.err;
  EXPECT_THAT(s.migrated(), SizeIs(1));
  ASSERT_THAT(entries(s.cache()), SizeIs(1));

  // The next run verifies nothing: a passing report is kept across runs.
  auto again = s.run_ctest(cases, 4);
  ASSERT_EQ(again.code, 0) << again.out << again.err;
  EXPECT_THAT(s.migrated(), SizeIs(1));
}

TEST_P(VerifyCacheProcesses, ChangingARevisionFileVerifiesAgain) {
  ChildHistory s(GetParam());
  const auto cases = s.verify_cases();
  ASSERT_EQ(s.run_ctest(cases, 2).code, 0);
  ASSERT_THAT(s.migrated(), SizeIs(1));

  write_history(s.dir(), "DROP INDEX ix_item_name;", "-- a comment: other bytes, same SQL\n");
  auto changed = s.run_ctest(cases, 2);
  ASSERT_EQ(changed.code, 0) << changed.out << changed.err;
  EXPECT_THAT(s.migrated(), SizeIs(2));
  EXPECT_THAT(entries(s.cache()), SizeIs(2)) << "one entry per history";
}

INSTANTIATE_TEST_SUITE_P(Backends, VerifyCacheProcesses,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), BackendName());

TEST(VerifyCacheProcess, ACorruptOrForeignEntryIsVerifiedAgainAndReplaced) {
  ChildHistory s(Backend::sqlite);
  const auto cases = s.verify_cases();
  ASSERT_EQ(s.run_case(cases.at(0)).code, 0);
  ASSERT_THAT(entries(s.cache()), SizeIs(1));
  const fs::path entry = entries(s.cache()).front();
  const std::string good = test::slurp(entry);
  long last_writer = detail::entry_from_toml(good).pid;

  const std::vector<std::string> bad = {
      "garbage \x01\x02 not toml",
      good.substr(0, good.size() / 2),  // cut short
      [&] {                             // whole, but another key's
        auto e = detail::entry_from_toml(good);
        e.key[20] = e.key[20] == '0' ? '1' : '0';
        return detail::entry_to_toml(e);
      }(),
      [&] {  // a field of the wrong type
        std::string t = good;
        const auto at = t.find("rebuilds = 0");
        return at == std::string::npos ? t : t.replace(at, 12, "rebuilds = 'zero'");
      }(),
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    std::ofstream(entry.string(), std::ios::binary | std::ios::trunc) << bad[i];
    auto out = s.run_case(cases.at(1 + i));
    EXPECT_EQ(out.code, 0) << i << ": " << out.out << out.err;
    EXPECT_THAT(s.migrated(), SizeIs(2 + i)) << i << ": verified again, not trusted";
    const auto replaced = detail::entry_from_toml(test::slurp(entry));  // whole again
    EXPECT_NE(replaced.pid, last_writer) << i << ": rewritten by the process that verified";
    EXPECT_TRUE(replaced.report.ok());
    last_writer = replaced.pid;
  }
}

TEST(VerifyCacheProcess, AFailureIsSharedWithinOneCtestRunOnly) {
  ChildHistory s(Backend::sqlite);
  write_history(s.dir(), "SELECT 1;");  // forgets the index: a round trip failure
  const auto cases = s.verify_cases();
  const std::string failing = "Counted/CountedRevisions.RoundTrip/a00000000003_index_item_names";
  const std::set<std::string> fails = {failing};  // the full cycle passes: head is the same
  ASSERT_THAT(cases, ::testing::Contains(failing));

  auto first = s.run_ctest(cases, 4, "", fails);
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  EXPECT_THAT(s.migrated(), SizeIs(1)) << "one run: verified once";
  auto second = s.run_ctest(cases, 4, "", fails);
  ASSERT_EQ(second.code, 0) << second.out << second.err;
  EXPECT_THAT(s.migrated(), SizeIs(2)) << "a new run verifies again: a failure is not kept";

  // Outside ctest nothing marks a run: each process verifies.
  const std::string outside = "CTEST_INTERACTIVE_DEBUG_MODE= DASHBOARD_TEST_FROM_CTEST=";
  auto a = s.run_case(failing, outside);
  auto b = s.run_case(failing, outside);
  EXPECT_NE(a.code, 0);
  EXPECT_THAT(a.out, HasSubstr("downgrade left a trace"));
  EXPECT_NE(b.code, 0);
  EXPECT_THAT(s.migrated(), SizeIs(4));
}

TEST(VerifyCacheProcess, ACaseProcessWithACachedReportOpensNoDatabase) {
  ChildHistory s(Backend::sqlite);
  const auto cases = s.verify_cases();
  ASSERT_EQ(s.run_case(cases.at(0)).code, 0);
  // No temporary database can be created under a regular file: a case that opened one fails.
  s.dir().write("not_a_directory", "");
  const std::string nowhere =
      "MIGTEST_TMPDIR=" + test::shell_quote(s.dir() / "not_a_directory/tmp");
  auto cached = s.run_case(cases.at(1), nowhere);
  EXPECT_EQ(cached.code, 0) << cached.out << cached.err;
  auto uncached = s.run_case(cases.at(1), nowhere + " MIGTEST_VERIFY_CACHE=0");
  EXPECT_NE(uncached.code, 0) << "the check above could not fail: " << uncached.out;
  EXPECT_THAT(uncached.out, HasSubstr("not_a_directory"));
}

TEST(VerifyCacheProcess, ARebuiltProgramVerifiesAgainWhenRevisionCodeIsNotHashed) {
  // The child's C++ revision has no build-time hash: its code may change without changing
  // the history's hash, so the key follows the program's build (a new file is a new build).
  ChildHistory s(Backend::sqlite);
  const auto cases = s.verify_cases();
  ASSERT_EQ(s.run_case(cases.at(0)).code, 0);
  const fs::path rebuilt = s.dir().path() / "rebuilt_child";
  fs::copy_file(kChild, rebuilt);
  fs::permissions(rebuilt, fs::owner_all);
  auto out = test::run_program(rebuilt.string(), "--gtest_filter=" + test::shell_quote(cases.at(1)),
                               test::in_directory(s.dir().path(), s.env()));
  EXPECT_EQ(out.code, 0) << out.out << out.err;
  EXPECT_THAT(s.migrated(), SizeIs(2));
  ASSERT_EQ(s.run_case(cases.at(2)).code, 0);
  EXPECT_THAT(s.migrated(), SizeIs(2)) << "the first build's entry is still its own";
}

class TemplateProcesses : public VerifyCacheProcesses {};

TEST_P(TemplateProcesses, AFixtureProcessWhoseTemplateExistsRunsNoRevision) {
  ChildHistory s(GetParam());
  auto first = s.run_case("CountedFixture.*");
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  EXPECT_THAT(s.migrated(), SizeIs(1)) << "the first process builds the template";
  auto second = s.run_case("CountedFixture.*");
  ASSERT_EQ(second.code, 0) << second.out << second.err;
  EXPECT_THAT(s.migrated(), SizeIs(1)) << "the second copies it: no revision runs";
}

INSTANTIATE_TEST_SUITE_P(Backends, TemplateProcesses,
                         ::testing::Values(Backend::sqlite, Backend::postgresql), BackendName());

}  // namespace
}  // namespace migtest
