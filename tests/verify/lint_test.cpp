// lint(): each rule on the statements that should trigger it, and none on the look-alikes
// (names in strings, comments, new tables), on each dialect; -- migtest:allow silences.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "migtest/verify.hpp"

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

RevisionScript script(const std::string& up, const std::string& down = "SELECT 1;") {
  RevisionScript s;
  s.revision.id = "abc123";
  s.up.file = s.down.file = "versions/abc123_x.sql";
  s.up.sections.push_back(SqlSection{std::nullopt, up, 5});
  s.down.sections.push_back(SqlSection{std::nullopt, down, 40});
  return s;
}

std::vector<std::string> rules(const std::vector<LintWarning>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w.rule);
  return out;
}

std::vector<std::string> codes(const std::vector<LintWarning>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w.code);
  return out;
}

// docs/reference/lint.md, whole.
std::string lint_docs() {
  std::ifstream in(std::string(MIGTEST_SOURCE_DIR) + "/docs/reference/lint.md");
  std::stringstream docs;
  docs << in.rdbuf();
  return docs.str();
}

TEST(Lint, DropTableAndDropColumnOnExistingTables) {
  auto ws = lint(script("DROP TABLE IF EXISTS post, \"Comment\" CASCADE;\n"
                        "ALTER TABLE \"user\" DROP COLUMN karma;\n"
                        "ALTER TABLE \"user\" DROP CONSTRAINT uq_a, DROP bio;\n"),
                 Dialect::sqlite);
  ASSERT_THAT(rules(ws), ElementsAre("drop_table", "drop_table", "drop_column", "drop_column"));
  EXPECT_EQ(ws[0].line, 5);
  EXPECT_EQ(ws[2].line, 6);
  EXPECT_EQ(ws[3].line, 7);
  EXPECT_EQ(ws[0].revision, "abc123");
  EXPECT_THAT(ws[0].message, HasSubstr("DROP TABLE post destroys the table and its rows"));
  EXPECT_THAT(ws[1].message, HasSubstr("\"Comment\""));
  EXPECT_THAT(ws[2].message, HasSubstr("ALTER TABLE \"user\" DROP COLUMN karma"));
  EXPECT_EQ(ws[0].describe(),
            "versions/abc123_x.sql:5: drop_table: DROP TABLE post destroys the table and its rows");
}

TEST(Lint, TablesCreatedInTheSameRevisionAreNew) {
  auto ws = lint(script("CREATE TABLE tmp (id INTEGER, x INTEGER);\n"
                        "ALTER TABLE tmp ADD COLUMN y INTEGER NOT NULL;\n"
                        "CREATE UNIQUE INDEX ux_tmp ON tmp (x);\n"
                        "ALTER TABLE tmp DROP COLUMN x;\n"
                        "DROP TABLE tmp;\n"),
                 Dialect::postgresql);
  EXPECT_THAT(ws, IsEmpty());
}

TEST(Lint, WordsInStringsAndCommentsDoNotCount) {
  auto ws = lint(
      script(
          "INSERT INTO log (msg) VALUES ('DROP TABLE users; ALTER TABLE x DROP COLUMN y');\n"
          "-- DROP TABLE users;\n"
          "/* ALTER TABLE a DROP COLUMN b; */ UPDATE t SET \"DROP\" = 1 WHERE id = 2;\n"
          "CREATE FUNCTION f() RETURNS void AS $$ BEGIN DROP TABLE x; END $$ LANGUAGE plpgsql;\n"),
      Dialect::postgresql);
  EXPECT_THAT(ws, IsEmpty());
}

