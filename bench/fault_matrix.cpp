// fault_matrix: `migtest upgrade head` killed with SIGKILL at random moments, then the database
// checked against what its version table claims. Not a speed benchmark: the figure is how
// many kills left a consistent database.
//
//   fault_matrix [--points 30] [--revisions 40] [--seed 1] [--only sqlite|postgresql]
//   scripts/with-postgres build/bench/fault_matrix
//
// The generated history is linear; every revision creates two tables and fills the first
// with 20,000 rows; every fourth revision runs outside a transaction. After each kill:
// - every revision the version table records as applied (and clean) has both tables, full;
// - no other revision has left anything, except the one revision the table marks dirty,
//   which must be one that runs outside a transaction;
// - the clean revisions are a prefix of the history;
// - a second `upgrade head` then finishes (clean) or is refused (dirty).
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"

namespace {

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kRows = 20000;

struct Options {
  int points = 30;
  int revisions = 40;
  unsigned seed = 1;
  std::string only;
};

std::string id_of(int i) { return fmt::format("fa{:010d}", i); }
bool outside_transaction(int i) { return i % 4 == 3; }

void write_history(const fs::path& dir, int revisions) {
  fs::create_directories(dir);
  for (int i = 1; i <= revisions; ++i) {
    std::ofstream f((dir / (id_of(i) + ".sql")).string());
    f << "-- revision: " << id_of(i) << "\n-- down_revision: " << (i == 1 ? "none" : id_of(i - 1))
      << "\n"
      << "-- message: revision " << i << "\n"
      << (outside_transaction(i) ? "-- transaction: false\n" : "") << "-- migrate:up\n"
      << fmt::format(
             "CREATE TABLE t{0} (x INTEGER NOT NULL);\n"
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {1}) "
             "INSERT INTO t{0} (x) SELECT x FROM c;\n"
             "CREATE TABLE t{0}_b (y INTEGER);\n"
             "-- migrate:down\nDROP TABLE t{0}_b;\nDROP TABLE t{0};\n",
             i, kRows);
  }
}

