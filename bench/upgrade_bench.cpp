// upgrade_bench: `migtest upgrade head` on generated histories, timed as a whole process,
// next to the same SQL run straight through sqlite3 / psql (one BEGIN/COMMIT per revision,
// as migtest runs it). Not a test: run it and read the table.
//
//   build/bench/upgrade_bench [--revisions 200,1000] [--runs 5] [--backends sqlite,postgresql]
//                             [--migtest PATH] [--work DIR] [--keep] [--bookkeeping]
//
// --bookkeeping adds a third contestant: the reference plus the version-table statements the
// runner adds per revision, which splits migtest's extra time into bookkeeping and overhead.
// PostgreSQL rows need MIGTEST_POSTGRES_URL (scripts/with-postgres); each run gets a fresh
// database, created and dropped outside the timed span.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "generate_history.hpp"
#include "migtest/connection.hpp"

extern char** environ;

namespace {

namespace fs = boost::filesystem;

struct Timing {
  double wall = 0;  // seconds
  double cpu = 0;   // user + system seconds of the child process
};

// Runs argv (stdin from `input` when given, stdout/stderr to `log`), waits, and returns
// its wall-clock and CPU time. Throws when it does not exit with 0: a failed run timed
// as fast would be a lie.
Timing run_process(const std::vector<std::string>& argv, const std::string& input,
                   const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!input.empty()) posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(argv[0] + ": cannot start: " + std::strerror(rc));
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) < 0) throw std::runtime_error(argv[0] + ": wait failed");
  auto end = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream f(log);
    std::stringstream text;
    text << f.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 2000) tail = "..." + tail.substr(tail.size() - 2000);
    throw std::runtime_error(argv[0] + " failed (status " + std::to_string(status) +
                             "), output in " + log + ":\n" + tail);
  }
  Timing t;
  t.wall = std::chrono::duration<double>(end - start).count();
  t.cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return t;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Sample {
  std::vector<double> wall, cpu;
  void add(const Timing& t) {
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
  }
};

// postgresql://user@/postgres?host=... -> the same server, database `db`.
std::string with_database(const std::string& url, const std::string& db) {
  auto scheme = url.find("://");
  auto from = scheme == std::string::npos ? 0 : scheme + 3;
  auto slash = url.find('/', from);
  auto query = url.find('?', from);
  std::string head = url.substr(0, slash == std::string::npos ? query : slash);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + db + tail;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) out.push_back(std::stoi(item));
  return out;
}

struct Options {
  std::vector<int> revisions{200, 1000};
  int runs = 5;
  std::vector<std::string> backends{"sqlite", "postgresql"};
  std::string migtest = MIGTEST_EXE;
  std::string work;
  bool keep = false;
  bool bookkeeping = false;
};

struct Row {
  std::string backend;
  int revisions;
  Sample reference, bookkeeping, migtest;  // bookkeeping: only with --bookkeeping
};

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

void print_table(const std::vector<Row>& rows, int runs) {
  std::printf("\nupgrade base -> head, whole processes, median of %d runs (seconds)\n", runs);
  std::printf("%-11s %9s %9s %9s %9s %9s %8s %8s %12s %8s\n", "backend", "revisions", "ref wall",
              "mig wall", "ref cpu", "mig cpu", "wall x", "cpu x", "ref+vt wall", "vs +vt");
  for (const auto& r : rows) {
    double rw = median(r.reference.wall), mw = median(r.migtest.wall);
    double rc = median(r.reference.cpu), mc = median(r.migtest.cpu);
    std::string vt = "-", vt_ratio = "-";
    if (!r.bookkeeping.wall.empty()) {
      double bw = median(r.bookkeeping.wall);
      vt = fmt_seconds(bw);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2fx", mw / bw);
      vt_ratio = buf;
    }
    std::printf("%-11s %9d %9s %9s %9s %9s %7.2fx %7.2fx %12s %8s\n", r.backend.c_str(),
                r.revisions, fmt_seconds(rw).c_str(), fmt_seconds(mw).c_str(),
                fmt_seconds(rc).c_str(), fmt_seconds(mc).c_str(), mw / rw, rc > 0 ? mc / rc : 0.0,
                vt.c_str(), vt_ratio.c_str());
  }
  std::printf(
      "ref: the same SQL through sqlite3 FILE < script.sql / psql -X -q -v ON_ERROR_STOP=1 -f "
      "script.sql, one BEGIN/COMMIT per revision;\nref+vt: ref plus the statements migtest's "
      "runner adds per revision (read, delete, insert on migtest_version);\ncpu: user + system "
      "time of the timed process only (on PostgreSQL the server's work is not in it)\n");
}