TEST(Lint, NotNullWithoutDefault) {
  auto ws = lint(
      script("ALTER TABLE \"user\" ADD COLUMN age INTEGER NOT NULL;\n"
             "ALTER TABLE \"user\" ADD COLUMN score INTEGER NOT NULL DEFAULT 0;\n"
             "ALTER TABLE \"user\" ADD COLUMN note TEXT;\n"
             "ALTER TABLE \"user\" ADD COLUMN uid INTEGER GENERATED ALWAYS AS IDENTITY NOT NULL;\n"
             "ALTER TABLE \"user\" ALTER COLUMN name SET NOT NULL;\n"),
      Dialect::postgresql);
  // The identity column is filled (no MT201) but rewrites the table to fill it (MT306).
  ASSERT_THAT(rules(ws),
              ElementsAre("not_null_without_default", "volatile_default", "set_not_null"));
  EXPECT_THAT(ws[0].message, HasSubstr("ADD COLUMN age NOT NULL without a DEFAULT"));
  EXPECT_EQ(ws[0].code, "MT201");
  EXPECT_EQ(ws[0].severity, Severity::error);
  EXPECT_THAT(ws[2].message, HasSubstr("ALTER COLUMN name SET NOT NULL"));
  EXPECT_EQ(ws[2].code, "MT203");
}

TEST(Lint, UniqueOnExistingColumns) {
  auto ws = lint(script("CREATE UNIQUE INDEX ux_email ON \"user\" (email);\n"
                        "ALTER TABLE \"user\" ADD CONSTRAINT uq_name UNIQUE (name);\n"
                        "ALTER TABLE \"user\" ADD UNIQUE (fingerprint);\n"
                        "ALTER TABLE \"user\" ADD CONSTRAINT uq_x UNIQUE USING INDEX ux_x;\n"),
                 Dialect::sqlite);
  EXPECT_THAT(rules(ws), ElementsAre("unique_on_existing_columns", "unique_on_existing_columns",
                                     "unique_on_existing_columns"));
}

TEST(Lint, PostgresIndexesAndConstraintsOnExistingTables) {
  std::string sql =
      "CREATE INDEX ix_a ON post (a);\n"
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_b ON post (b);\n"
      "ALTER TABLE post ADD CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES \"user\" "
      "(id);\n"
      "ALTER TABLE post ADD CONSTRAINT fk_editor FOREIGN KEY (editor_id) REFERENCES \"user\" (id) "
      "NOT VALID;\n"
      "ALTER TABLE post ADD CHECK (length(title) > 0);\n";
  auto pg = lint(script(sql), Dialect::postgresql);
  ASSERT_THAT(rules(pg),
              ElementsAre("index_not_concurrent", "foreign_key_not_valid", "check_not_valid"));
  EXPECT_THAT(pg[0].message,
              HasSubstr("CREATE INDEX ix_a on existing table post without CONCURRENTLY"));
  EXPECT_THAT(pg[1].message, HasSubstr("ADD CONSTRAINT fk_author FOREIGN KEY"));
  EXPECT_THAT(pg[2].message, HasSubstr("ADD CHECK"));
  // Neither rule applies on SQLite (no CONCURRENTLY, no NOT VALID there).
  EXPECT_THAT(lint(script("CREATE INDEX ix_a ON post (a);\n"), Dialect::sqlite), IsEmpty());
}

TEST(Lint, SqliteTableRebuildIsOneWarningNotADrop) {
  auto ws = lint(script("CREATE TABLE user_new (id INTEGER PRIMARY KEY, karma INTEGER NOT NULL);\n"
                        "INSERT INTO user_new SELECT id, coalesce(karma, 0) FROM \"user\";\n"
                        "DROP TABLE \"user\";\n"
                        "ALTER TABLE user_new RENAME TO \"user\";\n"),
                 Dialect::sqlite);
  ASSERT_THAT(rules(ws), ElementsAre("table_rebuild"));
  EXPECT_EQ(ws[0].line, 7);
  EXPECT_THAT(ws[0].message, HasSubstr("table \"user\" is rebuilt"));

  auto other = lint(script("ALTER TABLE post RENAME TO post_old;\n"
                           "CREATE TABLE post (id INTEGER PRIMARY KEY);\n"
                           "INSERT INTO post SELECT id FROM post_old;\n"
                           "DROP TABLE post_old;\n"),
                    Dialect::sqlite);
  ASSERT_THAT(rules(other), ElementsAre("table_rebuild"));
  EXPECT_THAT(other[0].message, HasSubstr("table post is rebuilt"));
}

