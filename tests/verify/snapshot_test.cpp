// SchemaReader: the incremental reflection verify uses gives exactly what a full reflect()
// gives, at every step up and down a history.
#include <gtest/gtest.h>

#include "migtest/dialect.hpp"
#include "migtest/runner.hpp"
#include "migtest/verify.hpp"
#include "support/postgres.hpp"
#include "verify/scratch.hpp"
#include "verify/snapshot.hpp"

namespace migtest {
namespace {

Schema full(Connection& c) {
  Schema s = reflect(c);
  s.sort();
  return s;
}

TEST(SchemaReader, IncrementalEqualsFullAtEveryStep) {
  for (const char* dir : {"good/versions", "forgets_index", "loses_default", "diesel", "goose"}) {
    SCOPED_TRACE(dir);
    detail::ScratchDatabase db;
    Connection& c = db.connection();
    History h = load_history(std::string(MIGTEST_TEST_DATA) + "/verify/" + dir);
    Runner runner(c, h);
    detail::SchemaReader reader("migtest_version", true);
    EXPECT_EQ(reader.read(c), full(c));
    for (const auto& s : h.scripts()) {
      runner.apply({s.revision.id, Direction::up});
      EXPECT_EQ(reader.read(c), full(c)) << "after upgrading " << s.revision.id;
    }
    for (auto it = h.scripts().rbegin(); it != h.scripts().rend(); ++it) {
      runner.apply({it->revision.id, Direction::down});
      EXPECT_EQ(reader.read(c), full(c)) << "after downgrading " << it->revision.id;
    }
    EXPECT_GT(reader.reflections(), 0);
  }
}

TEST(SchemaReader, PostgresFingerprintRecognisesOnlyEqualStates) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  for (const char* dir : {"good/versions", "dbmate", "goose"}) {
    SCOPED_TRACE(dir);
    detail::ScratchDatabase db(url);
    Connection& c = db.connection();
    History h = load_history(std::string(MIGTEST_TEST_DATA) + "/verify/" + dir);
    Runner runner(c, h);
    detail::SchemaReader reader("migtest_version", true);
    EXPECT_EQ(reader.read(c), full(c));
    // Up, down, up again per revision: the states a round trip visits, some remembered.
    for (const auto& s : h.scripts()) {
      runner.apply({s.revision.id, Direction::up});
      EXPECT_EQ(reader.read(c), full(c)) << "after upgrading " << s.revision.id;
      runner.apply({s.revision.id, Direction::down});
      EXPECT_EQ(reader.read(c), full(c)) << "after downgrading " << s.revision.id;
      runner.apply({s.revision.id, Direction::up});
      EXPECT_EQ(reader.read(c), full(c)) << "after upgrading again " << s.revision.id;
    }
    // One reflection per new state (the empty database before and after the runner made
    // its version table counts twice): the round trip's states are recognised.
    EXPECT_LE(reader.reflections(), static_cast<int>(h.scripts().size() + 2));
  }
  // A default changed in place (no object dropped or created) is a new state.
  detail::ScratchDatabase db(url);
  Connection& c = db.connection();
  detail::SchemaReader reader("migtest_version", true);
  c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER DEFAULT 0)");
  EXPECT_EQ(reader.read(c), full(c));
  c.execute("ALTER TABLE t ALTER COLUMN k SET DEFAULT 1");
  EXPECT_EQ(reader.read(c), full(c));
  c.execute("ALTER TABLE t ALTER COLUMN k SET DEFAULT 0");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.reflections(), 2) << "the third state is the first one again";
}

TEST(SchemaReader, ReflectsOnlyTheTablesThatChanged) {
  detail::ScratchDatabase db;
  Connection& c = db.connection();
  c.execute_script(
      "CREATE TABLE a (id INTEGER PRIMARY KEY);"
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a);"
      "CREATE TABLE c (id INTEGER PRIMARY KEY);"
      "CREATE VIEW v AS SELECT id FROM c;");
  detail::SchemaReader reader("migtest_version", true);
  EXPECT_EQ(reader.read(c), full(c));
  long before = reader.tables_reflected();
  EXPECT_EQ(before, 3);
  c.execute("CREATE INDEX ix_c ON c (id)");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), before + 1) << "only c";
  // b names a: when a's primary key changes, b's foreign key is reflected again.
  c.execute_script("DROP TABLE b; DROP TABLE a; CREATE TABLE a (id INTEGER, k INTEGER, PRIMARY KEY (k));"
                   "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a);");
  Schema s = reader.read(c);
  EXPECT_EQ(s, full(c));
  ASSERT_NE(s.find_table("b"), nullptr);
  EXPECT_EQ(s.find_table("b")->foreign_keys.at(0).referred_columns, std::vector<std::string>{"k"});
  c.execute("DROP VIEW v");
  EXPECT_EQ(reader.read(c), full(c));
}

}  // namespace
}  // namespace migtest
