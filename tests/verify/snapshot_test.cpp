// SchemaReader: the incremental reflection verify uses gives exactly what a full reflect()
// gives, at every step up and down a history.
#include "verify/snapshot.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "migtest/dialect.hpp"
#include "migtest/runner.hpp"
#include "migtest/verify.hpp"
#include "support/forwarding_connection.hpp"
#include "support/postgres.hpp"
#include "verify/scratch.hpp"

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

TEST(SchemaReader, PostgresIncrementalEqualsFullThroughRoundTrips) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  for (const char* dir : {"good/versions", "dbmate", "goose", "loses_default"}) {
    SCOPED_TRACE(dir);
    detail::ScratchDatabase db(url);
    Connection& c = db.connection();
    History h = load_history(std::string(MIGTEST_TEST_DATA) + "/verify/" + dir);
    Runner runner(c, h);
    detail::SchemaReader reader("migtest_version", true);
    EXPECT_EQ(reader.read(c), full(c));
    // Up, down, up again per revision: the states a round trip visits.
    for (const auto& s : h.scripts()) {
      runner.apply({s.revision.id, Direction::up});
      EXPECT_EQ(reader.read(c), full(c)) << "after upgrading " << s.revision.id;
      if (!s.revision.reversible || s.down.empty()) continue;
      runner.apply({s.revision.id, Direction::down});
      EXPECT_EQ(reader.read(c), full(c)) << "after downgrading " << s.revision.id;
      runner.apply({s.revision.id, Direction::up});
      EXPECT_EQ(reader.read(c), full(c)) << "after upgrading again " << s.revision.id;
    }
  }
}

// A step as the runner runs it for verify: the probe inside its transaction.
void probed_step(Connection& c, detail::SchemaReader& reader, const std::string& sql) {
  reader.step_starts();
  c.begin();
  c.execute(sql);
  reader.probe(c);
  c.commit();
  reader.step_ends(true);
}

// A read may return the last schema only after steps that wrote no catalog row and left the
// settings as they were; every read equals a full reflection. A step that may be skipped
// is not always (the server's statistics reports, at most one a second, make the next
// read read): at least one of them must be, and none of the others ever.
TEST(SchemaReader, PostgresSkipsReadsOnlyAfterStepsThatLeftTheCatalogAlone) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  detail::ScratchDatabase db(url);
  Connection& c = db.connection();
  c.execute("CREATE SCHEMA other");
  detail::SchemaReader reader("migtest_version", true);
  EXPECT_EQ(reader.read(c), full(c));
  struct Case {
    const char* sql;
    bool may_skip;
  };
  const Case steps[] = {
      {"CREATE TABLE a (id INTEGER PRIMARY KEY, n TEXT)", false},
      {"INSERT INTO a VALUES (1, 'x')", true},
      {"UPDATE a SET n = 'y'", true},
      {"COMMENT ON TABLE a IS 'c'", false},
      {"DELETE FROM a", true},
      {"SET search_path TO other, public", false},
      {"INSERT INTO a VALUES (2, 'z')", true},
      {"SET LOCAL search_path TO public", false},
      {"SELECT 1", false},  // after a SET LOCAL: the settings went back at COMMIT
      {"SET search_path TO public", false},
      {"ALTER TABLE a ADD COLUMN k INTEGER", false},
      {"SET TimeZone = 'Asia/Tokyo'", false},
      {"ANALYZE a", false},
      {"SELECT 1", true},
      {"SET track_counts = off", false},
      {"INSERT INTO a VALUES (3, 'w')", false},  // no counts: no telling
      {"SET track_counts = on", false},
      {"SELECT 1", true},
  };
  int skipped_by_the_may = 0;
  for (const Case& step : steps) {
    probed_step(c, reader, step.sql);
    const int before = reader.reads_skipped();
    EXPECT_EQ(reader.read(c), full(c)) << "after " << step.sql;
    const bool skipped = reader.reads_skipped() > before;
    if (step.may_skip) {
      skipped_by_the_may += skipped;
    } else {
      EXPECT_FALSE(skipped) << "read skipped after " << step.sql;
    }
  }
  EXPECT_GT(skipped_by_the_may, 0);

  // A failed step, and one without a probe (outside a transaction), make the next read read.
  reader.step_starts();
  c.begin();
  c.execute("CREATE TABLE gone (id INTEGER)");
  c.rollback();
  reader.step_ends(false);
  int before = reader.reads_skipped();
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.reads_skipped(), before);
  reader.step_starts();
  c.execute("CREATE TABLE outside (id INTEGER)");
  reader.step_ends(true);
  before = reader.reads_skipped();
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.reads_skipped(), before);
}