// A database for one kill: a SQLite file, or a new database on the server.
class Target {
 public:
  Target(const std::string& backend, const fs::path& dir, int n) {
    if (backend == "sqlite") {
      url_ = "sqlite:///" + (dir / fmt::format("kill{}.db", n)).string();
      return;
    }
    server_ = std::getenv("MIGTEST_POSTGRES_URL");
    name_ = fmt::format("migtest_fault_{}_{}", ::getpid(), n);
    migtest::connect(server_)->execute("CREATE DATABASE " + name_);
    url_ = migtest::with_database(server_, name_);
  }
  ~Target() {
    if (name_.empty()) return;
    try {
      migtest::connect(server_)->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  const std::string& url() const { return url_; }
  // A killed client's server process may still be finishing its statement: wait for it.
  void settle() const {
    if (name_.empty()) return;
    auto admin = migtest::connect(server_);
    for (int i = 0; i < 600; ++i) {
      if (admin->scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", {name_})
              .as_int() == 0)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  std::string url_, server_, name_;
};

pid_t spawn(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(MIGTEST_EXE)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    FILE* null = std::fopen("/dev/null", "w");
    ::dup2(fileno(null), 1);
    ::dup2(fileno(null), 2);
    ::execv(MIGTEST_EXE, argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> upgrade_args(const Target& t, const fs::path& history) {
  return {"--url", t.url(), "--migrations", history.string(), "upgrade", "head"};
}

bool has_table(migtest::Connection& c, const std::string& table) {
  try {
    c.query("SELECT 1 FROM " + table + " WHERE 1 = 0");
    return true;
  } catch (const migtest::database_error&) {
    return false;
  }
}

struct Verdict {
  bool consistent = true;
  bool dirty = false;
  std::string why;
};

// The database against its version table (see the file comment).
Verdict check(const std::string& url, const migtest::History& history, int revisions) {
  auto c = migtest::connect(url);
  migtest::Runner runner(*c, history);
  std::vector<migtest::AppliedRevision> rows = runner.applied();
  Verdict v;
  auto fail = [&](std::string why) {
    if (v.consistent) v.why = std::move(why);
    v.consistent = false;
  };
  int clean = 0;
  for (const auto& r : rows) {
    if (r.dirty) {
      v.dirty = true;
      continue;
    }
    if (r.revision != id_of(clean + 1))
      fail(fmt::format("applied revisions are not a prefix: {}", r.revision));
    ++clean;
  }
  for (int i = 1; i <= revisions; ++i) {
    const bool applied = i <= clean;
    const bool is_dirty = !applied && v.dirty && rows.back().revision == id_of(i);
    if (is_dirty) {
      if (!outside_transaction(i))
        fail(fmt::format("revision {} is dirty but runs in a transaction", i));
      continue;
    }
    const bool a = has_table(*c, fmt::format("t{}", i)), b = has_table(*c, fmt::format("t{}_b", i));
    if (applied && !(a && b))
      fail(fmt::format("revision {} is recorded but its tables are missing", i));
    if (!applied && (a || b)) fail(fmt::format("revision {} is not recorded but left a table", i));
    if (applied && a && c->scalar(fmt::format("SELECT count(*) FROM t{}", i)).as_int() != kRows) {
      fail(fmt::format("revision {} is recorded but t{} is not full", i, i));
    }
  }
  return v;
}

struct Tally {
  int points = 0, consistent = 0, dirty = 0, resumed = 0, refused = 0;
  std::vector<std::string> failures;
};

Tally run_backend(const std::string& backend, const Options& o, const fs::path& work) {
  const fs::path history_dir = work / "history";
  migtest::History history = migtest::load_history(history_dir.string());
  double full_ms;
  {
    Target t(backend, work, 0);
    auto t0 = Clock::now();
    wait_for(spawn(upgrade_args(t, history_dir)));
    full_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  }
  std::mt19937 rng(o.seed);
  std::uniform_real_distribution<double> when(0.0, full_ms * 1.05);
  Tally tally;
  for (int n = 1; n <= o.points; ++n) {
    Target t(backend, work, n);
    const double at = when(rng);
    pid_t pid = spawn(upgrade_args(t, history_dir));
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(at * 1000)));
    ::kill(pid, SIGKILL);
    wait_for(pid);
    t.settle();
    ++tally.points;
    Verdict v = check(t.url(), history, o.revisions);
    tally.consistent += v.consistent ? 1 : 0;
    tally.dirty += v.dirty ? 1 : 0;
    if (!v.consistent) tally.failures.push_back(fmt::format("kill at {:.0f} ms: {}", at, v.why));
    // What the next run does: finishes the upgrade, or refuses over a dirty revision.
    const int rc = wait_for(spawn(upgrade_args(t, history_dir)));
    if (!v.dirty && rc == 0 && check(t.url(), history, o.revisions).consistent) ++tally.resumed;
    if (v.dirty && rc == 1) ++tally.refused;
  }
  fmt::print(
      "{:<11} full upgrade {:>6.0f} ms | kills {:>3} | consistent {:>3}/{} | dirty shown {:>3} | "
      "resumed to head {:>3} | refused while dirty {:>3}\n",
      backend, full_ms, tally.points, tally.consistent, tally.points, tally.dirty, tally.resumed,
      tally.refused);
  for (const auto& f : tally.failures) fmt::print("  INCONSISTENT: {}\n", f);
  return tally;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--points")
      o.points = std::stoi(value);
    else if (flag == "--revisions")
      o.revisions = std::stoi(value);
    else if (flag == "--seed")
      o.seed = static_cast<unsigned>(std::stoul(value));
    else if (flag == "--only")
      o.only = value;
    else {
      fmt::print(stderr, "unknown option {}\n", flag);
      return 2;
    }
  }
  const fs::path work = fs::temp_directory_path() / fs::unique_path("migtest-fault-%%%%%%%%");
  write_history(work / "history", o.revisions);
  fmt::print(
      "fault_matrix: {} revisions ({} outside a transaction), {} kills per backend, seed {}\n",
      o.revisions, o.revisions / 4, o.points, o.seed);
  bool all = true;
  for (const std::string backend : {"sqlite", "postgresql"}) {
    if (!o.only.empty() && o.only != backend) continue;
    if (backend == "postgresql" && !std::getenv("MIGTEST_POSTGRES_URL")) {
      fmt::print(
          "postgresql  skipped: MIGTEST_POSTGRES_URL is not set (run under "
          "scripts/with-postgres)\n");
      continue;
    }
    Tally t = run_backend(backend, o, work);
    all = all && t.consistent == t.points && t.resumed + t.refused == t.points;
  }
  fs::remove_all(work);
  return all ? 0 : 1;
}
