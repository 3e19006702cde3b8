// The helper process testdb's tests start (and kill): no test framework, built with the
// tests, never registered as a test.
//   migtest_testdb_child template BACKEND MIGRATIONS_DIR   acquire that history's template
//   migtest_testdb_child counting BACKEND                 acquire the counting template
//   migtest_testdb_child hold DIR                         a PostgreSQL fresh-mode test of DIR's
//       history: runs MIGTEST_TEST_SQL, writes its database's name to MIGTEST_TEST_READY, waits
//       for the file MIGTEST_TEST_GO (or to be killed), ends the test, prints "ended <name>"
//   migtest_testdb_child forget URL STATEMENT             send_and_forget(URL, STATEMENT), exit
// Directories and server come from the environment (MIGTEST_TMPDIR, MIGTEST_CACHE_DIR,
// MIGTEST_POSTGRES_URL), as for a fixture; MIGTEST_KILL_AT stops it at a fault point.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "migtest/operations.hpp"
#include "migtest/registry.hpp"
#include "migtest/testdb.hpp"
#include "testdb/forget.hpp"
#include "testdb/template.hpp"

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

// One C++ revision that counts its runs in the file MIGTEST_TEST_COUNT_FILE; its message
// carries MIGTEST_TEST_NONCE so each test gets a history (and a template) of its own.
const migtest::Registry& counting_registry() {
  static const migtest::Registry r = [] {
    migtest::Registry reg;
    reg.add(
        "c0ffee000001", "", "counted " + env_or("MIGTEST_TEST_NONCE", "0"),
        [](migtest::Operations& op) {
          std::ofstream(env_or("MIGTEST_TEST_COUNT_FILE", "/dev/null"), std::ios::app) << "built\n";
          op.execute("CREATE TABLE counted (x integer)");
        },
        [](migtest::Operations& op) { op.execute("DROP TABLE counted"); });
    return reg;
  }();
  return r;
}

// Acquires the template of `history` and checks a copy of it (`check` must give 0); prints
// "template <database or file> <key>".
int acquire(migtest::Backend backend, migtest::History history, const std::string& check) {
  migtest::detail::TemplateSpec spec;
  spec.backend = backend;
  spec.history = migtest::detail::TemplateHistory::of(std::move(history));
  auto t = migtest::detail::Template::acquire(spec);
  auto copy = t->clone();
  const auto result = copy.connect()->scalar(check).as_int();
  std::cout << "template " << (backend == migtest::Backend::sqlite ? t->file : t->database) << " "
            << t->key << "\n";
  return result == 0 ? 0 : 1;
}

bool exists(const std::string& path) { return !path.empty() && ::access(path.c_str(), F_OK) == 0; }

// One fresh-mode test, held at a known point (its database written to, its name published)
// until the parent says go or kills it.
int hold(const std::string& directory) {
  migtest::TestDatabases dbs(migtest::TestConfig()
                                 .migrations(directory)
                                 .backend(migtest::Backend::postgresql)
                                 .mode(migtest::Mode::fresh));
  migtest::TestScope t = dbs.begin_test("held");
  const std::string sql = env_or("MIGTEST_TEST_SQL", "");
  if (!sql.empty()) t.session().script(sql);
  const std::string name = t.database().name();
  const std::string ready = env_or("MIGTEST_TEST_READY", "");
  { std::ofstream(ready + ".tmp") << name << "\n"; }
  std::rename((ready + ".tmp").c_str(), ready.c_str());  // whole or not at all
  const std::string go = env_or("MIGTEST_TEST_GO", "");
  while (!exists(go)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  t.end();
  dbs.release();
  std::cout << "ended " << name << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "template") {
      return acquire(migtest::parse_dialect(args[1]), migtest::load_history(args[2]),
                     "SELECT count(*) - 1 FROM migtest_version WHERE is_head = 1");
    }
    if (args.size() == 2 && args[0] == "hold") return hold(args[1]);
    if (args.size() == 3 && args[0] == "forget") {
      return migtest::detail::send_and_forget(args[1], args[2]) ? 0 : 1;
    }
    if (args.size() == 2 && args[0] == "counting") {
      return acquire(migtest::parse_dialect(args[1]), migtest::load_history(counting_registry()),
                     "SELECT count(*) FROM counted");
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest_testdb_child: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: migtest_testdb_child template BACKEND DIR | counting BACKEND | hold DIR | "
               "forget URL STATEMENT\n";
  return 2;
}
