// fixtures_bench: what a test costs under the migtest::gtest fixtures, by mode and backend, for
// generated histories of 20, 200 and 1,000 revisions (about 40 tables each), next to
// migrating a new database for every test.
//
//   fixtures_bench [--revisions 20,200,1000] [--runs 5] [--tests 200]
//   scripts/with-postgres build/bench/fixtures_bench      # PostgreSQL too
//
// Per test: the fixture's SetUp + TearDown with an empty test body (FixtureCore, as
// MigratedTest runs them). Each configuration runs `runs` times; a run's figure is the
// median over its tests; the line shows the median of the runs and their range.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "../fixtures/src/internal.hpp"
#include "generate_history.hpp"
#include "migtest/gtest.hpp"
#include "testdb/server.hpp"

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;
using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;

namespace {

struct Options {
  std::vector<int> revisions{20, 200, 1000};
  int runs = 5;
  int tests = 200;  // per run, for the rollback and SQLite fresh modes
};
Options options;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Figure {
  double median = 0, low = 0, high = 0;  // wall time
  double cpu = 0;                        // this process's CPU time
};

// This process's CPU time (user + system), in ms: on a loaded machine the wall time of a
// test is mostly waiting for a core, the CPU time is what the test itself costs.
double cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// `runs` runs of `tests` calls of `one_test`; each run's median wall time (and its mean
// CPU time), then the median of those.
Figure measure(int runs, int tests, const std::function<void()>& one_test) {
  std::vector<double> run_medians, run_cpu;
  for (int r = 0; r < runs; ++r) {
    std::vector<double> times;
    const double c0 = cpu_ms();
    for (int t = 0; t < tests; ++t) {
      const auto t0 = Clock::now();
      one_test();
      times.push_back(ms_since(t0));
    }
    run_cpu.push_back((cpu_ms() - c0) / tests);
    run_medians.push_back(median(times));
  }
  return {median(run_medians), *std::min_element(run_medians.begin(), run_medians.end()),
          *std::max_element(run_medians.begin(), run_medians.end()), median(run_cpu)};
}

std::string show(const Figure& f) {
  char buf[128];
  auto one = [](double ms) {
    char b[32];
    if (ms < 1)
      std::snprintf(b, sizeof b, "%.0f us", ms * 1000);
    else if (ms < 100)
      std::snprintf(b, sizeof b, "%.2f ms", ms);
    else
      std::snprintf(b, sizeof b, "%.0f ms", ms);
    return std::string(b);
  };
  std::snprintf(buf, sizeof buf, "%s [%s..%s] cpu %s", one(f.median).c_str(), one(f.low).c_str(),
                one(f.high).c_str(), one(f.cpu).c_str());
  return buf;
}

// One test's fixture work: SetUp, the body (none by default), TearDown.
void fixture_test(const TestConfig& config, const std::string& suite,
                  const std::string& body_sql = "") {
  migtest::FixtureCore core;
  core.set_up(config, suite, std::nullopt);
  if (::testing::Test::HasFatalFailure()) throw std::runtime_error("SetUp failed");
  if (!body_sql.empty()) core.session().exec(body_sql);
  core.tear_down();
}

// A row for a test body to insert: into the template's first table without a foreign key.
std::string insert_statement(const migtest::detail::Template& tpl) {
  migtest::TemporaryDatabase db = tpl.clone();
  auto conn = db.connect();
  const migtest::Schema schema = migtest::reflect(*conn);
  for (const auto& t : schema.tables) {
    if (t.foreign_keys.empty() && t.name != tpl.version_table) {
      return "INSERT INTO " + t.name + " (id, name) VALUES (1000000, 'written by the test')";
    }
  }
  throw std::runtime_error("no table to write to");
}

// The alternative without templates: a new database migrated from scratch for each test.
void migrate_per_test(const TestConfig& config, Backend backend) {
  auto history = migtest::detail::load_config_history(config);
  migtest::TemporaryDatabase db =
      backend == Backend::sqlite ? migtest::TemporaryDatabase::sqlite(config.temp_directory())
                                 : migtest::TemporaryDatabase::postgresql(config.postgres_url());
  auto conn = db.connect();
  migtest::upgrade(*conn, *history, "head");
}

TEST(FixturesBench, PerTestCost) {
  const std::string pg = migtest::TestConfig().postgres_url();
  std::vector<Backend> backends{Backend::sqlite};
  if (!pg.empty()) backends.push_back(Backend::postgresql);
  const fs::path root =
      fs::temp_directory_path() / fs::unique_path("migtest-fixtures-bench-%%%%%%%%");

  std::printf(
      "per test: median wall time [range of the runs' medians] and this process's CPU time\n");
  std::printf("%-8s %-11s %-15s %-36s %-36s %-32s %-36s\n", "history", "backend", "template build",
              "fresh / test", "fresh, body inserts a row", "rollback / test", "migrate per test");
  for (int n : options.revisions) {
    const std::string dir = (root / ("h" + std::to_string(n))).string();
    migtest::bench::generate_history(dir, n);
    for (Backend backend : backends) {
      const bool sqlite = backend == Backend::sqlite;
      const TestConfig base =
          TestConfig()
              .migrations(dir)
              .backend(backend)
              .temp_directory((root / "tmp").string())
              .cache_directory((root / ("cache-" + std::to_string(n))).string());
      // The template: built by the first test, under the lock, then reused.
      const auto t0 = Clock::now();
      auto tpl = migtest::detail::acquire_template(base, backend);
      const double build_ms = ms_since(t0);

      const TestConfig fresh = TestConfig(base).mode(Mode::fresh);
      const TestConfig rollback = TestConfig(base).mode(Mode::rollback);
      const int fresh_tests = sqlite ? options.tests : std::max(5, options.tests / 20);
      const Figure f = measure(options.runs, fresh_tests, [&] { fixture_test(fresh, "fresh"); });
      const std::string insert = insert_statement(*tpl);
      const Figure fw =
          measure(options.runs, fresh_tests, [&] { fixture_test(fresh, "fresh", insert); });
      fixture_test(rollback, "rollback");  // the suite's database, created once per suite
      const Figure r =
          measure(options.runs, options.tests, [&] { fixture_test(rollback, "rollback"); });
      migtest::FixtureCore::tear_down_suite("rollback");
      const int slow_runs = n >= 1000 ? 1 : std::min(options.runs, 3);
      const int slow_tests = n >= 1000 ? 2 : (sqlite ? 5 : 3);
      const Figure m = measure(slow_runs, slow_tests, [&] { migrate_per_test(base, backend); });

      char build[32];
      std::snprintf(build, sizeof build, "%.0f ms", build_ms);
      std::printf("%-8d %-11s %-15s %-36s %-36s %-32s %-36s\n", n,
                  migtest::to_string(backend).c_str(), build, show(f).c_str(), show(fw).c_str(),
                  show(r).c_str(), show(m).c_str());
      std::fflush(stdout);
      if (!sqlite) {
        // The bench's templates are not worth keeping on the server.
        auto server = migtest::detail::Server::get(pg);
        std::lock_guard<std::mutex> lock(server->mutex);
        server->drop_database(tpl->database);
      }
    }
  }
  migtest::detail::release_all_suites();  // what TemplateEnvironment::TearDown does
  EXPECT_TRUE(migtest::list_temporaries((root / "tmp").string(), "", pg).empty());
  boost::system::error_code ec;
  fs::remove_all(root, ec);
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stoi(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--revisions")
      options.revisions = parse_list(argv[++i]);
    else if (a == "--runs")
      options.runs = std::stoi(argv[++i]);
    else if (a == "--tests")
      options.tests = std::stoi(argv[++i]);
  }
  return RUN_ALL_TESTS();
}
