// `migtest lint` through the real binary, without a database: every rule on one statement it
// flags and one look-alike it does not, allow comments, the [lint] config switch, ranges and
// chosen revisions, and each format (JSON and SARIF parsed back and their fields checked).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/json.hpp"
#include "support/process.hpp"
#include "support/revisions.hpp"

using migtest::test::Json;
using migtest::test::Output;
using migtest::test::parse_json;
using migtest::test::run_migtest;
using migtest::test::shell_quote;
using migtest::test::slurp;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The tables every case's revision finds already there.
const char* kBase =
    "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE post (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT);\n"
    "CREATE INDEX ix_post_title ON post (title);";

// A history of revisions a00000000001 (kBase) <- a00000000002 <- ... with `ups` as up SQL.
class Project {
 public:
  explicit Project(const std::vector<std::string>& ups, const std::string& header = "") {
    std::string parent;
    for (std::size_t i = 0; i <= ups.size(); ++i) {
      std::string id = fmt_id(i + 1);
      std::string up = i == 0 ? kBase : ups[i - 1];
      dir_.write("versions/" + id + "_r.sql",
                 migtest::test::revision_headers(id, parent, "r" + id, i == 0 ? "" : header) +
                     migtest::test::up_down(up, "SELECT 1;"));
      parent = id;
    }
  }
  static std::string fmt_id(std::size_t n) {
    std::string s = std::to_string(n);
    return "a" + std::string(11 - s.size(), '0') + s;
  }
  // The file of revision n (1 = the base one).
  std::string file(std::size_t n) const { return dir_ / ("versions/" + fmt_id(n) + "_r.sql"); }
  Output lint(const std::string& args) const {
    return run_migtest("--migrations versions lint " + args, dir_.path());
  }
  Output run(const std::string& args) const { return run_migtest(args, dir_.path()); }
  const migtest::test::TempDir& dir() const { return dir_; }

 private:
  migtest::test::TempDir dir_{"migtest-lint"};
};

std::vector<std::string> codes(const Json& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"].array()) out.push_back(f["code"].str());
  return out;
}

struct RuleCase {
  std::string code;
  std::string dialects;  // where the rule applies: "sqlite", "postgresql" or "both"
  std::string flagged;   // up SQL of the second revision; its first statement is flagged...
  int line;              // ...at this line of the file (headers and marker: 4 lines, then the SQL)
  std::string clean;     // a look-alike that is not flagged
};

class LintRuleTest : public ::testing::TestWithParam<RuleCase> {};