TEST(Lint, AllowCommentSilencesOneRuleForItsStatement) {
  // Above a statement, or on its lines: that statement only.
  RevisionScript s = script(
      "-- migtest:allow drop_column\n"
      "ALTER TABLE \"user\" DROP COLUMN karma;\n"
      "ALTER TABLE \"user\" DROP COLUMN bio;\n"
      "DROP TABLE post; -- migtest:allow MT101 -- replaced by article in 3f1c\n"
      "DROP TABLE tag;\n");
  auto ws = lint(s, Dialect::sqlite);
  ASSERT_THAT(rules(ws), ElementsAre("drop_column", "drop_table"));
  EXPECT_EQ(ws[0].line, 7) << "bio, not karma";
  EXPECT_EQ(ws[1].line, 9) << "tag, not post";

  // Codes and names, several at once, case-insensitive codes.
  s.up.sections[0].sql = "-- migtest:allow mt102, drop_table\nALTER TABLE a DROP COLUMN b;\n";
  EXPECT_THAT(lint(s, Dialect::sqlite), IsEmpty());

  s.up.sections[0].sql = "-- migtest:allow drop_colum\nDROP TABLE post;\n";
  try {
    lint(s, Dialect::sqlite);
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_EQ(e.line(), 5);
    EXPECT_THAT(e.what(), HasSubstr("unknown lint rule 'drop_colum'"));
    EXPECT_THAT(e.what(), HasSubstr("MT102 drop_column"));
  }
}

TEST(Lint, FormerRuleNamesStillSelectWhatTheyCovered) {
  RevisionScript s = script(
      "-- migtest:allow constraint_not_valid\n"
      "ALTER TABLE post ADD CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES a (id), ADD CHECK (b > "
      "0);\n");
  EXPECT_THAT(lint(s, Dialect::postgresql), IsEmpty());
}

TEST(Lint, OptionsTurnRulesOffAndChangeSeverities) {
  RevisionScript s = script("DROP TABLE post;\nALTER TABLE a RENAME COLUMN b TO c;\n");
  LintOptions o;
  o.disabled = {"MT402"};
  o.severity = {{"MT101", Severity::notice}};
  auto ws = lint(s, Dialect::sqlite, o);
  ASSERT_THAT(rules(ws), ElementsAre("drop_table"));
  EXPECT_EQ(ws[0].severity, Severity::notice);
  EXPECT_THAT(rules(lint(s, Dialect::sqlite)), ElementsAre("drop_table", "rename_column"));
}

TEST(Lint, RenamesOfARebuildAreNotRenames) {
  auto ws = lint(script("ALTER TABLE post RENAME TO post_old;\n"
                        "CREATE TABLE post (id INTEGER PRIMARY KEY);\n"
                        "DROP TABLE post_old;\n"
                        "ALTER TABLE \"user\" RENAME TO account;\n"),
                 Dialect::sqlite);
  EXPECT_THAT(rules(ws), ElementsAre("table_rebuild", "rename_table"));
}

TEST(Lint, HistoryReportNotesCppRevisions) {
  History h = load_history(std::string(MIGTEST_TEST_DATA) + "/verify/loses_rows/versions");
  LintReport all = lint_history(h, Dialect::postgresql);
  EXPECT_EQ(all.revisions.size(), h.scripts().size());
  LintReport one = lint_history(h, Dialect::postgresql, {"4a0000000002"});
  EXPECT_THAT(one.revisions, ElementsAre("4a0000000002"));
  EXPECT_FALSE(one.errors());
}

TEST(Lint, AllowCommentInTheFileHeaderCounts) {
  History h = load_history(std::string(MIGTEST_TEST_DATA) + "/verify/loses_default");
  const RevisionScript& s = h.script("2d0000000002");
  EXPECT_THAT(lint(s, Dialect::sqlite), IsEmpty());
  RevisionScript copy = s;
  copy.revision.file = copy.up.file = copy.down.file = "";
  EXPECT_THAT(rules(lint(copy, Dialect::sqlite)), ElementsAre("drop_column"))
      << "without the file, the header comment is not seen";
}

TEST(Lint, CppRevisionsAreNotLinted) {
  RevisionScript s;
  s.revision.id = "c0ffee";
  s.up.code = [](Operations&) {};
  EXPECT_THAT(lint(s, Dialect::sqlite), IsEmpty());
}

