// The diff corpus: pairs of schemas written in SQL, each with its verdict, run against the
// two places migtest compares schemas: `compare()` of two reflected databases (migtest diff,
// check --live, the matchers) and verify's round trip (a down that rebuilds the schema
// spelled the other way).
//
// tests/data/corpus/<backend>.corpus, one case per line:
//   same: <SQL A> --- <SQL B>                 A and B mean the same to the database
//   differs: <SQL A> --- <SQL B> --- <text>   a difference is found, and one of them
//                                             contains <text>
// '#' starts a comment line. Statements are separated by ';' and may not contain "--" comments
// (use /* */). The objects a case creates are among the tables t, u, w, the views v, v2, the
// sequence s, the type mood and the function f (PostgreSQL): the round trip's down removes
// exactly those before it builds B.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "backend/postgres/dialect.hpp"
#include "migtest/dialect.hpp"
#include "migtest/diff.hpp"
#include "migtest/source.hpp"
#include "migtest/verify.hpp"
#include "support/files.hpp"
#include "support/revisions.hpp"
#include "support/scratch.hpp"

namespace {

struct Case {
  std::string backend;
  int line = 0;
  bool same = true;
  std::string a, b, expect;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split(const std::string& text, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t next; (next = text.find(sep, at)) != std::string::npos; at = next + sep.size()) {
    out.push_back(trim(text.substr(at, next - at)));
  }
  out.push_back(trim(text.substr(at)));
  return out;
}

std::vector<Case> load(const std::string& backend) {
  std::ifstream in(std::string(MIGTEST_TEST_DATA) + "/corpus/" + backend + ".corpus");
  std::vector<Case> out;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    Case c;
    c.backend = backend;
    c.line = n;
    const auto colon = line.find(':');
    const std::string verdict = line.substr(0, colon);
    const auto parts = split(line.substr(colon + 1), " --- ");
    c.same = verdict == "same";
    if ((verdict != "same" && verdict != "differs") || parts.size() != (c.same ? 2u : 3u)) {
      ADD_FAILURE() << backend << ".corpus:" << n
                    << ": not 'same: A --- B' or 'differs: A --- B --- text'";
      continue;
    }
    c.a = parts[0];
    c.b = parts[1];
    if (!c.same) c.expect = parts[2];
    out.push_back(c);
  }
  return out;
}

std::vector<Case> all_cases() {
  std::vector<Case> out = load("sqlite");
  for (auto& c : load("postgresql")) out.push_back(std::move(c));
  return out;
}

// Everything a case may create, dropped in an order foreign keys and views allow. On
// PostgreSQL each name is dropped as what it is: DROP VIEW fails on a materialized view.
std::string wipe(const std::string& backend) {
  if (backend == "postgresql") {
    return "DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.relname, c.relkind "
           "FROM pg_catalog.pg_class c WHERE c.relnamespace = 'public'::regnamespace "
           "AND c.relname IN ('v2', 'v', 'w', 'u', 't', 's') LOOP "
           "EXECUTE format('DROP %s IF EXISTS %I CASCADE', CASE r.relkind WHEN 'v' THEN 'VIEW' "
           "WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, "
           "r.relname); END LOOP; END $$; "
           "DROP TYPE IF EXISTS mood; DROP FUNCTION IF EXISTS f CASCADE;";
  }
  return "DROP VIEW IF EXISTS v2; DROP VIEW IF EXISTS v; DROP TABLE IF EXISTS w; "
         "DROP TABLE IF EXISTS u; DROP TABLE IF EXISTS t;";
}

std::string describe(const std::vector<migtest::Difference>& diffs) {
  std::string out;
  for (const auto& d : diffs) out += "\n  " + d.describe("A", "B");
  return out;
}

class Corpus : public ::testing::TestWithParam<Case> {};

TEST_P(Corpus, CompareOfTwoDatabases) {
  const Case& c = GetParam();
  MIGTEST_SCRATCH(a, c.backend);
  MIGTEST_SCRATCH(b, c.backend);
  auto ca = a.connect_to(), cb = b.connect_to();
  ca->execute_script(c.a);
  cb->execute_script(c.b);
  migtest::CompareOptions options;  // as `migtest diff` compares two databases
  options.strict_names = true;
  const auto diffs = migtest::compare(migtest::reflect(*ca), migtest::reflect(*cb), options);
  if (c.same) {
    EXPECT_TRUE(diffs.empty()) << c.backend << ".corpus:" << c.line
                               << ": a false difference:" << describe(diffs);
  } else {
    EXPECT_THAT(describe(diffs), ::testing::HasSubstr(c.expect))
        << c.backend << ".corpus:" << c.line << ": the change was "
        << (diffs.empty() ? "missed" : "described otherwise");
  }
}

