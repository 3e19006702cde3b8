// reflect_bench: reflect() and compare() on a 1,000-table schema, SQLite and PostgreSQL.
// Not a test: run it and read the figures.
//
//   build/bench/reflect_bench [--tables 1000] [--runs 5] [--backends sqlite,postgresql]
//
// The schema comes from a generated Metadata through create_all(), so the same model
// gives the expected side and compare() must find nothing; a difference is printed (it
// would be a false positive) and makes the exit status 1.
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/diff.hpp"
#include "migtest/metadata.hpp"
#include "migtest/url.hpp"

namespace {

namespace fs = boost::filesystem;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A model like a real application's, at scale: every table has a key, a few typed
// columns with defaults, and by turns an index, a unique constraint, a check and a
// foreign key to an earlier table.
migtest::Metadata make_metadata(int tables) {
  migtest::Metadata md;
  for (int i = 0; i < tables; ++i) {
    const std::string name = "t" + std::to_string(i);
    auto t = md.table(name);
    t.column("id", migtest::Integer{}, migtest::primary_key)
        .column("name", migtest::String(100))
        .column("created_at", migtest::DateTime{}, migtest::server_default("CURRENT_TIMESTAMP"))
        .column("score", migtest::Integer{}, migtest::server_default("0"))
        .column("price", migtest::Numeric(10, 2), migtest::nullable)
        .column("note", migtest::Text{}, migtest::nullable)
        .column("active", migtest::Boolean{}, migtest::server_default("false"));
    if (i % 2 == 0) t.index("ix_" + name + "_score", {"score"});
    if (i % 3 == 0) t.unique_constraint("uq_" + name + "_name", {"name"});
    if (i % 5 == 0) t.check("ck_" + name + "_score", "score >= 0");
    if (i > 0 && i % 4 != 0) {
      const std::string parent = "t" + std::to_string((i * 37 + 11) % i);
      t.column("parent_id", migtest::Integer{},
               migtest::foreign_key(parent + ".id", migtest::on_delete::cascade), migtest::nullable,
               migtest::index);
    }
  }
  return md;
}

struct Figures {
  std::string backend;
  double create_all = 0;
  std::vector<double> reflect, warm, expected, compare;
  std::size_t tables = 0, columns = 0, indexes = 0, foreign_keys = 0, differences = 0;
};

Figures measure(const std::string& url, const std::string& dialect, const migtest::Metadata& md,
                int runs) {
  Figures f;
  f.backend = dialect;
  {
    auto c = migtest::connect(url);
    auto start = clock_type::now();
    migtest::create_all(*c, md);
    f.create_all = seconds_since(start);
  }
  for (int run = 0; run < runs; ++run) {
    // A new connection each run: SQLite then reads its schema afresh, as `migtest check` does.
    auto c = migtest::connect(url);
    auto start = clock_type::now();
    migtest::Schema actual = migtest::reflect(*c);
    f.reflect.push_back(seconds_since(start));
    // Again on the same connection, as each step of a verification does: the median of
    // 9 (the first few may still pay for plans and caches).
    std::vector<double> again;
    for (int k = 0; k < 9; ++k) {
      start = clock_type::now();
      migtest::reflect(*c);
      again.push_back(seconds_since(start));
    }
    f.warm.push_back(median(again));

    start = clock_type::now();
    migtest::Schema expected = migtest::expected_schema(md, *c);
    f.expected.push_back(seconds_since(start));

    start = clock_type::now();
    auto diffs = migtest::compare(actual, expected);
    f.compare.push_back(seconds_since(start));

    f.tables = actual.tables.size();
    f.columns = f.indexes = f.foreign_keys = 0;
    for (const auto& t : actual.tables) {
      f.columns += t.columns.size();
      f.indexes += t.indexes.size();
      f.foreign_keys += t.foreign_keys.size();
    }
    f.differences = diffs.size();
    if (!diffs.empty() && run == 0) {
      std::string text = migtest::render(diffs);
      if (text.size() > 4000) text = text.substr(0, 4000) + "...\n";
      std::fprintf(stderr, "%s: %zu differences where none were expected:\n%s", dialect.c_str(),
                   diffs.size(), text.c_str());
    }
    std::fprintf(stderr, "  %s run %d/%d: reflect %.3f s, compare %.3f s\n", dialect.c_str(),
                 run + 1, runs, f.reflect.back(), f.compare.back());
  }
  return f;
}

int usage(const std::string& why) {
  std::fprintf(stderr,
               "reflect_bench: %s\nusage: reflect_bench [--tables 1000] [--runs 5] "
               "[--backends sqlite,postgresql]\n",
               why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int tables = 1000, runs = 5;
  std::vector<std::string> backends{"sqlite", "postgresql"};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    try {
      if (a == "--help" || a == "-h") {
        std::printf(
            "usage: reflect_bench [--tables 1000] [--runs 5] [--backends sqlite,postgresql]\n");
        return 0;
      }
      if (i + 1 >= argc) return usage(a + " needs a value");
      if (a == "--tables")
        tables = std::stoi(argv[++i]);
      else if (a == "--runs")
        runs = std::stoi(argv[++i]);
      else if (a == "--backends") {
        backends.clear();
        std::stringstream s(argv[++i]);
        for (std::string b; std::getline(s, b, ',');) backends.push_back(b);
      } else {
        return usage("unknown argument " + a);
      }
    } catch (const std::exception& e) {
      return usage(a + ": " + e.what());
    }
  }
  if (tables < 1 || runs < 1) return usage("--tables and --runs must be >= 1");

  const char* pg = std::getenv("MIGTEST_POSTGRES_URL");
  const migtest::Metadata md = make_metadata(tables);
  std::vector<Figures> results;
  int status = 0;
  for (const auto& b : backends) {
    try {
      if (b == "sqlite") {
        fs::path dir =
            fs::temp_directory_path() / ("migtest-reflect-bench-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        try {
          results.push_back(
              measure("sqlite:///" + (dir / "bench.db").string(), "sqlite", md, runs));
        } catch (...) {
          fs::remove_all(dir);
          throw;
        }
        fs::remove_all(dir);
      } else if (b == "postgresql") {
        if (!pg) {
          std::fprintf(stderr,
                       "  postgresql skipped: MIGTEST_POSTGRES_URL is not set "
                       "(run under scripts/with-postgres)\n");
          continue;
        }
        const std::string name = "migtest_reflect_bench_" + std::to_string(::getpid());
        auto admin = migtest::connect(pg);
        admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin->execute("CREATE DATABASE " + name);
        try {
          results.push_back(measure(migtest::with_database(pg, name), "postgresql", md, runs));
        } catch (...) {
          admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
          throw;
        }
        admin->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } else {
        return usage("unknown backend " + b);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "reflect_bench: %s: %s\n", b.c_str(), e.what());
      status = 1;
    }
  }

  std::printf("\n%d-table schema, median of %d runs (seconds)\n", tables, runs);
  std::printf("%-11s %7s %8s %8s %6s %11s %9s %9s %15s %9s %11s\n", "backend", "tables", "columns",
              "indexes", "fks", "create_all", "reflect", "warm", "expected_schema", "compare",
              "differences");
  for (const auto& f : results) {
    std::printf("%-11s %7zu %8zu %8zu %6zu %11.3f %9.3f %9.4f %15.3f %9.3f %11zu\n",
                f.backend.c_str(), f.tables, f.columns, f.indexes, f.foreign_keys, f.create_all,
                median(f.reflect), median(f.warm), median(f.expected), median(f.compare),
                f.differences);
    if (f.differences) status = 1;
  }
  return status;
}
