// The synthetic history generator of bench/: deterministic, loadable by migtest, and
// every revision's down section the exact inverse of its up section on both backends.
#include "../../bench/generate_history.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <map>
#include <string>
#include <vector>

#include "migtest/runner.hpp"
#include "migtest/source.hpp"
#include "support/files.hpp"
#include "support/json.hpp"
#include "support/process.hpp"
#include "support/scratch.hpp"

namespace {

namespace bench = migtest::bench;

// What a round trip must restore: the stored schema (SQLite: the CREATE text itself;
// PostgreSQL: the catalog) and every row but the CURRENT_TIMESTAMP column.
std::vector<std::string> snapshot(migtest::Connection& c) {
  std::vector<std::string> out;
  std::vector<std::string> tables;
  auto add_rows = [&](const migtest::Result& r) {
    for (const auto& row : r.rows) {
      std::string line;
      for (const auto& v : row.values()) line += v.to_string() + " | ";
      out.push_back(line);
    }
  };
  if (c.dialect() == migtest::Dialect::sqlite) {
    auto schema = c.query(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema "
        "WHERE tbl_name NOT LIKE 'migtest_%' ORDER BY name");
    add_rows(schema);
    for (const auto& row : schema.rows)
      if (row[0].as_text() == "table") tables.push_back(row[1].as_text());
  } else {
    // Column positions by rank, not attnum: a dropped and re-added column gets a new
    // attnum, yet the same place among the live columns.
    add_rows(
        c.query("SELECT cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                "pg_get_expr(d.adbin, d.adrelid), "
                "rank() OVER (PARTITION BY cl.relname ORDER BY a.attnum) "
                "FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid "
                "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE n.nspname = 'public' AND cl.relkind = 'r' AND a.attnum > 0 "
                "AND NOT a.attisdropped AND cl.relname NOT LIKE 'migtest_%' "
                "ORDER BY cl.relname, a.attnum"));
    add_rows(
        c.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename NOT LIKE 'migtest_%' ORDER BY indexname"));
    add_rows(c.query(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE connamespace = 'public'::regnamespace "
        "AND conrelid::regclass::text NOT LIKE 'migtest_%' ORDER BY 1, 2"));
    for (const auto& row : c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename NOT LIKE 'migtest_%' ORDER BY 1")
                               .rows)
      tables.push_back(row[0].as_text());
  }
  for (const auto& t : tables) {
    auto all = c.query("SELECT * FROM " + t + " ORDER BY id");
    out.push_back("rows of " + t);
    for (const auto& row : all.rows) {
      std::string line;
      for (std::size_t i = 0; i < all.columns.size(); ++i)
        if (all.columns[i] != "created_at") line += row[i].to_string() + " | ";
      out.push_back(line);
    }
  }
  return out;
}

// "" when equal, else the first line that differs on each side (gtest would elide it).
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    std::string x = i < a.size() ? a[i] : "<none>", y = i < b.size() ? b[i] : "<none>";
    if (x != y) return "line " + std::to_string(i) + ":\n  " + x + "\nvs\n  " + y;
  }
  return "";
}

TEST(GenerateHistory, SameSeedSameBytesOtherSeedOtherHistory) {
  auto a = bench::generate_revisions(120, 15, 7);
  auto b = bench::generate_revisions(120, 15, 7);
  auto c = bench::generate_revisions(120, 15, 8);
  ASSERT_EQ(a.size(), 120u);
  EXPECT_EQ(bench::upgrade_script(a), bench::upgrade_script(b));
  EXPECT_EQ(bench::downgrade_script(a), bench::downgrade_script(b));
  EXPECT_NE(bench::upgrade_script(a), bench::upgrade_script(c));
  EXPECT_EQ(a.front().down_revision, "");
  for (std::size_t i = 1; i < a.size(); ++i) EXPECT_EQ(a[i].down_revision, a[i - 1].id);
}

TEST(GenerateHistory, ReachesTheTableCountAndMixesKindsOfChange) {
  auto h = bench::generate_revisions(300, 40, 1);
  std::string up = bench::upgrade_script(h, false);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = up.find(needle); p != std::string::npos; p = up.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("CREATE TABLE "), 40u);
  EXPECT_GT(count(" REFERENCES "), 5u);
  EXPECT_GT(count(" ADD COLUMN "), 30u);
  EXPECT_GT(count("CREATE INDEX "), 20u);
  EXPECT_GT(count("INSERT INTO "), 20u);
  EXPECT_GT(count("UPDATE "), 20u);
  EXPECT_GT(count(" RENAME COLUMN "), 5u);
  EXPECT_THROW(bench::generate_revisions(0), std::invalid_argument);
}

