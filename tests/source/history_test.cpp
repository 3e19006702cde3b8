#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "migtest/source.hpp"
#include "source/source_support.hpp"
#include "support/revisions.hpp"

namespace migtest {
namespace {

using test::mentions;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string histories(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/histories/" + name;
}

std::vector<std::string> sqls(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const auto& s : statements) out.push_back(s.sql);
  return out;
}

TEST(History, MigtestLinear) {
  History h = load_history(histories("migtest_linear"));
  EXPECT_EQ(h.layout(), "migtest");
  EXPECT_EQ(h.directory(), histories("migtest_linear"));
  EXPECT_THAT(h.graph().topological_order(),
              ElementsAre("3f1c9a0b2e7d", "8a4e2c1d9b6f", "a1b2c3d4e5f6"));
  EXPECT_THAT(h.graph().heads(), ElementsAre("a1b2c3d4e5f6"));
  const RevisionScript& karma = h.script("a1b2");
  EXPECT_EQ(karma.revision.message, "Add karma to users");
  EXPECT_EQ(karma.revision.created, "2024-01-15T10:30:00Z");
  EXPECT_THAT(karma.revision.down_revisions, ElementsAre("8a4e2c1d9b6f"));
  EXPECT_THAT(karma.revision.file, HasSubstr("a1b2c3d4e5f6_add_karma_to_users.sql"));
  EXPECT_TRUE(karma.revision.transactional);
  EXPECT_TRUE(karma.revision.reversible);
  auto up = karma.up.statements(migtest::Dialect::sqlite);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].sql, "ALTER TABLE \"user\" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0");
  EXPECT_EQ(up[0].line, 6);
  EXPECT_THAT(sqls(karma.down.statements(migtest::Dialect::postgresql)),
              ElementsAre("ALTER TABLE \"user\" DROP COLUMN karma"));
  auto posts = h.script("8a4e2c1d9b6f").down.statements(migtest::Dialect::sqlite);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[1].line, 12);
  EXPECT_EQ(h.script("3f1c9a0b2e7d").revision.down_revisions.size(), 0u);
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
  EXPECT_EQ(h.content_hash().size(), 64u);
  EXPECT_EQ(karma.checksum.size(), 64u);
  EXPECT_NO_THROW(h.check(migtest::Dialect::sqlite));
  EXPECT_NO_THROW(h.check(migtest::Dialect::postgresql));
}

TEST(History, MigtestBranchesLabelsMergeAndDependsOn) {
  History h = load_history(histories("migtest_branches"));
  const RevisionGraph& g = h.graph();
  EXPECT_THAT(g.heads(), ElementsAre("0000000000a2", "0000000000m1"));
  EXPECT_THAT(g.bases(), ElementsAre("000000000001", "0000000000a1"));
  EXPECT_THAT(h.script("0000000000m1").revision.down_revisions,
              ElementsAre("0000000000b2", "0000000000n1"));
  EXPECT_TRUE(h.script("0000000000m1").revision.reversible);  // an empty merge undoes nothing
  EXPECT_TRUE(h.script("0000000000m1").up.statements(migtest::Dialect::sqlite).empty());
  EXPECT_FALSE(h.script("0000000000m1").down.empty());  // an empty way down, not none
  EXPECT_TRUE(h.script("0000000000m1").down.statements(migtest::Dialect::postgresql).empty());
  for (const auto& s : h.scripts())
    EXPECT_EQ(s.revision.reversible, !s.down.empty()) << s.revision.id;
  EXPECT_THAT(h.script("0000000000a2").revision.depends_on, ElementsAre("0000000000n1"));
  EXPECT_THAT(g.branch("billing"), ElementsAre("0000000000b1", "0000000000b2", "0000000000m1"));
  std::vector<std::string> plan;
  for (const auto& s : g.plan_upgrade({}, "audit@head")) plan.push_back(s.revision);
  EXPECT_THAT(plan, ElementsAre("000000000001", "0000000000a1", "0000000000c1", "0000000000n1",
                                "0000000000a2"));
  EXPECT_THROW(g.plan_upgrade({}, "head"), multiple_heads_error);
}

