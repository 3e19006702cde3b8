// --format json of history, heads, current, show, verify, check, diff and schema through the
// real binary: each output is parsed back (strictly) and its shape checked against
// docs/reference/json.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "support/files.hpp"
#include "support/json.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/revisions.hpp"
#include "support/scratch.hpp"

using migtest::test::Json;
using migtest::test::parse_json;
using migtest::test::revision_file;
using migtest::test::run_migtest;
using migtest::test::shell_quote;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

class JsonOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir());
    write(
        "a1_users.sql",
        revision_file("a1", "", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
                      "DROP TABLE users;"));
    write("b2_karma.sql",
          revision_file("b2", "a1", "ALTER TABLE users ADD COLUMN karma INTEGER DEFAULT 0;",
                        "ALTER TABLE users DROP COLUMN karma;", "-- branch_labels: karma\n"));
  }
  std::string dir() const { return tmp_ / "versions"; }
  std::string sqlite_url(const std::string& name) const { return "sqlite:///" + (tmp_ / name); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir() + "/" + name) << text;
  }
  // Runs a command that must print one JSON document on stdout, and parses it.
  Json json(const std::string& args, int expected_code = 0) const {
    auto r = run_migtest("--migrations " + shell_quote(dir()) + " " + args, tmp_.path());
    EXPECT_EQ(r.code, expected_code) << r.err;
    return parse_json(r.out);
  }

  const migtest::test::TempDir tmp_{"migtest-json"};
};

TEST_F(JsonOutputTest, HistoryIsNewestFirstWithEachRevisionsFields) {
  Json h = json("history --format json");
  const auto& revs = h["revisions"].array();
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(revs[0]["id"].str(), "b2");
  EXPECT_EQ(revs[0]["parents"][0].str(), "a1");
  EXPECT_EQ(revs[0]["branch_labels"][0].str(), "karma");
  EXPECT_TRUE(revs[0]["head"].boolean());
  EXPECT_EQ(revs[0]["message"].str(), "rb2");
  EXPECT_EQ(revs[0]["file"].str(), dir() + "/b2_karma.sql");
  EXPECT_TRUE(revs[0]["reversible"].boolean());
  EXPECT_FALSE(revs[1]["head"].boolean());
  EXPECT_EQ(revs[1]["children"][0].str(), "b2");
  EXPECT_TRUE(revs[1]["parents"].array().empty());
  EXPECT_TRUE(revs[1]["created"].is_null());
  EXPECT_EQ(revs[0].size(), 13u) << "a member was added or lost: update docs/reference/json.md";

  Json range = json("history -r a1:a1 --format json");
  ASSERT_EQ(range["revisions"].size(), 1u);
  EXPECT_EQ(range["revisions"][0]["id"].str(), "a1");
}

TEST_F(JsonOutputTest, HistoryIndicateCurrentAddsCurrent) {
  std::string url = "--url " + sqlite_url("h.db") + " ";
  ASSERT_EQ(
      run_migtest("--migrations " + shell_quote(dir()) + " " + url + "upgrade a1", tmp_.path())
          .code,
      0);
  Json h = json(url + "history -i --format json");
  EXPECT_FALSE(h["revisions"][0]["current"].boolean());
  EXPECT_TRUE(h["revisions"][1]["current"].boolean());
}

TEST_F(JsonOutputTest, HeadsListsTheHeads) {
  Json h = json("heads --format json");
  ASSERT_EQ(h["heads"].size(), 1u);
  EXPECT_EQ(h["heads"][0]["id"].str(), "b2");
}

TEST_F(JsonOutputTest, ShowHasTheSqlOfEachDirection) {
  Json s = json("show karma@head --format json");
  EXPECT_EQ(s["id"].str(), "b2");
  EXPECT_EQ(s["checksum"].str().size(), 64u);
  ASSERT_EQ(s["up"].size(), 1u);
  EXPECT_TRUE(s["up"][0]["dialect"].is_null());
  EXPECT_THAT(s["up"][0]["sql"].str(), HasSubstr("ADD COLUMN karma"));
  EXPECT_THAT(s["down"][0]["sql"].str(), HasSubstr("DROP COLUMN karma"));
}

