// testdb_bench: what a test's database costs through testdb, by runner, backend,
// mode and history size; the PostgreSQL pool's handout next to CREATE DATABASE ... TEMPLATE;
// sixteen processes on one server; reset in place against drop-and-clone by database size.
//
//   MIGTEST_PG_TCP=1 scripts/with-postgres build/bench/testdb_bench
//       [--revisions 20,200,1000] [--runs 3] [--tests 200] [--process-tests 50]
//       [--processes 16]
//       [--sizes 0,1000,10000,100000] [--only inprocess,ctest,concurrent,reset]
//
// Runners:
//   inprocess  every test in this process: TestDatabases::begin_test() + TestScope::end()
//              with an empty body; the PostgreSQL handout alone (a TestDatabases per test,
//              so each test claims from the pool), next to the same without a pool (each
//              test's database made by CREATE DATABASE ... TEMPLATE: the anchor).
//   ctest      one process per test (`--process-tests` per run), as ctest runs the
//              cases gtest_discover_tests registers: this binary spawned once per test running one
//              GoogleTest case with a migtest::gtest fixture, next to the same binary running one
//              empty GoogleTest case (the anchor: a bare gtest process); the difference is the
//              fixture's overhead. Each mode twice: an empty test, and one that writes a row
//              ("+w": in fresh mode its copy is then inspected and truncated).
//   concurrent `--processes` processes at once on one server (two over TCP when
//              MIGTEST_POSTGRES_TCP_URL is set), `--tests` fresh tests between them, each
//              test checking that its database is clean and writing a row; then collisions
//              (one database held by two tests at once), dirty hand-outs and leftovers.
//   reset      PostgreSQL: a template of 8 tables, 4 filled with N rows each; a test writes
//              one row to an empty table; reset_copy() against dropping the copy and cloning
//              a new one.
// Figures are medians of each run's median; [low..high] is the range of the runs' medians.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "generate_history.hpp"
#include "migtest/gtest.hpp"
#include "migtest/testdb.hpp"
#include "testdb/from_config.hpp"
#include "testdb/pool.hpp"
#include "testdb/reset.hpp"
#include "testdb/server.hpp"

extern char** environ;

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;
using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;
using migtest::TestDatabases;
using migtest::TestScope;

