// upgrade_bench: `migtest upgrade head` on generated histories, timed as a whole process,
// next to the same SQL run straight through sqlite3 / psql (one BEGIN/COMMIT per revision,
// as migtest runs it). Issue 4, item 8. Not a test: run it and read the table.
//
//   build/bench/upgrade_bench [--revisions 200,1000] [--runs 5] [--backends sqlite,postgresql]
//                             [--migtest PATH] [--work DIR] [--keep]
//
// PostgreSQL rows need MIGTEST_POSTGRES_URL (scripts/with-postgres); each run gets a fresh
// database, created and dropped outside the timed span.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "generate_history.hpp"
#include "migtest/connection.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

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
};

struct Row {
  std::string backend;
  int revisions;
  Sample reference, migtest;
};

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

void print_table(const std::vector<Row>& rows, int runs) {
  std::printf("\nupgrade base -> head, whole processes, median of %d runs (seconds)\n", runs);
  std::printf("%-11s %9s %12s %12s %12s %12s %8s %8s\n", "backend", "revisions", "ref wall",
              "migtest wall", "ref cpu", "migtest cpu", "wall x", "cpu x");
  for (const auto& r : rows) {
    double rw = median(r.reference.wall), mw = median(r.migtest.wall);
    double rc = median(r.reference.cpu), mc = median(r.migtest.cpu);
    std::printf("%-11s %9d %12s %12s %12s %12s %7.2fx %7.2fx\n", r.backend.c_str(), r.revisions,
                fmt_seconds(rw).c_str(), fmt_seconds(mw).c_str(), fmt_seconds(rc).c_str(),
                fmt_seconds(mc).c_str(), mw / rw, rc > 0 ? mc / rc : 0.0);
  }
  std::printf("reference: sqlite3 FILE < script.sql / psql -X -q -v ON_ERROR_STOP=1 -f script.sql;\n"
              "cpu: user + system time of the timed process only (on PostgreSQL the server's "
              "work is not in it)\n");
}

int table_count(migtest::Connection& c) {
  if (c.dialect() == "sqlite")
    return static_cast<int>(
        c.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                 "AND name NOT LIKE 'migtest_%' AND name NOT LIKE 'sqlite_%'")
            .as_int());
  return static_cast<int>(c.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename NOT LIKE 'migtest_%'")
                              .as_int());
}

Row bench_sqlite(const Options& o, int n, const fs::path& work, const fs::path& dir,
                 const std::vector<migtest::bench::GeneratedRevision>& history) {
  const fs::path script = work / ("upgrade_" + std::to_string(n) + ".sqlite.sql");
  {
    // The same PRAGMA foreign_keys = ON migtest's SQLite connection sets.
    std::ofstream f(script);
    f << migtest::bench::upgrade_script(history, true, true);
  }
  const fs::path db = work / "bench.db";
  const std::string log = (work / "process.log").string();
  Row row{"sqlite", n, {}, {}};
  int ref_tables = -1;
  for (int run = 0; run < o.runs; ++run) {
    // Alternate which goes first, so neither always gets the warmer cache.
    for (int pass = 0; pass < 2; ++pass) {
      const bool reference = (pass == 0) == (run % 2 == 0);
      fs::remove(db);
      if (reference) {
        row.reference.add(run_process({"sqlite3", db.string()}, script.string(), log));
      } else {
        row.migtest.add(run_process({o.migtest, "--url", "sqlite:///" + db.string(),
                                     "--migrations", dir.string(), "upgrade", "head"},
                                    "", log));
      }
      auto c = migtest::connect("sqlite:///" + db.string());
      int tables = table_count(*c);
      if (ref_tables < 0) ref_tables = tables;
      if (tables != ref_tables)
        throw std::runtime_error("sqlite: " + std::to_string(tables) + " tables after " +
                                 (reference ? "sqlite3" : "migtest") + ", expected " +
                                 std::to_string(ref_tables));
    }
    std::fprintf(stderr, "  sqlite %d revisions: run %d/%d: sqlite3 %.3f s, migtest %.3f s\n", n,
                 run + 1, o.runs, row.reference.wall.back(), row.migtest.wall.back());
  }
  fs::remove(db);
  return row;
}