// A revision whose down rebuilds the schema as B: verify compares what the down left (B) with
// what was there before the upgrade (A).
TEST_P(Corpus, VerifyRoundTrip) {
  const Case& c = GetParam();
  MIGTEST_SCRATCH(db, c.backend);
  migtest::test::TempDir dir("migtest-corpus");
  dir.write("v/000000000001_a.sql", migtest::test::revision_headers("000000000001", "", "A") +
                                        "-- migrate:up\n" + c.a +
                                        ";\n-- migrate:down irreversible\n");
  dir.write("v/000000000002_flip.sql",
            migtest::test::revision_file(
                "000000000002", "000000000001", "CREATE TABLE corpus_marker (x INTEGER);",
                "DROP TABLE corpus_marker; " + wipe(c.backend) + " " + c.b + ";"));
  const auto history = migtest::load_history(dir / "v");
  migtest::VerifyOptions o;
  o.checks = {migtest::Check::round_trip};
  auto conn = db.connect_to();
  const migtest::VerifyReport report = migtest::verify(*conn, history, o);
  const migtest::RevisionResult* flip = report.find("000000000002");
  ASSERT_NE(flip, nullptr);
  const migtest::CheckResult* rt = flip->find(migtest::Check::round_trip);
  ASSERT_NE(rt, nullptr);
  std::string details = rt->summary;
  for (const auto& d : rt->details) details += "\n  " + d;
  if (c.same) {
    EXPECT_EQ(rt->status, migtest::Status::ok)
        << c.backend << ".corpus:" << c.line << ": verify saw" << details;
  } else {
    EXPECT_EQ(rt->status, migtest::Status::failed)
        << c.backend << ".corpus:" << c.line << ": verify missed it";
    EXPECT_THAT(details, ::testing::HasSubstr(c.expect)) << c.backend << ".corpus:" << c.line;
  }
}

// The fingerprints verify's reader trusts to take a table from an earlier read
// (postgres_table_fingerprints): in every pair of the PostgreSQL corpus, a table with the same
// fingerprint in A and B reflects the same in both, so none of the corpus' changes to a table
// can pass for a state read before (changes to views, types, sequences or functions are read
// whole: the catalog keys' "others"). And the same SQL in another database gives the same
// fingerprints, or a round trip's states would never be recognised.
class PostgresFingerprint : public ::testing::TestWithParam<Case> {};

std::map<std::string, std::string> fingerprints(migtest::Connection& c) {
  std::map<std::int64_t, std::string> names;
  std::vector<std::int64_t> oids;
  for (const auto& r :
       c.query("SELECT c.oid::pg_catalog.int8, c.relname::text FROM pg_catalog.pg_class c "
               "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')")
           .rows) {
    oids.push_back(r[0].as_int());
    names[r[0].as_int()] = r[1].as_text();
  }
  std::map<std::string, std::string> out;
  for (const auto& [oid, print] : migtest::detail::postgres_table_fingerprints(c, oids))
    out[names[oid]] = print;
  EXPECT_EQ(out.size(), oids.size()) << "a table without a fingerprint";
  return out;
}

std::map<std::string, migtest::Table> tables(migtest::Connection& c) {
  std::map<std::string, migtest::Table> out;
  for (auto& t : migtest::reflect(c).tables) out[t.name] = t;
  return out;
}

TEST_P(PostgresFingerprint, SameOnlyWhereTheTableReflectsTheSame) {
  const Case& c = GetParam();
  MIGTEST_SCRATCH(a, "postgresql");
  MIGTEST_SCRATCH(again, "postgresql");
  MIGTEST_SCRATCH(b, "postgresql");
  auto ca = a.connect_to(), cagain = again.connect_to(), cb = b.connect_to();
  ca->execute_script(c.a);
  cagain->execute_script(c.a);
  cb->execute_script(c.b);
  const auto pa = fingerprints(*ca), pb = fingerprints(*cb);
  EXPECT_EQ(fingerprints(*cagain), pa) << "postgresql.corpus:" << c.line << ": the same SQL";
  const auto ta = tables(*ca), tb = tables(*cb);
  if (!c.same && ta != tb) {
    EXPECT_NE(pa, pb) << "postgresql.corpus:" << c.line << ": a change to a table, not seen";
  }
  for (const auto& [name, print] : pa) {
    auto other = pb.find(name);
    if (other == pb.end() || other->second != print) continue;
    EXPECT_EQ(ta.at(name), tb.at(name))
        << "postgresql.corpus:" << c.line << ": table " << name
        << " has the same fingerprint in A and B but reflects otherwise";
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, PostgresFingerprint, ::testing::ValuesIn(load("postgresql")),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return "line" + std::to_string(p.param.line);
                         });

INSTANTIATE_TEST_SUITE_P(Pairs, Corpus, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return p.param.backend + "_line" + std::to_string(p.param.line);
                         });

}  // namespace