namespace {

struct Options {
  std::vector<int> revisions{20, 200, 1000};
  std::vector<int> sizes{0, 1000, 10000, 100000};
  int runs = 3;
  int tests = 200;
  int processes = 16;
  int process_tests = 50;  // per run of the ctest-style runner (each one a process, twice)
  std::set<std::string> only{"inprocess", "ctest", "concurrent", "reset"};
};
Options options;
std::string self;  // this binary

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Figure {
  double median = 0, low = 0, high = 0;
};

// `runs` runs of `tests` calls of `one`, which returns the milliseconds to count.
Figure measure(int runs, int tests, const std::function<double()>& one) {
  std::vector<double> medians;
  for (int r = 0; r < runs; ++r) {
    std::vector<double> times;
    for (int t = 0; t < tests; ++t) times.push_back(one());
    medians.push_back(median(times));
  }
  return {median(medians), *std::min_element(medians.begin(), medians.end()),
          *std::max_element(medians.begin(), medians.end())};
}

std::string ms(double v) {
  if (v < 1) return fmt::format("{:.3f} ms", v);
  if (v < 100) return fmt::format("{:.2f} ms", v);
  return fmt::format("{:.0f} ms", v);
}

std::string show(const Figure& f) {
  return fmt::format("{} [{}..{}]", ms(f.median), ms(f.low), ms(f.high));
}

// ---- child processes ----------------------------------------------------------------------

// The fixture the ctest runner's processes use: configured by the parent's environment.
class BenchFixture : public migtest::MigratedTest<BenchFixture> {
 public:
  static TestConfig config() {
    const char* mode = std::getenv("MIGTEST_BENCH_MODE");
    return TestConfig()
        .migrations(std::getenv("MIGTEST_BENCH_HISTORY"))
        .mode(mode && std::string(mode) == "fresh" ? Mode::fresh : Mode::rollback);
  }
};

TEST(ChildBare, Empty) {}
TEST_F(BenchFixture, Empty) {}
// A test that writes: one row into a table the template leaves empty (MIGTEST_BENCH_TABLE).
TEST_F(BenchFixture, WritesARow) {
  session().exec(fmt::format("INSERT INTO {} (id, name) VALUES (1, 'bench')",
                             std::getenv("MIGTEST_BENCH_TABLE")));
}

// Runs `program args...` with `env` added; returns its wall time in ms; throws if it fails.
double run_process(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) envs.emplace_back(*e);
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const auto t0 = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    throw std::runtime_error("cannot start " + args[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double t = ms_since(t0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(fmt::format("{} {} failed", args[0], args.size() > 1 ? args[1] : ""));
  }
  return t;
}

// A table of the generated history that no foreign key involves: "(id, name)" rows;
// `empty`: one the template leaves empty (a test's write is truncated, the copy reused).
std::string free_table(migtest::Connection& conn, const std::string& version_table,
                       bool empty = false) {
  const auto tables = migtest::reflect(conn).tables;
  for (const auto& t : tables) {
    if (!t.foreign_keys.empty() || t.name == version_table) continue;
    const bool referred = std::any_of(tables.begin(), tables.end(), [&](const auto& other) {
      return std::any_of(other.foreign_keys.begin(), other.foreign_keys.end(),
                         [&](const auto& fk) { return fk.referred_table == t.name; });
    });
    if (empty && (referred || conn.scalar("SELECT count(*) FROM " + t.name).as_int() > 0)) {
      continue;
    }
    return t.name;
  }
  throw std::runtime_error("no table to write to");
}

// The concurrent runner's process: `tests` fresh tests, each from a new TestDatabases (so
// each claims a database from the pool and gives it back); writes one line per test to
// `out`: database, start and end (steady clock, ns), 1 when the database was clean, handout ms.
int concurrent_child(int tests, const std::string& out) {
  const char* url = std::getenv("MIGTEST_BENCH_URL");
  const TestConfig config = TestConfig()
                                .migrations(std::getenv("MIGTEST_BENCH_HISTORY"))
                                .backend(Backend::postgresql)
                                .postgres_url(url)
                                .mode(Mode::fresh);
  std::ofstream file(out);
  std::string table;
  const std::string marker = fmt::format("bench {}", ::getpid());
  for (int i = 0; i < tests; ++i) {
    TestDatabases dbs(config);
    const auto t0 = Clock::now();
    TestScope t = dbs.begin_test();
    const double handout = ms_since(t0);
    const auto start = Clock::now().time_since_epoch().count();
    if (table.empty()) table = free_table(t.database().connection(), config.version_table());
    const bool clean = t.session().scalar<int>("SELECT count(*) FROM " + table +
                                               " WHERE name LIKE 'bench %'") == 0;
    t.session().exec("INSERT INTO " + table + " (id, name) VALUES (" + std::to_string(1000000 + i) +
                     ", '" + marker + "')");
    const std::string name = t.database().name();
    const auto end = Clock::now().time_since_epoch().count();
    t.end();
    dbs.release();
    file << name << " " << start << " " << end << " " << clean << " " << handout << "\n";
  }
  return 0;
}

// ---- the parent ---------------------------------------------------------------------------

std::string pg_url() { return TestConfig().postgres_url(); }

struct Bench {
  fs::path root;
  std::map<int, std::string> histories;
  std::vector<std::shared_ptr<const migtest::detail::Template>> templates;  // dropped at the end

  TestConfig config(int n, Backend backend, Mode mode) const {
    return TestConfig()
        .migrations(histories.at(n))
        .backend(backend)
        .mode(mode)
        .temp_directory((root / "tmp").string())
        .cache_directory((root / "cache").string());
  }
  std::vector<std::string> child_env(int n, Backend backend, Mode mode) const {
    return {"MIGTEST_BENCH_HISTORY=" + histories.at(n),
            "MIGTEST_BACKEND=" + migtest::to_string(backend),
            "MIGTEST_BENCH_MODE=" + migtest::to_string(mode),
            "MIGTEST_TMPDIR=" + (root / "tmp").string(),
            "MIGTEST_CACHE_DIR=" + (root / "cache").string()};
  }
  // A table history `n` leaves empty that no foreign key involves (read from a SQLite copy:
  // both backends build the same tables).
  std::string empty_table(int n) const {
    TestDatabases dbs(config(n, Backend::sqlite, Mode::fresh));
    TestScope t = dbs.begin_test();
    std::string table = free_table(t.database().connection(), "migtest_version", true);
    t.end();
    return table;
  }
  std::vector<Backend> backends() const {
    std::vector<Backend> b{Backend::sqlite};
    if (!pg_url().empty()) b.push_back(Backend::postgresql);
    return b;
  }
};

void in_process(Bench& b) {
  std::printf(
      "\n== in-process: %d tests per run, %d runs; per test (begin_test + end, empty body)\n",
      options.tests, options.runs);
  std::printf("%-8s %-11s %-9s %-12s %-34s %-34s %-34s %s\n", "history", "backend", "mode",
              "template", "per test", "handout (pool)", "anchor: TEMPLATE clone", "ratio");
  for (int n : options.revisions) {
    for (Backend backend : b.backends()) {
      for (Mode mode : {Mode::fresh, Mode::rollback}) {
        const TestConfig config = b.config(n, backend, mode);
        TestDatabases dbs(config);
        const auto t0 = Clock::now();
        dbs.prepare();
        const double build = ms_since(t0);
        if (backend == Backend::postgresql) {
          b.templates.push_back(migtest::detail::acquire_template(config, backend));
        }
        auto one = [&] {
          const auto t = Clock::now();
          dbs.begin_test().end();
          return ms_since(t);
        };
        for (int i = 0; i < 5; ++i) one();  // warm
        const Figure per_test = measure(options.runs, options.tests, one);
        std::string handout = "-", anchor = "-", ratio = "-";
        if (backend == Backend::postgresql && mode == Mode::fresh) {
          // A TestDatabases per test: each begin_test() claims from the (warm) pool.
          auto claim = [&](const TestConfig& c) {
            TestDatabases d(c);
            const auto t = Clock::now();
            TestScope s = d.begin_test();
            const double took = ms_since(t);
            s.end();
            d.release();
            return took;
          };
          for (int i = 0; i < 8; ++i) claim(config);  // the pool fills
          const Figure h = measure(options.runs, options.tests, [&] { return claim(config); });
          const TestConfig no_pool = TestConfig(config).pool_size(0);
          const int anchor_tests = std::max(5, options.tests / (n >= 1000 ? 10 : 4));
          const Figure a = measure(options.runs, anchor_tests, [&] { return claim(no_pool); });
          handout = show(h);
          anchor = show(a);
          ratio = fmt::format("{:.1f}x faster", a.median / h.median);
        }
        dbs.release();
        std::printf("%-8d %-11s %-9s %-12s %-34s %-34s %-34s %s\n", n,
                    migtest::to_string(backend).c_str(), migtest::to_string(mode).c_str(),
                    ms(build).c_str(), show(per_test).c_str(), handout.c_str(), anchor.c_str(),
                    ratio.c_str());
        std::fflush(stdout);
      }
    }
  }
}

void ctest_style(Bench& b) {
  std::printf(
      "\n== ctest-style: one process per test, %d processes per run, %d runs; process wall time\n",
      options.process_tests, options.runs);
  std::printf("%-8s %-11s %-10s %-30s %-30s %s\n", "history", "backend", "mode",
              "anchor: bare gtest process", "with the migtest fixture", "overhead");
  // Each mode with an empty test, and fresh mode with a test that writes a row (its copy is
  // then inspected and the table truncated, where an empty test's is not inspected).
  struct Case {
    Mode mode;
    const char* label;
    const char* test;
  };
  const Case cases[] = {{Mode::fresh, "fresh", "BenchFixture.Empty"},
                        {Mode::fresh, "fresh+w", "BenchFixture.WritesARow"},
                        {Mode::rollback, "rollback", "BenchFixture.Empty"},
                        {Mode::rollback, "rollback+w", "BenchFixture.WritesARow"}};
  for (int n : options.revisions) {
    const std::string table = b.empty_table(n);
    for (Backend backend : b.backends()) {
      for (const Case& c : cases) {
        const Mode mode = c.mode;
        auto env = b.child_env(n, backend, mode);
        env.push_back("MIGTEST_BENCH_TABLE=" + table);
        const std::string filter = std::string("--gtest_filter=") + c.test;
        run_process({self, filter}, env);  // the template
        std::vector<double> bare_medians, fixture_medians, overheads;
        for (int r = 0; r < options.runs; ++r) {
          std::vector<double> bare, fixture;
          for (int t = 0; t < options.process_tests; ++t) {  // interleaved: same machine load
            bare.push_back(run_process({self, "--gtest_filter=ChildBare.Empty"}, env));
            fixture.push_back(run_process({self, filter}, env));
          }
          bare_medians.push_back(median(bare));
          fixture_medians.push_back(median(fixture));
          overheads.push_back(median(fixture) - median(bare));
        }
        auto fig = [](const std::vector<double>& v) {
          return Figure{median(v), *std::min_element(v.begin(), v.end()),
                        *std::max_element(v.begin(), v.end())};
        };
        std::printf("%-8d %-11s %-10s %-30s %-30s %s\n", n, migtest::to_string(backend).c_str(),
                    c.label, show(fig(bare_medians)).c_str(), show(fig(fixture_medians)).c_str(),
                    show(fig(overheads)).c_str());
        std::fflush(stdout);
      }
    }
  }
}

// Databases on the server that are migtest's and neither templates nor pool databases.
std::vector<std::string> server_leftovers() {
  std::vector<std::string> out;
  for (const auto& row :
       migtest::connect(pg_url())
           ->query("SELECT datname FROM pg_database WHERE datname LIKE 'migtest\\_%' AND "
                   "datname NOT LIKE 'migtest\\_tpl\\_%' AND datname NOT LIKE 'migtest\\_pool\\_%'")
           .rows) {
    out.push_back(row[0].as_text());
  }
  return out;
}

std::size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  std::size_t n = 0;
  for (fs::recursive_directory_iterator it(dir), end; it != end; ++it) {
    if (fs::is_regular_file(it->path())) ++n;
  }
  return n;
}

void concurrent(Bench& b) {
  if (pg_url().empty()) return;
  const int n = options.revisions.front();
  const char* tcp = std::getenv("MIGTEST_POSTGRES_TCP_URL");
  const int over_tcp = tcp ? std::min(2, options.processes) : 0;
  const int per_process = (options.tests + options.processes - 1) / options.processes;
  const TestConfig config = b.config(n, Backend::postgresql, Mode::fresh);
  b.templates.push_back(migtest::detail::acquire_template(config, Backend::postgresql));
  std::printf(
      "\n== concurrent: %d processes (%d over TCP), %d fresh tests each, %d-revision "
      "history, PostgreSQL, %d runs\n",
      options.processes, over_tcp, per_process, n, options.runs);
  const auto leftovers_before = server_leftovers();
  const std::size_t files_before = files_in(b.root / "tmp");
  for (int r = 0; r < options.runs; ++r) {
    std::vector<pid_t> pids;
    std::vector<std::string> outs;
    const auto t0 = Clock::now();
    for (int p = 0; p < options.processes; ++p) {
      auto env = b.child_env(n, Backend::postgresql, Mode::fresh);
      env.push_back(std::string("MIGTEST_BENCH_URL=") + (p < over_tcp ? tcp : pg_url().c_str()));
      outs.push_back((b.root / fmt::format("concurrent-{}-{}.txt", r, p)).string());
      std::vector<std::string> args{self, "--child-concurrent", std::to_string(per_process),
                                    outs.back()};
      std::vector<std::string> envs;
      for (char** e = environ; *e; ++e) envs.emplace_back(*e);
      envs.insert(envs.end(), env.begin(), env.end());
      std::vector<char*> argv, envp;
      for (auto& a : args) argv.push_back(a.data());
      for (auto& e : envs) envp.push_back(e.data());
      argv.push_back(nullptr);
      envp.push_back(nullptr);
      pid_t pid = 0;
      if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), envp.data()) != 0) {
        throw std::runtime_error("cannot start a concurrent process");
      }
      pids.push_back(pid);
    }
    int failed = 0;
    for (pid_t pid : pids) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
    }
    const double wall = ms_since(t0);
    struct Hold {
      long long start, end;
    };
    std::map<std::string, std::vector<Hold>> holds;
    std::vector<double> handouts;
    int tests = 0, dirty = 0, collisions = 0;
    for (const auto& out : outs) {
      std::ifstream in(out);
      std::string name;
      long long start = 0, end = 0;
      int clean = 0;
      double handout = 0;
      while (in >> name >> start >> end >> clean >> handout) {
        ++tests;
        dirty += clean ? 0 : 1;
        handouts.push_back(handout);
        holds[name].push_back({start, end});
      }
    }
    for (auto& [name, h] : holds) {
      std::sort(h.begin(), h.end(), [](const Hold& a, const Hold& c) { return a.start < c.start; });
      for (std::size_t i = 1; i < h.size(); ++i) collisions += h[i].start < h[i - 1].end ? 1 : 0;
    }
    std::printf(
        "run %d: %d tests in %s (%d processes failed), %zu databases used, handout median "
        "%s; collisions %d, dirty hand-outs %d\n",
        r + 1, tests, ms(wall).c_str(), failed, holds.size(), ms(median(handouts)).c_str(),
        collisions, dirty);
  }
  const auto leftovers_after = server_leftovers();
  std::printf(
      "leftovers: server databases (not templates/pools) %zu before, %zu after; files in "
      "the temporary directory %zu before, %zu after\n",
      leftovers_before.size(), leftovers_after.size(), files_before, files_in(b.root / "tmp"));
  for (const auto& l : leftovers_after) std::printf("  left: %s\n", l.c_str());
}