TEST(GenerateHistory, FewerRevisionsThanTablesStillCreatesEveryTable) {
  auto h = bench::generate_revisions(3, 40, 1);
  std::string up = bench::upgrade_script(h, false);
  std::size_t n = 0;
  for (auto p = up.find("CREATE TABLE "); p != std::string::npos;
       p = up.find("CREATE TABLE ", p + 1))
    ++n;
  EXPECT_EQ(n, 40u);
  EXPECT_EQ(h[0].message, "Create 20 tables");
  EXPECT_EQ(h[1].message, "Create 20 tables");
}

class GeneratedHistoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  const migtest::test::TempDir tmp_{"migtest-gen"};
  const std::string dir_ = tmp_ / "versions";  // not there yet: generate_history makes it
};

// Up, down, up again for every revision, the full snapshot compared after each step:
// what verify will do with these histories, done here with plain scripts.
TEST_P(GeneratedHistoryTest, EveryDownSectionUndoesItsUpSectionExactly) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  auto history = bench::generate_revisions(90, 12, 3);
  for (const auto& r : history) {
    auto before = snapshot(*c);
    c->execute_script(r.up_sql);
    auto after = snapshot(*c);
    ASSERT_NE(after, before) << r.id << " " << r.message << " changed nothing";
    c->execute_script(r.down_sql);
    ASSERT_EQ(first_difference(snapshot(*c), before), "")
        << r.id << " " << r.message << ": down is not the inverse";
    c->execute_script(r.up_sql);
    ASSERT_EQ(first_difference(snapshot(*c), after), "")
        << r.id << " " << r.message << ": second up differs";
  }
}

// The files load as a migtest history, the runner takes them to head and back to base,
// and head by the runner equals the plain script run straight through.
TEST_P(GeneratedHistoryTest, LoadsAndUpgradesWithTheRunnerLikeThePlainScript) {
  MIGTEST_SCRATCH(by_runner, GetParam());
  MIGTEST_SCRATCH(by_script, GetParam());
  const std::string& dir = dir_;
  bench::generate_history(dir, 60, 10, 5);
  auto generated = bench::generate_revisions(60, 10, 5);

  auto history = migtest::load_history(dir);
  ASSERT_EQ(history.scripts().size(), 60u);
  for (std::size_t i = 0; i < generated.size(); ++i)
    EXPECT_EQ(history.scripts()[i].revision.id, generated[i].id);

  auto c = by_runner.connect_to();
  migtest::Runner runner(*c, history);
  EXPECT_EQ(runner.upgrade("head").size(), 60u);
  EXPECT_THAT(runner.current(), ::testing::ElementsAre(generated.back().id));

  auto s = by_script.connect_to();
  s->execute_script(
      bench::upgrade_script(generated, GetParam() == "sqlite", GetParam() == "sqlite"));
  EXPECT_EQ(first_difference(snapshot(*c), snapshot(*s)), "");

  runner.downgrade("base");
  EXPECT_TRUE(runner.current().empty());
  s->execute_script(bench::downgrade_script(generated, false));
  EXPECT_EQ(first_difference(snapshot(*c), snapshot(*s)), "");
  EXPECT_TRUE(snapshot(*s).empty());
}

// Regenerating into a used directory leaves only the new history there.
TEST_F(GeneratedHistoryTest, RewritingADirectoryRemovesTheOldRevisionFiles) {
  const std::string& dir = dir_;
  bench::generate_history(dir, 30, 5, 1);
  bench::generate_history(dir, 10, 5, 2);
  int files = 0;
  for (const auto& e : boost::filesystem::directory_iterator(dir_)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 10);
  EXPECT_EQ(migtest::load_history(dir).scripts().size(), 10u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, GeneratedHistoryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// `migtest lint` (the real binary) over the 200-revision history of
// `migtest-generate DIR --revisions 200` finds exactly what docs/reference/lint.md explains
// ("What it finds in this repository"): every finding right, none an error.
TEST_F(GeneratedHistoryTest, LintFindsWhatTheLintReferenceExplains) {
  bench::generate_history(dir_, 200);
  const std::map<std::string, std::map<std::string, int>> explained = {
      {"sqlite", {{"MT105", 1}, {"MT402", 27}}},
      {"postgresql", {{"MT105", 1}, {"MT301", 39}, {"MT402", 27}}}};
  for (const auto& [dialect, expected] : explained) {
    auto r = migtest::test::run_migtest(
        "--migrations versions lint --format json --dialect " + dialect, tmp_.path());
    ASSERT_EQ(r.code, 0) << r.err;
    const auto report = migtest::test::parse_json(r.out);
    EXPECT_EQ(report["revisions"].array().size(), 200u);
    std::map<std::string, int> found;
    for (const auto& f : report["findings"].array()) {
      EXPECT_EQ(f["severity"].str(), "warning") << f["message"].str();
      ++found[f["code"].str()];
    }
    EXPECT_EQ(found, expected) << dialect;
  }
}

}  // namespace
