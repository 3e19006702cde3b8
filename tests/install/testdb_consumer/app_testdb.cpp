// Links migtest::testdb alone: a temporary SQLite database is made, used and deleted.
#include <cstdio>
#include <fstream>
#include <migtest/testdb/temporary.hpp>
#include <string>

int main() {
  std::string path;
  {
    migtest::TemporaryDatabase db = migtest::TemporaryDatabase::sqlite();
    path = db.name();
    auto c = db.connect();
    c->execute("CREATE TABLE t (x INTEGER)");
    c->execute("INSERT INTO t VALUES ($1)", {41});
    const long long answer = c->scalar("SELECT x + 1 FROM t").as_int();
    if (answer != 42) {
      std::fprintf(stderr, "SELECT x + 1 gave %lld, not 42\n", answer);
      return 1;
    }
  }
  if (std::ifstream(path)) {
    std::fprintf(stderr, "the temporary database %s outlived its object\n", path.c_str());
    return 1;
  }
  std::puts("testdb consumer: ok");
  return 0;
}