int table_count(migtest::Connection& c) {
  if (c.dialect() == migtest::Dialect::sqlite)
    return static_cast<int>(c.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                     "AND name NOT LIKE 'migtest_%' AND name NOT LIKE 'sqlite_%'")
                                .as_int());
  return static_cast<int>(c.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename NOT LIKE 'migtest_%'")
                              .as_int());
}

// The reference plus what migtest's runner does per revision besides the revision's own SQL
// (src/runner/runner.cpp: read the heads, then in the revision's transaction delete and insert
// the version row), so the table can split migtest's time into bookkeeping and overhead.
std::string bookkeeping_script(const std::vector<migtest::bench::GeneratedRevision>& history,
                               bool sqlite) {
  std::string out = sqlite ? "PRAGMA foreign_keys = ON;\n" : "";
  out +=
      "CREATE TABLE IF NOT EXISTS \"migtest_version\" (version_num VARCHAR(64) NOT NULL, "
      "CONSTRAINT \"migtest_version_pkc\" PRIMARY KEY (version_num));\n";
  for (const auto& r : history) {
    out += "SELECT version_num FROM \"migtest_version\" ORDER BY version_num;\n";
    out += sqlite ? "BEGIN IMMEDIATE;\n" : "BEGIN;\n";
    out += r.up_sql;
    out += "DELETE FROM \"migtest_version\";\n";
    out += "INSERT INTO \"migtest_version\" (version_num) VALUES ('" + r.id + "');\n";
    out += "COMMIT;\n";
  }
  return out;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) throw std::runtime_error(path.string() + ": cannot write");
}

// One backend, one history: `runs` rounds of reference, [bookkeeping,] migtest, each on a
// fresh database, in an order that rotates per round so none always runs on the warmest cache.
Row bench_backend(const Options& o, const std::string& backend, int n, const fs::path& work,
                  const fs::path& dir,
                  const std::vector<migtest::bench::GeneratedRevision>& history,
                  const std::string& server) {
  const bool sqlite = backend == "sqlite";
  const std::string stem = "upgrade_" + std::to_string(n) + "." + backend;
  const fs::path script = work / (stem + ".sql");
  const fs::path vt_script = work / (stem + ".vt.sql");
  // SQLite: the same PRAGMA foreign_keys = ON migtest's connection sets.
  write_file(script, migtest::bench::upgrade_script(history, true, sqlite));
  if (o.bookkeeping) write_file(vt_script, bookkeeping_script(history, sqlite));
  const std::string log = (work / "process.log").string();

  const fs::path db = work / "bench.db";
  const std::string name = "migtest_upgrade_bench_" + std::to_string(::getpid());
  const std::string url = sqlite ? "sqlite:///" + db.string() : with_database(server, name);
  std::unique_ptr<migtest::Connection> admin;
  if (!sqlite) admin = migtest::connect(server);
  auto fresh = [&] {
    if (sqlite) {
      fs::remove(db);
    } else {
      admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      admin->execute("CREATE DATABASE " + name);
    }
  };
  auto cleanup = [&] {
    if (sqlite)
      fs::remove(db);
    else
      admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  };
  auto reference_cmd =
      [&](const fs::path& sql) -> std::pair<std::vector<std::string>, std::string> {
    if (sqlite) return {{"sqlite3", db.string()}, sql.string()};
    return {{"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", sql.string()}, ""};
  };

  enum Who { ref, vt, mig };
  std::vector<Who> order{ref, mig};
  if (o.bookkeeping) order.insert(order.begin() + 1, vt);
  Row row{backend, n, {}, {}, {}};
  int expected_tables = -1;
  try {
    for (int run = 0; run < o.runs; ++run) {
      for (std::size_t k = 0; k < order.size(); ++k) {
        const Who who = order[(k + static_cast<std::size_t>(run)) % order.size()];
        fresh();
        if (who == mig) {
          row.migtest.add(run_process(
              {o.migtest, "--url", url, "--migrations", dir.string(), "upgrade", "head"}, "", log));
        } else {
          auto cmd = reference_cmd(who == ref ? script : vt_script);
          (who == ref ? row.reference : row.bookkeeping)
              .add(run_process(cmd.first, cmd.second, log));
        }
        // A run that silently did less would look fast: every run must end with the same tables.
        int tables = 0;
        {
          auto c = migtest::connect(url);
          tables = table_count(*c);
        }
        if (expected_tables < 0) expected_tables = tables;
        if (tables != expected_tables)
          throw std::runtime_error(backend + ": " + std::to_string(tables) + " tables after " +
                                   (who == mig ? "migtest" : "the reference") + ", expected " +
                                   std::to_string(expected_tables));
      }
      std::fprintf(stderr, "  %s %d revisions: run %d/%d: reference %.3f s, migtest %.3f s\n",
                   backend.c_str(), n, run + 1, o.runs, row.reference.wall.back(),
                   row.migtest.wall.back());
    }
  } catch (...) {
    try {
      cleanup();
    } catch (...) {
    }
    throw;
  }
  cleanup();
  return row;
}