TEST(History, MigtestDialectSections) {
  History h = load_history(histories("migtest_dialects"));
  const RevisionScript& events = h.script("d1a1ec700001");
  EXPECT_FALSE(events.revision.transactional);
  auto lite = events.up.statements(migtest::Dialect::sqlite);
  ASSERT_EQ(lite.size(), 2u);
  EXPECT_THAT(lite[1].sql, HasSubstr("CREATE TRIGGER event_touch AFTER UPDATE ON event"));
  EXPECT_THAT(lite[1].sql, HasSubstr("END"));
  EXPECT_EQ(lite[1].line, 11);
  auto pg = events.up.statements(migtest::Dialect::postgresql);
  ASSERT_EQ(pg.size(), 3u);
  EXPECT_THAT(pg[1].sql, HasSubstr("RETURN NEW;"));
  EXPECT_EQ(pg[2].line, 24);
  EXPECT_EQ(events.up.section(migtest::Dialect::sqlite)->dialect, migtest::Dialect::sqlite);
  EXPECT_THAT(events.up.text(migtest::Dialect::postgresql), HasSubstr("SERIAL"));
  EXPECT_THAT(sqls(events.down.statements(migtest::Dialect::sqlite)),
              ElementsAre("DROP TABLE event"));
  EXPECT_THAT(sqls(events.down.statements(migtest::Dialect::postgresql)),
              ElementsAre("DROP TABLE event", "DROP FUNCTION event_touch()"));
  const RevisionScript& seed = h.script("d1a1ec700002");
  EXPECT_FALSE(seed.revision.reversible);
  EXPECT_TRUE(seed.down.empty());
  EXPECT_TRUE(seed.down.statements(migtest::Dialect::sqlite).empty());
  EXPECT_THAT(sqls(seed.up.statements(migtest::Dialect::sqlite)),
              ElementsAre("INSERT INTO event (name) VALUES ('it''s; here')"));
}

TEST(History, Diesel) {
  History h = load_history(histories("diesel"));
  EXPECT_EQ(h.layout(), "diesel");
  // 2019-03-22-170700 and 20140924113530 stand together: Diesel orders versions, dashes removed.
  EXPECT_THAT(h.graph().topological_order(),
              ElementsAre("20140924113530", "20190322170700", "20200101000000", "20210101000000"));
  EXPECT_THAT(h.graph().heads(), ElementsAre("20210101000000"));
  const RevisionScript& posts = h.script("20190322170700");
  EXPECT_THAT(posts.revision.down_revisions, ElementsAre("20140924113530"));
  EXPECT_EQ(posts.revision.message, "create posts");
  EXPECT_EQ(posts.revision.created, "2019-03-22T17:07:00");
  EXPECT_THAT(posts.revision.file, HasSubstr("2019-03-22-170700_create_posts/up.sql"));
  EXPECT_THAT(sqls(posts.down.statements(migtest::Dialect::postgresql)),
              ElementsAre("DROP TABLE posts"));
  EXPECT_TRUE(posts.revision.transactional);
  EXPECT_FALSE(h.script("20200101000000").revision.transactional);  // metadata.toml
  EXPECT_FALSE(h.script("20210101000000").revision.reversible);     // no down.sql
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
}

TEST(History, GolangMigrate) {
  History h = load_history(histories("golang_migrate"));
  EXPECT_EQ(h.layout(), "golang-migrate");
  EXPECT_THAT(h.graph().topological_order(), ElementsAre("1", "2", "3", "10"));  // numeric order
  EXPECT_EQ(h.script("2").revision.message, "index email");
  EXPECT_FALSE(h.script("3").revision.reversible);  // no .down.sql
  EXPECT_TRUE(h.script("1").revision.reversible);
  auto add_name = h.script("10").up.statements(migtest::Dialect::sqlite);
  EXPECT_TRUE(manages_own_transaction(add_name));
  EXPECT_FALSE(manages_own_transaction(h.script("1").up.statements(migtest::Dialect::sqlite)));
  EXPECT_TRUE(mentions(h.warnings(), "seed.csv: ignored"));
}

TEST(History, Dbmate) {
  History h = load_history(histories("dbmate"));
  EXPECT_EQ(h.layout(), "dbmate");
  EXPECT_THAT(h.graph().topological_order(),
              ElementsAre("20151129054053", "20151129054100", "20160101000000"));
  const RevisionScript& users = h.script("20151129054053");
  EXPECT_EQ(users.revision.message, "create users");
  EXPECT_THAT(sqls(users.down.statements(migtest::Dialect::sqlite)),
              ElementsAre("drop table users"));
  EXPECT_EQ(users.up.statements(migtest::Dialect::sqlite).front().line, 2);
  EXPECT_FALSE(h.script("20151129054100").revision.transactional);
  EXPECT_FALSE(h.script("20160101000000").revision.reversible);
  EXPECT_TRUE(h.script("20160101000000").revision.transactional);
}