// On each dialect: flagged where the rule applies, silent on the other one; the look-alike is
// never flagged.
TEST_P(LintRuleTest, FlagsTheStatementAndNotItsLookAlike) {
  const RuleCase& c = GetParam();
  Project flagged({c.flagged});
  Project clean({c.clean});
  for (const std::string dialect : {"sqlite", "postgresql"}) {
    SCOPED_TRACE(dialect);
    Output r = flagged.lint("--dialect " + dialect + " --format json");
    ASSERT_THAT(r.code, ::testing::AnyOf(0, 1)) << r.err;
    Json doc = parse_json(r.out);
    if (c.dialects != "both" && c.dialects != dialect) {
      EXPECT_THAT(codes(doc), Not(::testing::Contains(c.code))) << r.out;
    } else {
      ASSERT_THAT(codes(doc), ::testing::Contains(c.code)) << r.out;
    }
    for (const auto& f : doc["findings"].array()) {
      if (f["code"].str() != c.code) continue;
      EXPECT_EQ(f["file"].str(), "versions/a00000000002_r.sql");
      EXPECT_EQ(f["line"].number(), c.line) << f["message"].str();
      EXPECT_EQ(f["revision"].str(), "a00000000002");
      EXPECT_EQ(r.code, f["severity"].str() == "error" ? 1 : r.code);
    }

    Output ok = clean.lint("--dialect " + dialect + " --format json");
    ASSERT_THAT(ok.code, ::testing::AnyOf(0, 1)) << ok.err;
    EXPECT_THAT(codes(parse_json(ok.out)), Not(::testing::Contains(c.code))) << ok.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, LintRuleTest,
    ::testing::Values(
        RuleCase{"MT101", "both", "DROP TABLE post;", 5,
                 "CREATE TABLE tmp (id INTEGER);\nDROP TABLE tmp;"},
        RuleCase{"MT102", "both", "ALTER TABLE post DROP COLUMN title;", 5,
                 "CREATE TABLE tmp (id INTEGER, x INTEGER);\nALTER TABLE tmp DROP COLUMN x;"},
        RuleCase{"MT103", "both", "TRUNCATE post;", 5,
                 "CREATE TABLE tmp (id integer);\nTRUNCATE tmp;"},
        RuleCase{"MT104", "both", "DELETE FROM post;", 5, "DELETE FROM post WHERE title = '';"},
        RuleCase{"MT105", "both", "UPDATE post SET title = (SELECT name FROM author WHERE true);",
                 5, "UPDATE post SET title = '' WHERE title IS NULL;"},
        RuleCase{"MT106", "both",
                 "CREATE TABLE post_new (id INTEGER PRIMARY KEY);\n"
                 "INSERT INTO post_new SELECT id FROM post;\nDROP TABLE post;\n"
                 "ALTER TABLE post_new RENAME TO post;",
                 7,
                 "CREATE TABLE post_new (id INTEGER PRIMARY KEY);\n"
                 "ALTER TABLE post_new RENAME TO post_copy;"},
        RuleCase{"MT201", "postgresql", "ALTER TABLE post ADD COLUMN views integer NOT NULL;", 5,
                 "ALTER TABLE post ADD COLUMN views integer NOT NULL DEFAULT 0;"},
        RuleCase{"MT202", "sqlite", "ALTER TABLE post ADD COLUMN views INTEGER NOT NULL;", 5,
                 "ALTER TABLE post ADD COLUMN views INTEGER NOT NULL DEFAULT 0;"},
        RuleCase{"MT203", "postgresql", "ALTER TABLE post ALTER COLUMN title SET NOT NULL;", 5,
                 "CREATE TABLE tmp (t text);\nALTER TABLE tmp ALTER COLUMN t SET NOT NULL;"},
        RuleCase{"MT204", "both", "CREATE UNIQUE INDEX ux_post_title ON post (title);", 5,
                 "CREATE INDEX ix_post_author ON post (author_id);"},
        RuleCase{"MT301", "postgresql", "CREATE INDEX ix_post_author ON post (author_id);", 5,
                 "CREATE INDEX CONCURRENTLY ix_post_author ON post (author_id);"},
        RuleCase{"MT302", "postgresql", "DROP INDEX ix_post_title;", 5,
                 "DROP INDEX CONCURRENTLY ix_post_title;"},
        RuleCase{"MT303", "postgresql",
                 "ALTER TABLE post ADD CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES "
                 "author (id);",
                 5,
                 "ALTER TABLE post ADD CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES "
                 "author (id) NOT VALID;"},
        RuleCase{"MT304", "postgresql",
                 "ALTER TABLE post ADD CONSTRAINT ck_title CHECK (length(title) > 0);", 5,
                 "ALTER TABLE post ADD CONSTRAINT ck_title CHECK (length(title) > 0) NOT VALID;"},
        RuleCase{"MT305", "postgresql", "ALTER TABLE post ALTER COLUMN title TYPE varchar(80);", 5,
                 "CREATE TABLE tmp (t text);\nALTER TABLE tmp ALTER COLUMN t TYPE varchar(80);"},
        RuleCase{"MT306", "postgresql",
                 "ALTER TABLE post ADD COLUMN token uuid DEFAULT gen_random_uuid();", 5,
                 "ALTER TABLE post ADD COLUMN created timestamptz DEFAULT now();"},
        RuleCase{"MT307", "postgresql", "LOCK TABLE post IN ACCESS EXCLUSIVE MODE;", 5,
                 "CREATE TABLE tmp (id integer);\nLOCK TABLE tmp IN ACCESS EXCLUSIVE MODE;"},
        RuleCase{"MT401", "both", "ALTER TABLE post RENAME TO article;", 5,
                 "CREATE TABLE tmp (id INTEGER);\nALTER TABLE tmp RENAME TO tmp2;"},
        RuleCase{"MT402", "both", "ALTER TABLE post RENAME COLUMN title TO headline;", 5,
                 "CREATE TABLE tmp (a INTEGER);\nALTER TABLE tmp RENAME COLUMN a TO b;"}),
    [](const auto& p) { return p.param.code; });

TEST(LintRules, EveryRuleHasACaseAbove) {
  // A rule added without a case in LintRuleTest fails here.
  Output r = run_migtest(
      "--migrations " + shell_quote(std::string(MIGTEST_TEST_DATA) + "/histories/migtest_linear") +
          " lint --format sarif",
      boost::filesystem::temp_directory_path());
  ASSERT_THAT(r.code, ::testing::AnyOf(0, 1)) << r.err;
  std::vector<std::string> ids;
  const Json doc = parse_json(r.out);
  for (const auto& rule : doc["runs"][0]["tool"]["driver"]["rules"].array()) {
    ids.push_back(rule["id"].str());
  }
  EXPECT_THAT(ids, ElementsAre("MT101", "MT102", "MT103", "MT104", "MT105", "MT106", "MT201",
                               "MT202", "MT203", "MT204", "MT301", "MT302", "MT303", "MT304",
                               "MT305", "MT306", "MT307", "MT401", "MT402"));
}

TEST(Lint, DownSectionsAreNotLinted) {
  // A down section undoes its revision: dropping what the up section made is its job.
  migtest::test::TempDir dir("migtest-lint");
  dir.write("versions/a00000000001_r.sql",
            migtest::test::revision_file("a00000000001", "", kBase,
                                         "DROP TABLE post;\nDROP TABLE author;"));
  dir.write("versions/a00000000002_r.sql",
            migtest::test::revision_file("a00000000002", "a00000000001",
                                         "ALTER TABLE post ADD COLUMN views INTEGER;",
                                         "ALTER TABLE post DROP COLUMN views;\nDELETE FROM post;\n"
                                         "DROP INDEX ix_post_title;"));
  for (const std::string dialect : {"sqlite", "postgresql"}) {
    Output r =
        run_migtest("--migrations versions lint --format json --dialect " + dialect, dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(parse_json(r.out)["findings"].array().empty()) << dialect << ": " << r.out;
  }
}

TEST(Lint, TextLinesAndTheExitStatus) {
  Project errors({"DROP TABLE post;\nUPDATE post SET title = 'x';"});
  Output r = errors.lint("");
  EXPECT_EQ(r.code, 1) << "an error-severity finding";
  EXPECT_THAT(r.out, HasSubstr("versions/a00000000002_r.sql:5: MT101 error: DROP TABLE post "
                               "destroys the table and its rows\n"));
  EXPECT_THAT(r.out, HasSubstr("versions/a00000000002_r.sql:6: MT105 warning: UPDATE post"));
  EXPECT_THAT(r.out, HasSubstr("2 revisions linted on sqlite: 1 error, 1 warning, 0 notices"));

  Project warnings({"UPDATE post SET title = 'x';"});
  EXPECT_EQ(warnings.lint("").code, 0) << "warnings alone do not fail";
}

TEST(Lint, AllowCommentsPerStatementAndPerRevision) {
  Project h(
      {"-- migtest:allow MT101 -- the posts moved to article in a00000000001\n"
       "DROP TABLE post;\n"
       "DROP TABLE author;"});
  Output r = h.lint("--format json");
  EXPECT_EQ(r.code, 1);
  Json doc = parse_json(r.out);
  ASSERT_THAT(codes(doc), ElementsAre("MT101")) << r.out;
  EXPECT_EQ(doc["findings"][0]["line"].number(), 7) << "author, not post";

  Project header({"DROP TABLE post;\nDROP TABLE author;"}, "-- migtest:allow drop_table\n");
  Output all = header.lint("");
  EXPECT_EQ(all.code, 0) << all.out;
  EXPECT_THAT(all.out, HasSubstr("0 errors"));

  Project bad({"-- migtest:allow MT999\nDROP TABLE post;"});
  Output e = bad.lint("");
  EXPECT_EQ(e.code, 2);
  EXPECT_THAT(e.err, HasSubstr("a00000000002_r.sql:5"));
  EXPECT_THAT(e.err, HasSubstr("unknown lint rule 'MT999'"));
}

TEST(Lint, ConfigTurnsRulesOffAndChangesSeverities) {
  Project h({"DROP TABLE post;\nUPDATE author SET name = 'x';"});
  h.dir().write("migtest.toml",
                "migrations = \"versions\"\n[lint]\ndisable = [\"MT101\"]\n"
                "severity = { update_without_where = \"error\" }\n");
  Output r = h.run("lint --format json");
  EXPECT_EQ(r.code, 1) << "MT105 is an error now";
  Json doc = parse_json(r.out);
  ASSERT_THAT(codes(doc), ElementsAre("MT105"));
  EXPECT_EQ(doc["findings"][0]["severity"].str(), "error");

  h.dir().write("migtest.toml",
                "migrations = \"versions\"\n[lint]\ndisable = [\"MT105\", \"MT101\"]\n");
  EXPECT_EQ(h.run("lint").code, 0);

  h.dir().write("migtest.toml", "migrations = \"versions\"\n\n[lint]\ndisable = [\"MT1O1\"]\n");
  Output bad = h.run("lint");
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("migtest.toml:4"));
  EXPECT_THAT(bad.err, HasSubstr("unknown lint rule 'MT1O1'"));

  h.dir().write("migtest.toml",
                "migrations = \"versions\"\n[lint]\nseverity = { MT101 = \"fatal\" }\n");
  bad = h.run("lint");
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown lint severity 'fatal'"));
}

TEST(Lint, VerifyUsesTheSameRulesAndConfig) {
  Project h(
      {"CREATE TABLE tag (id INTEGER PRIMARY KEY);\nALTER TABLE post RENAME COLUMN title TO t;"});
  Output v = h.run("--migrations versions verify --checks lint");
  EXPECT_EQ(v.code, 0) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr("rename_column: ALTER TABLE post RENAME COLUMN title TO t"));
  h.dir().write("migtest.toml",
                "migrations = \"versions\"\n[lint]\ndisable = [\"rename_column\"]\n");
  v = h.run("verify --checks lint");
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_THAT(v.out, Not(HasSubstr("rename_column")));
}