// A read that fails vouches for nothing: the next read reads, though no step changed the
// schema since (SQLite: the schema version; PostgreSQL: a clean probed step in between).
TEST(SchemaReader, AFailedReadLeavesTheNextOneToRead) {
  for (const std::string backend : {"sqlite", "postgresql"}) {
    SCOPED_TRACE(backend);
    std::unique_ptr<detail::ScratchDatabase> db;
    if (backend == "postgresql") {
      MIGTEST_REQUIRE_POSTGRES_URL(url);
      db = std::make_unique<detail::ScratchDatabase>(url);
    } else {
      db = std::make_unique<detail::ScratchDatabase>();
    }
    Connection& c = db->connection();
    test::ForwardingConnection failing(c);
    detail::SchemaReader reader("migtest_version", true);
    EXPECT_EQ(reader.read(failing), full(c));
    probed_step(failing, reader, "CREATE TABLE a (id INTEGER PRIMARY KEY)");
    failing.before_query = [](std::string_view sql) {
      if (sql.find("sqlite_master") != std::string_view::npos ||
          sql.find("pg_attribute") != std::string_view::npos)
        throw error("the catalog cannot be read now");
    };
    EXPECT_THROW(reader.read(failing), error);
    failing.before_query = nullptr;
    probed_step(failing, reader, "SELECT 1");
    EXPECT_EQ(reader.read(failing), full(c));
  }
}

// SQLite's schema version: a step of data alone is never followed by a read of the catalog,
// a step that changed the schema always is.
TEST(SchemaReader, SqliteSkipsReadsWhileTheSchemaVersionStands) {
  detail::ScratchDatabase db;
  Connection& c = db.connection();
  detail::SchemaReader reader("migtest_version", true);
  EXPECT_EQ(reader.read(c), full(c));
  const std::pair<const char*, bool> steps[] = {
      {"CREATE TABLE a (id INTEGER PRIMARY KEY, n TEXT)", false},
      {"INSERT INTO a VALUES (1, 'x')", true},
      {"CREATE INDEX ix_a ON a (n)", false},
      {"UPDATE a SET n = 'y'", true},
      {"DROP INDEX ix_a", false},
      {"DELETE FROM a", true},
  };
  for (const auto& [sql, skips] : steps) {
    c.execute(sql);
    const int before = reader.reads_skipped();
    EXPECT_EQ(reader.read(c), full(c)) << "after " << sql;
    EXPECT_EQ(reader.reads_skipped() > before, skips) << "after " << sql;
  }
}