TEST(History, Goose) {
  History h = load_history(histories("goose"));
  EXPECT_EQ(h.layout(), "goose");
  EXPECT_THAT(h.graph().topological_order(), ElementsAre("1", "2", "3", "20230101120000"));
  auto fn = h.script("2").up.statements(migtest::Dialect::postgresql);
  ASSERT_EQ(fn.size(), 1u);  // the StatementBegin block is one statement
  EXPECT_THAT(fn[0].sql, HasSubstr("RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql"));
  EXPECT_EQ(fn[0].line, 3);
  EXPECT_THAT(sqls(h.script("2").down.statements(migtest::Dialect::postgresql)),
              ElementsAre("DROP FUNCTION touch()"));
  EXPECT_FALSE(h.script("3").revision.transactional);
  EXPECT_TRUE(h.script("1").revision.transactional);
  EXPECT_FALSE(h.script("20230101120000").revision.reversible);
  EXPECT_EQ(h.script("20230101120000").revision.created, "2023-01-01T12:00:00");
}

TEST(History, EmptyDirectoryIsAnEmptyMigtestHistory) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-empty");
  dir.write(".gitkeep", "");
  History h = load_history(dir.string());
  EXPECT_EQ(h.layout(), "migtest");
  EXPECT_TRUE(h.graph().empty());
  EXPECT_TRUE(h.warnings().empty());  // dot files are skipped quietly
  EXPECT_EQ(h.content_hash().size(), 64u);
}

TEST(History, MissingDirectoryIsAUsageError) {
  EXPECT_THROW(load_history(histories("does_not_exist")), config_error);
  EXPECT_THROW(load_history(""), config_error);
}

TEST(History, ContentHashFollowsIdsOrderAndBytes) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-hash");
  auto file = [](const std::string& id, const std::string& parent, const std::string& sql) {
    return test::revision_headers(id, parent, "") + test::up_down(sql, "SELECT 0;");
  };
  dir.write("aaa_one.sql", file("aaa", "none", "SELECT 1;"));
  dir.write("bbb_two.sql", file("bbb", "aaa", "SELECT 2;"));
  History first = load_history(dir.string());
  EXPECT_EQ(load_history(dir.string()).content_hash(), first.content_hash());  // stable
  dir.write("bbb_two.sql", file("bbb", "aaa", "SELECT 2; "));                  // one byte
  History second = load_history(dir.string());
  EXPECT_NE(second.content_hash(), first.content_hash());
  EXPECT_NE(second.script("bbb").checksum, first.script("bbb").checksum);
  EXPECT_EQ(second.script("aaa").checksum, first.script("aaa").checksum);
  dir.write("ccc_three.sql", file("ccc", "bbb", "SELECT 3;"));  // one more revision
  EXPECT_NE(load_history(dir.string()).content_hash(), second.content_hash());
}

// Every malformed history: the error type, the file and line it names.
struct Malformed {
  const char* dir;
  const char* file;  // a substring of the file named
  int line;          // -1: not checked
  const char* message;
};

TEST(History, MalformedHistoriesNameFileAndLine) {
  const std::vector<Malformed> cases = {
      {"bad_header", "b00000000001_typo.sql", 3,
       "unknown header field 'transactional' (did you mean transaction?)"},
      {"unterminated_quote", "f00000000001_quote.sql", 7, "unterminated string literal"},
      {"unterminated_dollar", "f00000000002_dollar.sql", 4, "unterminated dollar-quoted string"},
      {"goose_unclosed_block", "00001_f.sql", 2, "StatementBegin without -- +goose StatementEnd"},
      {"missing_revision_header", "users.sql", 1, "no -- revision: header"},
      {"unknown_dialect", "d00000000001_mysql.sql", 3, "unknown dialect 'mysql'"},
      {"bad_down_revision", "d00000000002_bad.sql", 2, "invalid down_revision 'a b c'"},
      {"diesel_bad_metadata", "metadata.toml", 1, "run_in_transaction must be true or false"},
      {"mixed_layouts", "mixed_layouts", -1, "mixes revision layouts"},
  };
  for (const auto& c : cases) {
    try {
      load_history(histories(std::string("malformed/") + c.dir));
      ADD_FAILURE() << c.dir << ": loaded";
    } catch (const parse_error& e) {
      EXPECT_THAT(e.file(), HasSubstr(c.file)) << c.dir;
      if (c.line >= 0) {
        EXPECT_EQ(e.line(), c.line) << c.dir << ": " << e.what();
      }
      EXPECT_THAT(e.what(), HasSubstr(c.message)) << c.dir;
    }
  }
}

TEST(History, MixedLayoutsNameAFileOfEach) {
  try {
    load_history(histories("malformed/mixed_layouts"));
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("2_create_posts.up.sql (golang-migrate)"));
    EXPECT_THAT(e.what(), HasSubstr("a1b2c3d4e5f6_create_users.sql (migtest)"));
  }
}