// One revision: 8 tables, the first 4 filled with `rows` rows each.
std::string sized_history(const fs::path& dir, int rows) {
  std::string up, down;
  for (int t = 0; t < 8; ++t) {
    up += fmt::format("CREATE TABLE t{} (id bigint PRIMARY KEY, name text, n int);\n", t);
    if (t < 4 && rows > 0) {
      up += fmt::format(
          "INSERT INTO t{} SELECT g, 'row ' || g, g % 97 FROM generate_series(1, {}) g;\n", t,
          rows);
    }
    down += fmt::format("DROP TABLE t{};\n", t);
  }
  const fs::path d = dir / fmt::format("sized-{}", rows);
  fs::create_directories(d);
  std::ofstream(d / "5a0000000001_sized.sql")
      << "-- revision: 5a0000000001\n-- down_revision: none\n-- message: sized " << rows << " "
      << ::getpid() << "\n-- migrate:up\n"
      << up << "-- migrate:down\n"
      << down;
  return d.string();
}

void reset_vs_clone(Bench& b) {
  if (pg_url().empty()) return;
  std::printf(
      "\n== reset in place vs drop-and-clone (PostgreSQL): 8 tables, 4 filled with N rows "
      "each; the test writes one row to an empty table; %d runs of 10\n",
      options.runs);
  std::printf("%-9s %-12s %-30s %-30s %s\n", "rows", "db size", "reset in place",
              "drop + clone + connect", "winner");
  for (int rows : options.sizes) {
    const TestConfig config = TestConfig()
                                  .migrations(sized_history(b.root, rows))
                                  .backend(Backend::postgresql)
                                  .temp_directory((b.root / "tmp").string());
    const auto tpl = migtest::detail::acquire_template(config, Backend::postgresql);
    b.templates.push_back(tpl);
    migtest::TemporaryDatabase copy = tpl->clone();
    auto conn = copy.connect();
    const auto clean = migtest::detail::read_clean_state(*conn);
    const long long size = conn->scalar("SELECT pg_database_size(current_database())").as_int();
    const Figure reset = measure(options.runs, 10, [&] {
      conn->execute("INSERT INTO t7 (id, name) VALUES (1, 'written')");
      const auto t = Clock::now();
      const auto r = migtest::detail::reset_copy(*conn, *clean);
      const double took = ms_since(t);
      if (!r.reset) throw std::runtime_error("not reset: " + r.why);
      if (!r.keep_connection) conn = copy.connect();
      return took;
    });
    std::unique_ptr<migtest::TemporaryDatabase> other;
    const Figure clone = measure(options.runs, 10, [&] {
      other = std::make_unique<migtest::TemporaryDatabase>(tpl->clone());
      other->connect()->execute("INSERT INTO t7 (id, name) VALUES (1, 'written')");
      const auto t = Clock::now();
      other.reset();  // dropped
      other = std::make_unique<migtest::TemporaryDatabase>(tpl->clone());
      other->connect();
      const double took = ms_since(t);
      other.reset();
      return took;
    });
    std::printf("%-9d %-12s %-30s %-30s %s\n", rows, fmt::format("{:.1f} MB", size / 1e6).c_str(),
                show(reset).c_str(), show(clone).c_str(),
                reset.median < clone.median
                    ? fmt::format("reset, {:.1f}x", clone.median / reset.median).c_str()
                    : fmt::format("clone, {:.1f}x", reset.median / clone.median).c_str());
    std::fflush(stdout);
    conn.reset();
  }
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stoi(item));
  return out;
}