TEST(Lint, EveryRuleHasACodeANameAndADocsEntry) {
  // The seven rules lint had before codes keep their names.
  for (const char* name : {"drop_table", "drop_column", "not_null_without_default",
                           "unique_on_existing_columns", "index_not_concurrent", "table_rebuild"}) {
    EXPECT_NE(find_lint_rule(name), nullptr) << name;
  }
  EXPECT_EQ(select_lint_rules("constraint_not_valid").size(), 2u);
  const std::string docs = lint_docs();
  std::set<std::string> seen;
  for (const auto& r : lint_rule_table()) {
    EXPECT_TRUE(seen.insert(r.code).second) << "duplicate " << r.code;
    EXPECT_THAT(docs, HasSubstr("### " + r.code + " " + r.name)) << "docs entry";
    std::string anchor = "mt" + r.code.substr(2);
    EXPECT_THAT(lint_docs_entry(r), EndsWith("#" + anchor));
    EXPECT_THAT(docs, HasSubstr("<a id=\"" + anchor + "\"></a>")) << "the docs entry's anchor";
  }
}

// The line of `text` that starts with `prefix` (without the prefix), "" when none does.
std::string line_after(const std::string& text, const std::string& prefix) {
  std::size_t at = text.find("\n" + prefix);
  if (at == std::string::npos) return "";
  at += 1 + prefix.size();
  return text.substr(at, text.find('\n', at) - at);
}

// The SQL of the ```sql block that follows `label` in `entry`.
std::string sql_block_after(const std::string& entry, const std::string& label) {
  const std::string open = "```sql\n";
  std::size_t at = entry.find(label);
  if (at == std::string::npos || (at = entry.find(open, at)) == std::string::npos) return "";
  at += open.size();
  return entry.substr(at, entry.find("```", at) - at);
}

TEST(Lint, EachEntrysExamplesAreFlaggedAndNotFlaggedAsItSays) {
  const std::string docs = lint_docs();
  for (const auto& r : lint_rule_table()) {
    std::string entry = docs.substr(docs.find("### " + r.code + " "));
    entry = entry.substr(0, entry.find("<a id=", 1));
    const std::string flagged = sql_block_after(entry, "\nFlagged:\n");
    const std::string clean = sql_block_after(entry, "\nNot flagged:\n");
    ASSERT_FALSE(flagged.empty() || clean.empty()) << r.code << " lacks an example";
    for (Dialect dialect : {Dialect::sqlite, Dialect::postgresql}) {
      if (r.dialect && *r.dialect != dialect) continue;
      EXPECT_THAT(codes(lint(script(flagged), dialect)), ::testing::Contains(r.code))
          << r.code << " on " << dialect;
      EXPECT_THAT(codes(lint(script(clean), dialect)), ::testing::Not(::testing::Contains(r.code)))
          << r.code << " on " << dialect;
    }
  }
}

TEST(Lint, TheRulesTableSaysWhatEachEntryFlags) {
  // The summary table at the top of lint.md repeats each entry's "Flags:" text, whole.
  const std::string docs = lint_docs();
  for (const auto& r : lint_rule_table()) {
    const std::string anchor = "mt" + r.code.substr(2);
    const std::string entry = docs.substr(docs.find("### " + r.code + " "));
    std::string flags = line_after(entry, "- **Flags:** ");
    ASSERT_FALSE(flags.empty()) << r.code << " has no Flags line";
    if (flags.back() == '.') flags.pop_back();
    const std::string row = line_after(docs, "| [" + r.code + "](#" + anchor + ") | ");
    EXPECT_THAT(row, EndsWith("| " + flags + " |")) << r.code;
    const std::string dialects =
        !r.dialect ? "both" : (*r.dialect == Dialect::sqlite ? "SQLite" : "PostgreSQL");
    EXPECT_THAT(row,
                ::testing::StartsWith("`" + r.name + "` | " + std::string(to_string(r.severity)) +
                                      " | " + dialects + " | "))
        << r.code;
  }
}

}  // namespace
}  // namespace migtest
