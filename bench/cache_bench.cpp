// cache_bench: what recording a template's use (and pruning the cache once a day) adds to a
// test process: detail::note_template_used, which Template::acquire calls once per process.
//
//   cache_bench [--processes 200]
//   scripts/with-postgres build/bench/cache_bench      # PostgreSQL too
//
// Each figure is measured in `processes` fresh processes (this program run again with
// `child`), since the work is done once per process: the median and the 90th percentile of
// one call, in microseconds. Cases:
//   sqlite, lone template     the template's mtime touched; the stamp missing, so the
//                             cache directory is listed (it holds nothing else to prune)
//   sqlite, stamped           the template's mtime touched; the stamp read (pruned today)
//   postgresql, used today    the template's COMMENT read (its use already recorded today)
//   postgresql, first today   the COMMENT read and written, then the server pruned: what the
//                             first process of each day pays, once per template
#include <fmt/format.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "migtest/source.hpp"
#include "migtest/testdb.hpp"
#include "testdb/cache.hpp"
#include "testdb/server.hpp"
#include "testdb/template.hpp"

namespace fs = boost::filesystem;
using Clock = std::chrono::steady_clock;
using migtest::Backend;
using migtest::detail::Template;

namespace {

// In a fresh process: the call alone, its connection to the server made and used beforehand
// (a test process has it already, from acquiring the template).
int child(const std::vector<std::string>& args) {
  Template t;
  t.backend = migtest::parse_dialect(args.at(1));
  if (t.backend == Backend::sqlite) {
    t.file = args.at(2);
  } else {
    t.server_url = args.at(2);
    t.database = args.at(3);
    // Acquiring read the template's COMMENT already (build_postgres): the backend's catalog
    // caches are warm, as in a test process.
    migtest::detail::Server::get(t.server_url)->comment(t.database);
  }
  const auto t0 = Clock::now();
  migtest::detail::note_template_used(t);
  std::cout << std::chrono::duration<double, std::micro>(Clock::now() - t0).count() << "\n";
  return 0;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

double run_child(const std::string& self, const std::string& args) {
  FILE* p = ::popen((quote(self) + " child " + args).c_str(), "r");
  double us = -1;
  if (!p || std::fscanf(p, "%lf", &us) != 1) us = -1;
  if (p) ::pclose(p);
  if (us < 0) throw std::runtime_error("cache_bench child failed: " + args);
  return us;
}

void report(const std::string& name, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  fmt::print("{:<28} median {:8.1f} us   p90 {:8.1f} us   ({} processes)\n", name,
             us[us.size() / 2], us[us.size() * 9 / 10], us.size());
}

// `processes` children running `args`, `before` run ahead of each.
void measure(
    const std::string& self, const std::string& name, const std::string& args, int processes,
    const std::function<void()>& before = [] {}) {
  std::vector<double> us;
  for (int i = 0; i < processes; ++i) {
    before();
    us.push_back(run_child(self, args));
  }
  report(name, us);
}

migtest::detail::TemplateSpec blog(Backend backend, const std::string& dir) {
  migtest::detail::TemplateSpec spec;
  spec.backend = backend;
  spec.history = migtest::detail::TemplateHistory::of(
      migtest::load_history(MIGTEST_SOURCE_DIR "/examples/blog/migrations/versions"));
  spec.temp_directory = dir + "/tmp";
  spec.cache_directory = dir + "/cache";
  return spec;
}

void bench_sqlite(const std::string& self, const std::string& dir, int processes) {
  const auto t = Template::acquire(blog(Backend::sqlite, dir));
  const std::string stamp = dir + "/cache/" + migtest::detail::kPruneStamp;
  measure(self, "sqlite, lone template", "sqlite " + quote(t->file), processes);
  std::ofstream(dir + "/cache/migtest_verify_0123456789abcdef.toml") << "cached";
  std::ofstream(stamp) << "";
  measure(self, "sqlite, stamped", "sqlite " + quote(t->file), processes);
}

void bench_postgres(const std::string& self, const std::string& dir, int processes) {
  const std::string url = migtest::default_postgres_url();
  const auto t = Template::acquire(blog(Backend::postgresql, dir));
  const std::string args = "postgresql " + quote(url) + " " + t->database;
  measure(self, "postgresql, used today", args, processes);
  auto server = migtest::detail::Server::get(url);
  const auto yesterday = [&] {
    std::lock_guard<std::mutex> lock(server->mutex);
    auto comment = server->comment(t->database).value_or("");
    comment = comment.substr(0, comment.find("; used=")) + "; used=2000-01-01";
    server->set_comment(t->database, comment);
  };
  measure(self, "postgresql, first today", args, processes / 10 + 1, yesterday);
  std::lock_guard<std::mutex> lock(server->mutex);
  server->drop_database(t->database);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "child") return child(args);
    int processes = 200;
    if (args.size() == 2 && args[0] == "--processes") processes = std::stoi(args[1]);
    const std::string self = fs::canonical("/proc/self/exe").string();
    const std::string dir =
        (fs::temp_directory_path() / fs::unique_path("cache-bench-%%%%%%")).string();
    bench_sqlite(self, dir, processes);
    if (!migtest::default_postgres_url().empty()) bench_postgres(self, dir, processes);
    fs::remove_all(dir);
  } catch (const std::exception& e) {
    std::cerr << "cache_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