// Each change, then the reader against a full reflection: what a table's own catalog rows
// do not show (a referred table or column renamed, a type renamed) must still be seen.
TEST(SchemaReader, PostgresSeesChangesOutsideATablesOwnRows) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  detail::ScratchDatabase db(url);
  Connection& c = db.connection();
  detail::SchemaReader reader("migtest_version", true);
  const char* steps[] = {
      "CREATE TABLE a (id INTEGER PRIMARY KEY, k INTEGER DEFAULT 0)",
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id))",
      "CREATE TABLE lone (id INTEGER PRIMARY KEY)",
      "ALTER TABLE a RENAME COLUMN id TO aid",
      "ALTER TABLE a RENAME TO a2",
      "ALTER TABLE a2 ALTER COLUMN k SET DEFAULT 1",
      "ALTER TABLE a2 ALTER COLUMN k SET DEFAULT 0",
      "CREATE INDEX ix_lone ON lone (id)",
      "ALTER INDEX ix_lone RENAME TO ix_lone2",
      "DROP INDEX ix_lone2",
      "CREATE TYPE mood AS ENUM ('sad', 'ok')",
      "ALTER TABLE lone ADD COLUMN m mood",
      "ALTER TYPE mood RENAME TO feeling",
      "ALTER TYPE feeling ADD VALUE 'happy'",
      "CREATE TABLE s (id SERIAL PRIMARY KEY)",
      "ALTER SEQUENCE s_id_seq RENAME TO s_seq",
      "ALTER TABLE s RENAME COLUMN id TO sid",
      "CREATE VIEW v AS SELECT aid FROM a2",
      "ALTER TABLE a2 RENAME COLUMN aid TO id2",
      "ALTER TABLE b DROP CONSTRAINT b_a_id_fkey",
      "COMMENT ON TABLE lone IS 'not part of the schema'",
      "DROP VIEW v",
      "DROP TABLE s",
      "DROP TABLE b",
      // No views or sequences from here on: the tables-only path.
      "CREATE TABLE holder (id INTEGER PRIMARY KEY, row_of_a a2)",
      "ALTER TABLE a2 RENAME TO a3",
      "CREATE SCHEMA other",
      "CREATE TABLE other.t (id INTEGER PRIMARY KEY)",
      "CREATE TABLE points_out (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES other.t (id))",
      "ALTER TABLE other.t RENAME TO t2",
      "ALTER TABLE other.t2 RENAME COLUMN id TO tid",
  };
  EXPECT_EQ(reader.read(c), full(c));
  for (const char* step : steps) {
    c.execute(step);
    EXPECT_EQ(reader.read(c), full(c)) << "after " << step;
  }
}

TEST(SchemaReader, PostgresReflectsOnlyTheTablesThatChanged) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  detail::ScratchDatabase db(url);
  Connection& c = db.connection();
  c.execute_script(
      "CREATE TABLE a (id INTEGER PRIMARY KEY);"
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a);"
      "CREATE TABLE c (id INTEGER PRIMARY KEY);");
  detail::SchemaReader reader("migtest_version", true);
  EXPECT_EQ(reader.read(c), full(c));
  const long before = reader.tables_reflected();
  EXPECT_EQ(before, 3);
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), before) << "nothing changed";
  c.execute("CREATE INDEX ix_c ON c (id)");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), before + 1) << "only c";
  c.execute("ALTER TABLE a RENAME COLUMN id TO aid");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), before + 3) << "a, and b whose foreign key names it";
}

// A round trip brings a table back to a state read before: the reader takes it from that
// read (by its fingerprint) instead of reflecting it again, and still gives what a full
// reflection gives. A state not seen before is reflected.
TEST(SchemaReader, PostgresTakesATableBackByItsFingerprint) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  detail::ScratchDatabase db(url);
  Connection& c = db.connection();
  c.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT)");
  detail::SchemaReader reader("migtest_version", true);
  EXPECT_EQ(reader.read(c), full(c));
  const char* up = "ALTER TABLE a ADD COLUMN n INTEGER NOT NULL DEFAULT 0";
  const char* down = "ALTER TABLE a DROP COLUMN n";
  c.execute(up);
  EXPECT_EQ(reader.read(c), full(c));
  c.execute(down);
  EXPECT_EQ(reader.read(c), full(c));
  const long seen = reader.tables_reflected();
  c.execute(up);
  EXPECT_EQ(reader.read(c), full(c));
  c.execute(down);
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), seen) << "both states were read before";
  c.execute("ALTER TABLE a ADD COLUMN n INTEGER NOT NULL DEFAULT 1");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), seen + 1) << "another default: a new state";
  c.execute("COMMENT ON COLUMN a.n IS 'counter'");
  EXPECT_EQ(reader.read(c), full(c));
  EXPECT_EQ(reader.tables_reflected(), seen + 2) << "a comment: a new state";
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
  c.execute_script(
      "DROP TABLE b; DROP TABLE a; CREATE TABLE a (id INTEGER, k INTEGER, PRIMARY KEY (k));"
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