TEST(Lint, RangesAndChosenRevisions) {
  Project h({"DROP TABLE post;", "DROP TABLE author;", "UPDATE x SET y = 1;"});
  auto revisions = [&](const std::string& args) {
    Output r = h.lint(args + " --format json");
    EXPECT_THAT(r.code, ::testing::AnyOf(0, 1)) << r.err;
    return parse_json(r.out)["revisions"].strings();
  };
  EXPECT_THAT(revisions("-r a00000000002:a00000000003"),
              ElementsAre("a00000000002", "a00000000003"));
  EXPECT_THAT(revisions("-r a00000000003:"), ElementsAre("a00000000003", "a00000000004"));
  EXPECT_THAT(revisions("-r :a00000000002"), ElementsAre("a00000000001", "a00000000002"));
  EXPECT_THAT(revisions("a00000000004 a00000000001"), ElementsAre("a00000000001", "a00000000004"));
  EXPECT_THAT(revisions(""), ::testing::SizeIs(4));
  Output none = h.lint("ffff");
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("ffff"));
}

TEST(Lint, DialectComesFromTheConfiguredUrlWithoutConnecting) {
  Project h({"CREATE INDEX ix_post_author ON post (author_id);"});
  // Nothing listens there: lint never connects.
  h.dir().write(
      "migtest.toml",
      "migrations = \"versions\"\nurl = \"postgresql://nobody:secret@127.0.0.1:9/none\"\n");
  Output r = h.run("lint --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  Json doc = parse_json(r.out);
  EXPECT_EQ(doc["dialect"].str(), "postgresql");
  EXPECT_THAT(codes(doc), ElementsAre("MT301"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("secret")));
  EXPECT_EQ(parse_json(h.run("lint --dialect sqlite --format json").out)["dialect"].str(),
            "sqlite");
}

TEST(Lint, JsonShape) {
  Project h({"DROP TABLE post;"});
  Output r = h.lint("--format json");
  ASSERT_EQ(r.code, 1) << r.err;
  Json doc = parse_json(r.out);
  EXPECT_EQ(doc["dialect"].str(), "sqlite");
  EXPECT_FALSE(doc["ok"].boolean());
  EXPECT_THAT(doc["revisions"].strings(), ElementsAre("a00000000001", "a00000000002"));
  EXPECT_EQ(doc["counts"]["error"].number(), 1);
  EXPECT_EQ(doc["counts"]["warning"].number(), 0);
  EXPECT_EQ(doc["counts"]["notice"].number(), 0);
  const Json& f = doc["findings"][0];
  EXPECT_EQ(f["code"].str(), "MT101");
  EXPECT_EQ(f["rule"].str(), "drop_table");
  EXPECT_EQ(f["severity"].str(), "error");
  EXPECT_EQ(f["revision"].str(), "a00000000002");
  EXPECT_EQ(f["file"].str(), "versions/a00000000002_r.sql");
  EXPECT_EQ(f["line"].number(), 5);
  EXPECT_EQ(f["message"].str(), "DROP TABLE post destroys the table and its rows");
  EXPECT_EQ(f["docs"].str(), "docs/reference/lint.md#mt101");
  EXPECT_EQ(doc["notes"].size(), 0u);
}

TEST(Lint, SarifIsValid210WithRulesAndLocations) {
  Project h({"DROP TABLE post;\nUPDATE author SET name = 'x';"});
  Output r = h.lint("--format sarif --dialect postgresql -o lint.sarif");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("MT101 error")) << "the text report still on stdout";
  Json doc = parse_json(slurp(h.dir().path() / "lint.sarif"));
  EXPECT_EQ(doc["version"].str(), "2.1.0");
  EXPECT_THAT(doc["$schema"].str(), HasSubstr("sarif-schema-2.1.0.json"));
  ASSERT_EQ(doc["runs"].size(), 1u);
  const Json& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"].str(), "migtest");
  const auto& rules = run["tool"]["driver"]["rules"].array();
  for (const auto& rule : rules) {
    EXPECT_THAT(rule["id"].str(), ::testing::MatchesRegex("MT[0-9]+"));
    EXPECT_THAT(rule["help"]["text"].str(),
                ::testing::StartsWith("migtest docs/reference/lint.md#mt"));
    EXPECT_FALSE(rule["shortDescription"]["text"].str().empty());
  }
  const auto& results = run["results"].array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["ruleId"].str(), "MT101");
  EXPECT_EQ(results[0]["level"].str(), "error");
  EXPECT_EQ(rules.at(static_cast<std::size_t>(results[0]["ruleIndex"].number()))["id"].str(),
            "MT101");
  EXPECT_THAT(results[0]["message"]["text"].str(), HasSubstr("DROP TABLE post"));
  const Json& loc = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"].str(), "versions/a00000000002_r.sql");
  EXPECT_EQ(loc["region"]["startLine"].number(), 5);
  EXPECT_EQ(results[1]["ruleId"].str(), "MT105");
  EXPECT_EQ(results[1]["level"].str(), "warning");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"].number(), 6);
}