int bench_main() {
  Bench b;
  b.root = fs::temp_directory_path() / fs::unique_path("migtest-testdb-bench-%%%%%%%%");
  fs::create_directories(b.root);
  for (int n : options.revisions) {
    const std::string dir = (b.root / fmt::format("h{}", n)).string();
    migtest::bench::generate_history(dir, n);
    // A history of this run's own: templates of earlier runs are not reused.
    std::ofstream(dir + "/" + fs::directory_iterator(dir)->path().filename().string(),
                  std::ios::app)
        << "\n-- bench run " << b.root.filename().string() << "\n";
    b.histories[n] = dir;
  }
  std::printf("testdb_bench: PostgreSQL %s\n",
              pg_url().empty() ? "off (MIGTEST_POSTGRES_URL unset)" : "on");
  if (options.only.count("inprocess")) in_process(b);
  if (options.only.count("ctest")) ctest_style(b);
  if (options.only.count("concurrent")) concurrent(b);
  if (options.only.count("reset")) reset_vs_clone(b);
  // The bench's templates and pools are not worth keeping.
  if (!pg_url().empty()) {
    std::set<std::string> done;
    for (const auto& tpl : b.templates) {
      if (!done.insert(tpl->database).second) continue;
      migtest::detail::Pool::get(tpl)->drop_unclaimed();
      auto server = migtest::detail::Server::get(tpl->server_url);
      std::lock_guard<std::mutex> lock(server->mutex);
      server->drop_database(tpl->database);
    }
  }
  const auto left = migtest::list_temporaries((b.root / "tmp").string(), "", pg_url());
  std::printf("\nafter the bench: %zu temporaries left\n", left.size());
  boost::system::error_code ec;
  fs::remove_all(b.root, ec);
  return left.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  self = fs::canonical("/proc/self/exe").string();
  if (argc >= 4 && std::string(argv[1]) == "--child-concurrent") {
    return concurrent_child(std::stoi(argv[2]), argv[3]);
  }
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--gtest_filter=", 0) == 0) {  // a child test process
      ::testing::InitGoogleTest(&argc, argv);
      return RUN_ALL_TESTS();
    }
  }
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--revisions")
      options.revisions = parse_list(argv[++i]);
    else if (a == "--sizes")
      options.sizes = parse_list(argv[++i]);
    else if (a == "--runs")
      options.runs = std::stoi(argv[++i]);
    else if (a == "--tests")
      options.tests = std::stoi(argv[++i]);
    else if (a == "--processes")
      options.processes = std::stoi(argv[++i]);
    else if (a == "--only") {
      options.only.clear();
      std::stringstream ss(argv[++i]);
      for (std::string s; std::getline(ss, s, ',');) options.only.insert(s);
    }
  }
  try {
    return bench_main();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "testdb_bench: %s\n", e.what());
    return 1;
  }
}
