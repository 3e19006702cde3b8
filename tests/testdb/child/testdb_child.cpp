// The helper process testdb's tests start (and kill): no test framework, built with the
// tests, never registered as a test.
//   migtest_testdb_child template BACKEND MIGRATIONS_DIR   acquire that history's template
//   migtest_testdb_child counting BACKEND                 acquire the counting template
// Directories and server come from the environment (MIGTEST_TMPDIR, MIGTEST_CACHE_DIR,
// MIGTEST_POSTGRES_URL), as for a fixture; MIGTEST_KILL_AT stops it at a fault point.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "migtest/operations.hpp"
#include "migtest/registry.hpp"
#include "migtest/testdb.hpp"
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
  spec.history = std::make_shared<const migtest::History>(std::move(history));
  auto t = migtest::detail::Template::acquire(spec);
  auto copy = t->clone();
  const auto result = copy.connect()->scalar(check).as_int();
  std::cout << "template " << (backend == migtest::Backend::sqlite ? t->file : t->database) << " "
            << t->key << "\n";
  return result == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "template") {
      return acquire(migtest::parse_backend(args[1]), migtest::load_history(args[2]),
                     "SELECT count(*) - 1 FROM migtest_version WHERE is_head = 1");
    }
    if (args.size() == 2 && args[0] == "counting") {
      return acquire(migtest::parse_backend(args[1]), migtest::load_history(counting_registry()),
                     "SELECT count(*) FROM counted");
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest_testdb_child: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: migtest_testdb_child template BACKEND DIR | counting BACKEND\n";
  return 2;
}