TEST(History, GraphErrorsNameTheFiles) {
  try {
    load_history(histories("malformed/duplicate_id"));
    FAIL();
  } catch (const duplicate_revision_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("aaaa00000001_first.sql"));
    EXPECT_THAT(e.what(), HasSubstr("aaaa00000001_second.sql"));
  }
  try {
    load_history(histories("malformed/cycle"));
    FAIL();
  } catch (const cycle_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("c00000000001_one.sql"));
    EXPECT_THAT(e.what(), HasSubstr("c00000000002_two.sql"));
  }
  try {
    load_history(histories("malformed/unknown_parent"));
    FAIL();
  } catch (const missing_revision_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("e00000000001_orphan.sql"));
    EXPECT_THAT(e.what(), HasSubstr("down_revision ffffffffffff"));
  }
}

TEST(History, GenericSectionIsCheckedPerDialectBeforeRunning) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-check");
  // $$ is only a quote on PostgreSQL: loading accepts it, check(migtest::Dialect::postgresql) does
  // not.
  dir.write("aaa_x.sql",
            "-- revision: aaa\n-- down_revision: none\n-- migrate:up\nSELECT 1;\nSELECT $$;\n"
            "-- migrate:down\nSELECT 0;\n");
  History h = load_history(dir.string());
  EXPECT_NO_THROW(h.check(migtest::Dialect::sqlite));
  try {
    h.check(migtest::Dialect::postgresql);
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_EQ(e.line(), 5);
    EXPECT_THAT(e.file(), HasSubstr("aaa_x.sql"));
  }
}

TEST(History, MissingDialectSectionIsReported) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dialect");
  dir.write("aaa_x.sql",
            "-- revision: aaa\n-- down_revision: none\n-- migrate:up postgresql\nSELECT 1;\n"
            "-- migrate:down postgresql\nSELECT 0;\n");
  History h = load_history(dir.string());
  EXPECT_NO_THROW(h.check(migtest::Dialect::postgresql));
  try {
    h.script("aaa").up.statements(migtest::Dialect::sqlite);
    FAIL();
  } catch (const parse_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no section for sqlite (sections for: postgresql)"));
  }
  EXPECT_THROW(h.check(migtest::Dialect::sqlite), parse_error);
}

// The exception loading `directory` throws, to read its fields.
template <typename E>
std::optional<E> load_failure(const std::string& directory) {
  try {
    load_history(directory);
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << directory << ": no exception of the expected type";
  return std::nullopt;
}

TEST(HistoryErrorFields, ParseErrorWhereIsTheFileAndLine) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-where");
  dir.write("aaa_x.sql", "-- revision: aaa\n-- down_revision: none\n-- transactional: no\n");
  auto e = load_failure<parse_error>(dir.string());
  ASSERT_TRUE(e);
  EXPECT_THAT(e->where().file, ::testing::EndsWith("aaa_x.sql"));
  EXPECT_EQ(e->where().line, 3);
  EXPECT_TRUE(e->code().empty());
  EXPECT_TRUE(e->statement().empty());
}

TEST(HistoryErrorFields, GraphErrorsOfFilesNameTheirRevisions) {
  auto dup = load_failure<duplicate_revision_error>(histories("malformed/duplicate_id"));
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->id(), "aaaa00000001");
  EXPECT_THAT((std::vector<std::string>{dup->first_file(), dup->second_file()}),
              ::testing::UnorderedElementsAre(::testing::EndsWith("aaaa00000001_first.sql"),
                                              ::testing::EndsWith("aaaa00000001_second.sql")));
  auto cycle = load_failure<cycle_error>(histories("malformed/cycle"));
  ASSERT_TRUE(cycle);
  EXPECT_THAT(cycle->cycle(), ::testing::UnorderedElementsAre("c00000000001", "c00000000002"));
  auto missing = load_failure<missing_revision_error>(histories("malformed/unknown_parent"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->missing(), "ffffffffffff");
  EXPECT_EQ(missing->referenced_by(), "e00000000001");
}

TEST(HistoryErrorFields, ForeignDuplicateNamesTheVersionAndBothFiles) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dupfields");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("01_b.up.sql", "SELECT 2;");
  auto e = load_failure<duplicate_revision_error>(dir.string());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id(), "1");
  EXPECT_THAT((std::vector<std::string>{e->first_file(), e->second_file()}),
              ::testing::UnorderedElementsAre(::testing::EndsWith("/1_a.up.sql"),
                                              ::testing::EndsWith("/01_b.up.sql")));
}

TEST(History, GooseGoMigrationsAreAnError) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goosego");
  dir.write("00001_a.sql", "-- +goose Up\nSELECT 1;\n");
  dir.write("00002_b.go", "package migrations\n");
  EXPECT_THROW(load_history(dir.string()), parse_error);
}

TEST(History, DuplicateForeignVersions) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dupgolang");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("01_b.up.sql", "SELECT 2;");
  EXPECT_THROW(load_history(dir.string()), duplicate_revision_error);
}

}  // namespace
}  // namespace migtest