Row bench_postgres(const Options& o, int n, const fs::path& work, const fs::path& dir,
                   const std::vector<migtest::bench::GeneratedRevision>& history,
                   const std::string& server) {
  const fs::path script = work / ("upgrade_" + std::to_string(n) + ".postgresql.sql");
  {
    std::ofstream f(script);
    f << migtest::bench::upgrade_script(history, true, false);
  }
  const std::string log = (work / "process.log").string();
  const std::string name = "migtest_upgrade_bench_" + std::to_string(::getpid());
  const std::string url = with_database(server, name);
  auto admin = migtest::connect(server);
  auto drop = [&] { admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); };
  Row row{"postgresql", n, {}, {}};
  int ref_tables = -1;
  try {
    for (int run = 0; run < o.runs; ++run) {
      for (int pass = 0; pass < 2; ++pass) {
        const bool reference = (pass == 0) == (run % 2 == 0);
        drop();
        admin->execute("CREATE DATABASE " + name);
        if (reference) {
          row.reference.add(run_process({"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                                         "-f", script.string()},
                                        "", log));
        } else {
          row.migtest.add(run_process(
              {o.migtest, "--url", url, "--migrations", dir.string(), "upgrade", "head"}, "",
              log));
        }
        int tables = 0;
        {
          auto c = migtest::connect(url);
          tables = table_count(*c);
        }
        if (ref_tables < 0) ref_tables = tables;
        if (tables != ref_tables)
          throw std::runtime_error("postgresql: " + std::to_string(tables) + " tables after " +
                                   (reference ? "psql" : "migtest") + ", expected " +
                                   std::to_string(ref_tables));
      }
      std::fprintf(stderr, "  postgresql %d revisions: run %d/%d: psql %.3f s, migtest %.3f s\n",
                   n, run + 1, o.runs, row.reference.wall.back(), row.migtest.wall.back());
    }
  } catch (...) {
    drop();
    throw;
  }
  drop();
  return row;
}

int usage(const std::string& why) {
  std::fprintf(stderr,
               "upgrade_bench: %s\nusage: upgrade_bench [--revisions 200,1000] [--runs 5] "
               "[--backends sqlite,postgresql] [--migtest PATH] [--work DIR] [--keep]\n",
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
      if (a == "--revisions") o.revisions = parse_list(next());
      else if (a == "--runs") o.runs = std::stoi(next());
      else if (a == "--backends") {
        o.backends.clear();
        std::stringstream s(next());
        for (std::string b; std::getline(s, b, ',');) o.backends.push_back(b);
      } else if (a == "--migtest") o.migtest = next();
      else if (a == "--work") o.work = next();
      else if (a == "--keep") o.keep = true;
      else return usage("unknown argument " + a);
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (o.runs < 1) return usage("--runs must be >= 1");
  for (const auto& b : o.backends)
    if (b != "sqlite" && b != "postgresql") return usage("unknown backend " + b);

  const char* pg = std::getenv("MIGTEST_POSTGRES_URL");
  const std::string server = pg ? pg : "";
  fs::path work = o.work.empty()
                      ? fs::temp_directory_path() / ("migtest-upgrade-bench-" + std::to_string(::getpid()))
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
        if (b == "sqlite") {
          rows.push_back(bench_sqlite(o, n, work, dir, history));
        } else if (server.empty()) {
          std::fprintf(stderr, "  postgresql skipped: MIGTEST_POSTGRES_URL is not set "
                               "(run under scripts/with-postgres)\n");
        } else {
          rows.push_back(bench_postgres(o, n, work, dir, history, server));
        }
      }
    }
    print_table(rows, o.runs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "upgrade_bench: %s\n", e.what());
    status = 1;
  }
  if (!o.keep && status == 0) {
    std::error_code ec;
    fs::remove_all(work, ec);
  } else {
    std::fprintf(stderr, "work files kept in %s\n", work.c_str());
  }
  return status;
}
