// verify_bench: a full verification (every check but model_match) of generated 200- and
// 1,000-revision histories (about 40 tables) on SQLite and, when MIGTEST_POSTGRES_URL is
// set, PostgreSQL; the median of several runs, each on a fresh temporary database.
//
//   verify_bench [--runs N] [--sizes 200,1000] [--only sqlite|postgresql] [--full-reflection]
//   scripts/with-postgres build/bench/verify_bench
//
// Next to each figure: the time of the five passes' SQL alone, sent straight to the same
// kind of database (the floor no verification of these checks can go under), and the
// median of each run's ratio to the floor measured right after it.
//
// For scale: the pytest-alembic way with Alembic takes about 26 s on SQLite and
// 67 s on PostgreSQL for 200 revisions on a 2-core machine; the goals are 100x and 50x
// faster, and 1,000 revisions at most 6x the 200-revision time.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "generate_history.hpp"
#include "migtest/source.hpp"
#include "migtest/verify.hpp"
#include "verify/scratch.hpp"

namespace {

namespace fs = boost::filesystem;

struct Run {
  double seconds = 0;
  double steps = 0, reads = 0;  // of which running revisions, reading schemas
  bool ok = false;
};

Run verify_once(const migtest::History& h, const std::string& backend, bool incremental) {
  migtest::detail::ScratchDatabase db(backend);
  migtest::VerifyOptions o;
  o.incremental_reflection = incremental;
  auto t0 = std::chrono::steady_clock::now();
  migtest::VerifyReport report = migtest::verify(db.connection(), h, o);
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.ok = report.ok();
  r.steps = report.steps_ms / 1000;
  r.reads = report.reads_ms / 1000;
  if (!r.ok) fmt::print(stderr, "{}", migtest::render_text(report));
  return r;
}

// The floor: the same five passes a full verification makes (per revision up, down and up
// again; then down to base and up to head), the revisions' statements sent as they are, each
// revision in a transaction, nothing else: no version table, no lock, no schema reads.
double sql_alone(const migtest::History& h, const std::string& backend) {
  migtest::detail::ScratchDatabase db(backend);
  migtest::Connection& c = db.connection();
  const migtest::Dialect dialect = c.dialect();
  auto run = [&](const migtest::RevisionScript& s, bool up) {
    c.begin(migtest::TransactionMode::immediate);
    for (const auto& st : (up ? s.up : s.down).statements(dialect)) c.execute(st.sql);
    c.commit();
  };
  const auto& order = h.scripts();
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& s : order) {
    run(s, true);
    run(s, false);
    run(s, true);
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) run(*it, false);
  for (const auto& s : order) run(s, true);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<int> parse_sizes(const std::string& s) {
  std::vector<int> out;
  std::size_t p = 0;
  while (p < s.size()) {
    std::size_t c = s.find(',', p);
    out.push_back(std::stoi(s.substr(p, c == std::string::npos ? std::string::npos : c - p)));
    if (c == std::string::npos) break;
    p = c + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<int> sizes = {200, 1000};
  bool incremental = true;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--sizes" && i + 1 < argc) {
      sizes = parse_sizes(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--full-reflection") {
      incremental = false;
    } else {
      fmt::print(stderr,
                 "usage: verify_bench [--runs N] [--sizes 200,1000] [--only sqlite|postgresql] "
                 "[--full-reflection]\n");
      return 2;
    }
  }
  std::vector<std::pair<std::string, std::string>> backends = {{"sqlite", ""}};
  if (const char* pg = std::getenv("MIGTEST_POSTGRES_URL"); pg && *pg) {
    backends.emplace_back("postgresql", pg);
  } else {
    fmt::print(
        stderr,
        "MIGTEST_POSTGRES_URL is not set: PostgreSQL skipped (run under scripts/with-postgres)\n");
  }
  const double alembic[] = {26.0, 67.0};  // pytest-alembic's seconds for 200 revisions
  const double goal_factor[] = {100.0, 50.0};

  fs::path root = fs::temp_directory_path() / fmt::format("migtest-verify-bench-{}", ::getpid());
  fmt::print("verify_bench: median of {} runs, {} reflection\n", runs,
             incremental ? "incremental" : "full");
  fmt::print("{:<11} {:>9} {:>10} {:>10} {:>11} {:>9} {:>10} {:>8} {:>12}  {}\n", "backend",
             "revisions", "median s", "min s", "revisions s", "reads s", "SQL alone", "x floor",
             "vs alembic", "goal");
  int status = 0;
  for (std::size_t b = 0; b < backends.size(); ++b) {
    if (!only.empty() && backends[b].first != only) continue;
    double base = 0;
    for (int n : sizes) {
      fs::path dir = root / std::to_string(n);
      migtest::bench::generate_history(dir.string(), n);
      migtest::History h = migtest::load_history(dir.string());
      std::vector<double> times, steps, reads, floors;
      bool all_ok = true;
      for (int r = 0; r < runs; ++r) {
        Run run = verify_once(h, backends[b].second, incremental);
        all_ok = all_ok && run.ok;
        if (!run.ok) {
          fmt::print(stderr, "verification of the generated {}-revision history failed\n", n);
          status = 1;
        }
        times.push_back(run.seconds);
        steps.push_back(run.steps);
        floors.push_back(sql_alone(h, backends[b].second));
        reads.push_back(run.reads);
      }
      double med = median(times);
      std::string goal;
      if (n == 200) {
        base = med;
        double limit = alembic[b] / goal_factor[b];
        goal = fmt::format("<= {:.2f} s ({:.0f}x): {}", limit, goal_factor[b],
                           med <= limit ? "met" : "MISSED");
      } else if (base > 0) {
        double ratio = med / base;
        goal = fmt::format("{:.2f}x the 200-revision time (<= 6x): {}", ratio,
                           ratio <= 6 ? "met" : "MISSED");
      }
      // A run that found problems in a correct history did not verify it: no figure.
      if (!all_ok) goal = "INVALID: the verification reported failures";
      std::string vs = n == 200 ? fmt::format("{:.0f}x", alembic[b] / med) : "";
      // The medians of the ratios of each run to its own floor (run side by side).
      std::vector<double> ratios;
      for (std::size_t r = 0; r < times.size(); ++r) ratios.push_back(times[r] / floors[r]);
      fmt::print(
          "{:<11} {:>9} {:>10.3f} {:>10.3f} {:>11.3f} {:>9.3f} {:>10.3f} {:>7.2f}x {:>12}  {}\n",
          backends[b].first, n, med, *std::min_element(times.begin(), times.end()), median(steps),
          median(reads), median(floors), median(ratios), vs, goal);
      std::fflush(stdout);
    }
  }
  boost::system::error_code ec;
  fs::remove_all(root, ec);
  return status;
}