TEST_F(JsonOutputTest, CurrentListsHeadsAndAppliedRows) {
  std::string url = "--url " + sqlite_url("c.db") + " ";
  Json none = json(url + "current --format json");  // the file does not exist: base
  EXPECT_TRUE(none["heads"].array().empty());
  EXPECT_TRUE(none["applied"].array().empty());
  ASSERT_EQ(
      run_migtest("--migrations " + shell_quote(dir()) + " " + url + "upgrade", tmp_.path()).code,
      0);
  Json c = json(url + "current --format json");
  ASSERT_EQ(c["heads"].size(), 1u);
  EXPECT_EQ(c["heads"][0].str(), "b2");
  ASSERT_EQ(c["applied"].size(), 2u);
  EXPECT_EQ(c["applied"][0]["revision"].str(), "a1");
  EXPECT_FALSE(c["applied"][0]["head"].boolean());
  EXPECT_TRUE(c["applied"][1]["head"].boolean());
  EXPECT_EQ(c["applied"][1]["checksum"].str().size(), 64u);
  EXPECT_TRUE(c["applied"][1]["dirty"].is_null());
  EXPECT_THAT(c["applied"][1]["applied_at"].str(), ::testing::MatchesRegex("20[0-9-]+T[0-9:]+Z"));
}