int usage(const std::string& why) {
  std::fprintf(
      stderr,
      "upgrade_bench: %s\nusage: upgrade_bench [--revisions 200,1000] [--runs 5] "
      "[--backends sqlite,postgresql] [--migtest PATH] [--work DIR] [--keep] [--bookkeeping]\n",
      why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--revisions")
        o.revisions = parse_list(next());
      else if (a == "--runs")
        o.runs = std::stoi(next());
      else if (a == "--backends") {
        o.backends.clear();
        std::stringstream s(next());
        for (std::string b; std::getline(s, b, ',');) o.backends.push_back(b);
      } else if (a == "--migtest")
        o.migtest = next();
      else if (a == "--work")
        o.work = next();
      else if (a == "--keep")
        o.keep = true;
      else if (a == "--bookkeeping")
        o.bookkeeping = true;
      else
        return usage("unknown argument " + a);
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (o.runs < 1) return usage("--runs must be >= 1");
  for (const auto& b : o.backends)
    if (b != "sqlite" && b != "postgresql") return usage("unknown backend " + b);

  const char* pg = std::getenv("MIGTEST_POSTGRES_URL");
  const std::string server = pg ? pg : "";
  fs::path work = o.work.empty() ? fs::temp_directory_path() /
                                       ("migtest-upgrade-bench-" + std::to_string(::getpid()))
                                 : fs::path(o.work);
  int status = 0;
  try {
    fs::create_directories(work);
    std::vector<Row> rows;
    for (int n : o.revisions) {
      auto history = migtest::bench::generate_revisions(n);
      const fs::path dir = work / ("history_" + std::to_string(n));
      migtest::bench::write_history(dir.string(), history);
      for (const auto& b : o.backends) {
        if (b == "postgresql" && server.empty()) {
          std::fprintf(stderr,
                       "  postgresql skipped: MIGTEST_POSTGRES_URL is not set "
                       "(run under scripts/with-postgres)\n");
          continue;
        }
        rows.push_back(bench_backend(o, b, n, work, dir, history, server));
      }
    }
    print_table(rows, o.runs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "upgrade_bench: %s\n", e.what());
    status = 1;
  }
  if (!o.keep && status == 0) {
    boost::system::error_code ec;
    fs::remove_all(work, ec);
  } else {
    std::fprintf(stderr, "work files kept in %s\n", work.c_str());
  }
  return status;
}