TEST(Lint, JunitHasASuitePerRevisionAndFailuresForErrors) {
  Project h({"DROP TABLE post;\nUPDATE author SET name = 'x';"});
  Output r = h.lint("--format junit");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(r.out, HasSubstr("<testsuites name=\"migtest lint (sqlite)\" tests=\"3\" "
                               "failures=\"1\""));
  EXPECT_THAT(r.out, HasSubstr("<testsuite name=\"migtest.lint.a00000000001\" tests=\"1\" "
                               "failures=\"0\""));
  EXPECT_THAT(r.out, HasSubstr("name=\"clean\""));
  EXPECT_THAT(r.out, HasSubstr("<failure message=\"MT101 error: DROP TABLE post destroys the table "
                               "and its rows\" type=\"MT101\"/>"));
  EXPECT_THAT(r.out, HasSubstr("<system-out>MT105 warning: UPDATE author"));
}

TEST(Lint, CppRevisionsAreNotedNotLinted) {
  migtest::test::TempDir dir("migtest-lint-cpp");
  dir.mkdir("versions");
  Output r = migtest::test::run_program(MIGTEST_CPP_PROJECT, "--migrations versions lint",
                                        migtest::test::in_directory(dir.path()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("note: revision c0de00000001 is C++ code: not linted"));
}

TEST(Lint, BlogExampleHasOneExplainedWarning) {
  // The karma backfill updates every user on purpose (docs/reference/lint.md explains it).
  for (const char* dialect : {"sqlite", "postgresql"}) {
    Output r = run_migtest("-c " +
                               shell_quote(std::string(MIGTEST_SOURCE_DIR) +
                                           "/examples/blog/migrations/migtest.toml") +
                               " lint --format json --dialect " + dialect,
                           boost::filesystem::temp_directory_path());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(codes(parse_json(r.out)), ElementsAre("MT105")) << dialect;
  }
}

}  // namespace