TEST_F(JsonOutputTest, VerifyPrintsOneDocumentWithEveryCheck) {
  Json ok = json("verify --format json");
  EXPECT_TRUE(ok["ok"].boolean());
  EXPECT_EQ(ok["dialect"].str(), "sqlite");
  ASSERT_EQ(ok["revisions"].size(), 2u);
  EXPECT_EQ(ok["revisions"][0]["id"].str(), "a1");
  EXPECT_EQ(ok["revisions"][0]["status"].str(), "ok");
  EXPECT_GE(ok["revisions"][0]["up_ms"].number(), 0);
  bool round_trip = false;
  for (const auto& c : ok["revisions"][1]["checks"].array())
    round_trip |= c["check"].str() == "round_trip";
  EXPECT_TRUE(round_trip);
  EXPECT_FALSE(ok["history"].array().empty());

  // A down that leaves a column behind fails, with the difference as data.
  write("c3_bad.sql",
        revision_file("c3", "b2", "ALTER TABLE users ADD COLUMN bio TEXT;", "SELECT 1;"));
  Json bad = json("verify --format json", 1);
  EXPECT_FALSE(bad["ok"].boolean());
  EXPECT_EQ(bad["failed_revisions"].number(), 1);
  const Json& c3 = bad["revisions"][2];
  EXPECT_EQ(c3["status"].str(), "failed");
  bool found = false;
  for (const auto& check : c3["checks"].array()) {
    for (const auto& d : check["differences"].array()) {
      found |= d["kind"].str() == "column_added" || d["kind"].str() == "column_removed";
      EXPECT_EQ(d["table"].str(), "users");
      EXPECT_EQ(d["object"].str(), "bio");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(JsonOutputTest, VerifyGivesEachLintWarningsCodeAndSeverity) {
  write("c3_backfill.sql", revision_file("c3", "b2", "UPDATE users SET karma = 1;", ""));
  Json doc = json("verify --format json");
  std::vector<Json> warnings;
  for (const auto& r : doc["revisions"].array()) {
    for (const auto& check : r["checks"].array()) {
      for (const auto& w : check["warnings"].array()) warnings.push_back(w);
    }
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0]["code"].str(), "MT105");
  EXPECT_EQ(warnings[0]["rule"].str(), "update_without_where");
  EXPECT_EQ(warnings[0]["severity"].str(), "warning");
  EXPECT_EQ(warnings[0]["revision"].str(), "c3");
  EXPECT_GT(warnings[0]["line"].number(), 0);
}

TEST_F(JsonOutputTest, CheckGivesTheDifferencesWithTheModels) {
  std::ofstream(tmp_ / "schema.sql") << "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT "
                                        "NULL, karma INTEGER DEFAULT 0);";
  Json same = json("check --schema schema.sql --format json");
  EXPECT_TRUE(same["ok"].boolean());
  EXPECT_TRUE(same["differences"].array().empty());
  std::ofstream(tmp_ / "schema.sql") << "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT "
                                        "NULL, karma INTEGER DEFAULT 0, email TEXT);";
  Json differs = json("check --schema schema.sql --format json", 1);
  EXPECT_FALSE(differs["ok"].boolean());
  ASSERT_EQ(differs["differences"].size(), 1u);
  const Json& d = differs["differences"][0];
  EXPECT_EQ(d["table"].str(), "users");
  EXPECT_EQ(d["object"].str(), "email");
  EXPECT_TRUE(d["actual"].is_null());
  EXPECT_EQ(d["expected"].str(), "text NULL");
  EXPECT_THAT(d["description"].str(), HasSubstr("email"));
}

void diff_and_schema(const std::string& url_a, const std::string& url_b, const fs::path& cwd,
                     const std::string& dir) {
  auto in = [&](const std::string& url, const std::string& target) {
    auto r = run_migtest(
        "--migrations " + shell_quote(dir) + " --url " + shell_quote(url) + " upgrade " + target,
        cwd);
    ASSERT_EQ(r.code, 0) << r.err;
  };
  in(url_a, "a1");
  in(url_b, "b2");
  auto d =
      run_migtest("diff " + shell_quote(url_a) + " " + shell_quote(url_b) + " --format json", cwd);
  EXPECT_EQ(d.code, 1) << d.err;
  Json diff = parse_json(d.out);
  ASSERT_EQ(diff["differences"].size(), 1u);
  EXPECT_EQ(diff["differences"][0]["kind"].str(), "column_added");
  EXPECT_EQ(diff["differences"][0]["object"].str(), "karma");
  EXPECT_TRUE(diff["differences"][0]["actual"].is_null());

  auto s = run_migtest("schema " + shell_quote(url_b) + " --format json", cwd);
  ASSERT_EQ(s.code, 0) << s.err;
  Json schema = parse_json(s.out);
  ASSERT_EQ(schema["tables"].size(), 1u);  // the version table is left out
  const Json& users = schema["tables"][0];
  EXPECT_EQ(users["name"].str(), "users");
  ASSERT_EQ(users["columns"].size(), 3u);
  EXPECT_EQ(users["columns"][1]["name"].str(), "name");
  EXPECT_FALSE(users["columns"][1]["nullable"].boolean());
  EXPECT_EQ(users["columns"][2]["default"].str(), "0");
  EXPECT_EQ(users["primary_key"]["columns"][0].str(), "id");
  EXPECT_TRUE(schema["views"].array().empty());
}

TEST_F(JsonOutputTest, DiffAndSchemaSqlite) {
  diff_and_schema(sqlite_url("a.db"), sqlite_url("b.db"), tmp_.path(), dir());
}

TEST_F(JsonOutputTest, DiffAndSchemaPostgres) {
  MIGTEST_REQUIRE_POSTGRES_URL(server);
  migtest::test::ScratchDatabase a("postgresql", server), b("postgresql", server);
  diff_and_schema(a.url(), b.url(), tmp_.path(), dir());
  auto s = run_migtest("schema " + shell_quote(b.url()) + " --format json", tmp_.path());
  EXPECT_EQ(parse_json(s.out)["dialect"].str(), "postgresql");
}

TEST_F(JsonOutputTest, AnUnknownFormatIsRefused) {
  auto r = run_migtest("--migrations " + shell_quote(dir()) + " heads --format yaml", tmp_.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("yaml"));
}

}  // namespace
