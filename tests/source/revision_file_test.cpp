#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "migtest/source.hpp"
#include "source/formats.hpp"
#include "source/sha256.hpp"
#include "support/files.hpp"

namespace migtest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RevisionScript parse(const std::string& text) {
  return detail::parse_migtest_file("versions/x.sql", text);
}

std::string error_of(const std::string& text, int* line = nullptr) {
  try {
    parse(text);
  } catch (const parse_error& e) {
    EXPECT_EQ(e.file(), "versions/x.sql");
    if (line) *line = e.line();
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

const char* head = "-- revision: abc123\n-- down_revision: none\n";

TEST(RevisionFile, HeaderFields) {
  RevisionScript s = parse(
      "-- A comment before the header fields is fine.\n"
      "-- revision: abc123\n"
      "-- down_revision: p1, p2\n"
      "-- message: Merge: the two branches\n"
      "-- created: 2024-01-15T10:30:00Z\n"
      "-- branch_labels: billing, ops-team\n"
      "-- depends_on: d1\n"
      "-- transaction: false\n"
      "-- TODO: nothing\n"
      "\n"
      "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");
  const Revision& r = s.revision;
  EXPECT_EQ(r.id, "abc123");
  EXPECT_THAT(r.down_revisions, ElementsAre("p1", "p2"));
  EXPECT_EQ(r.message, "Merge: the two branches");
  EXPECT_EQ(r.created, "2024-01-15T10:30:00Z");
  EXPECT_THAT(r.branch_labels, ElementsAre("billing", "ops-team"));
  EXPECT_THAT(r.depends_on, ElementsAre("d1"));
  EXPECT_FALSE(r.transactional);
  EXPECT_TRUE(r.reversible);
  EXPECT_EQ(r.file, "versions/x.sql");
  ASSERT_EQ(s.up.sections.size(), 1u);
  EXPECT_EQ(s.up.sections[0].first_line, 12);
  EXPECT_EQ(s.up.statements(migtest::Dialect::sqlite).at(0).line, 12);
}

TEST(RevisionFile, MessageDefaultsToTheFileName) {
  RevisionScript s = detail::parse_migtest_file("versions/abc123_add_karma.sql",
                                                std::string(head) + "-- migrate:up\nSELECT 1;\n");
  EXPECT_EQ(s.revision.message, "add karma");
}

TEST(RevisionFile, Reversibility) {
  EXPECT_FALSE(parse(std::string(head) + "-- migrate:up\nSELECT 1;\n").revision.reversible);
  EXPECT_FALSE(parse(std::string(head) + "-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\n")
                   .revision.reversible);
  RevisionScript noop = parse(std::string(head) + "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
  EXPECT_TRUE(noop.revision.reversible);  // an empty down section: nothing to undo
  EXPECT_TRUE(noop.down.statements(migtest::Dialect::sqlite).empty());
}

TEST(RevisionFile, DialectSectionWinsOverGeneric) {
  RevisionScript s = parse(std::string(head) +
                           "-- migrate:up\nSELECT 'any';\n"
                           "-- migrate:up postgres\nSELECT 'pg';\n"
                           "-- migrate:down\nSELECT 'down';\n");
  EXPECT_EQ(s.up.statements(migtest::Dialect::postgresql).at(0).sql, "SELECT 'pg'");
  EXPECT_EQ(s.up.statements(migtest::Dialect::sqlite).at(0).sql, "SELECT 'any'");
  EXPECT_EQ(s.up.sections[1].dialect, migtest::Dialect::postgresql);  // "postgres" is an alias
}

TEST(RevisionFile, MergeMayBeEmpty) {
  RevisionScript s = parse("-- revision: m1\n-- down_revision: a, b\n-- migrate:up\n");
  EXPECT_TRUE(s.revision.reversible);
  RevisionScript bare = parse("-- revision: m1\n-- down_revision: a, b\n");
  EXPECT_TRUE(bare.up.sections.empty());
  EXPECT_TRUE(bare.revision.reversible);
  EXPECT_FALSE(bare.down.empty());
}

TEST(RevisionFile, ChecksumIsSha256OfTheBytes) {
  std::string text = std::string(head) + "-- migrate:up\nSELECT 1;\n";
  EXPECT_EQ(parse(text).checksum, detail::sha256_hex(text));
}

TEST(RevisionFile, ByteOrderMarkAndCrlf) {
  RevisionScript s = parse(
      "\xEF\xBB\xBF-- revision: abc123\r\n-- down_revision: none\r\n"
      "-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n");
  EXPECT_EQ(s.revision.id, "abc123");
  EXPECT_EQ(s.up.statements(migtest::Dialect::sqlite).at(0).sql, "SELECT 1");
  EXPECT_EQ(s.down.statements(migtest::Dialect::sqlite).at(0).line, 6);
}

// The file `migtest revision` writes, before anyone fills it in: a valid no-op both ways, as
// Alembic's `def upgrade(): pass` is.
TEST(RevisionFile, EmptySectionsAreANoOp) {
  RevisionScript s = parse(std::string(head) +
                           "-- migrate:up\n\n-- nothing yet\n-- migrate:down\n-- the inverse\n");
  EXPECT_TRUE(s.revision.reversible);
  EXPECT_TRUE(s.up.statements(migtest::Dialect::sqlite).empty());
  EXPECT_TRUE(s.up.statements(migtest::Dialect::postgresql).empty());
  EXPECT_TRUE(s.down.statements(migtest::Dialect::postgresql).empty());

  // An empty dialect section: nothing on SQLite, the generic SQL elsewhere.
  RevisionScript d = parse(std::string(head) +
                           "-- migrate:up sqlite\n-- migrate:up\nSELECT 1;\n"
                           "-- migrate:down sqlite\n-- migrate:down\nSELECT 2;\n");
  EXPECT_TRUE(d.up.statements(migtest::Dialect::sqlite).empty());
  EXPECT_THAT(d.up.statements(migtest::Dialect::postgresql), ElementsAre(Statement{"SELECT 1", 5}));

  // Still split: an unterminated quote in an otherwise empty-looking section is refused.
  EXPECT_THAT(error_of(std::string(head) + "-- migrate:up\n-- ok\nSELECT 'open\n"),
              HasSubstr("unterminated string literal"));
}

struct BadFile {
  std::string text;
  int line;
  const char* message;
};

TEST(RevisionFile, MalformedHeadersAndSections) {
  const std::vector<BadFile> bad = {
      {"-- down_revision: none\n-- migrate:up\nSELECT 1;\n", 1,
       "missing header field -- revision:"},
      {"-- revision: abc\n-- migrate:up\nSELECT 1;\n", 1, "missing header field -- down_revision:"},
      {"-- revision: abc\n-- down_revision:\n-- migrate:up\nSELECT 1;\n", 2,
       "empty -- down_revision:"},
      {"-- revision: a-b\n-- down_revision: none\n", 1, "invalid revision id 'a-b'"},
      {"-- revision: abc\n-- revision: abd\n", 2, "second -- revision: (first on line 1)"},
      {"-- revision: abc\n-- down_revison: none\n", 2, "did you mean down_revision?"},
      {"-- revision: abc\n-- depends: x\n", 2, "did you mean depends_on?"},
      {"-- revision: abc\n-- down_revision: none\n-- created: yesterday\n", 3,
       "not an ISO-8601 date"},
      {"-- revision: abc\n-- down_revision: none\n-- transaction: maybe\n", 3, "true or false"},
      {"-- revision: abc\n-- down_revision: none\nCREATE TABLE t (x INT);\n", 3,
       "SQL before -- migrate:up"},
      {std::string(head) + "-- migrate:down\nSELECT 1;\n", 1, "no -- migrate:up section"},
      {std::string(head) + "-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n", 5,
       "second -- migrate:up section (first on line 3)"},
      {std::string(head) + "-- migrate:up oracle\nSELECT 1;\n", 3, "unknown dialect 'oracle'"},
      {std::string(head) + "-- migrate:up transaction:false\nSELECT 1;\n", 3, "go in the header"},
      {std::string(head) +
           "-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\nDROP TABLE t;\n",
       5, "irreversible holds SQL"},
      {std::string(head) + "-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\n-- "
                           "migrate:down sqlite\nSELECT 2;\n",
       5, "next to other -- migrate:down"},
      {std::string(head) + "-- migrate:up\nSELECT 1;\n-- migrate:down postgresql\nSELECT 2;\n", 3,
       "no down section for sqlite"},
      {std::string(head) + "-- migrate:up\nSELECT 'open;\n-- migrate:down\nSELECT 2;\n", 4,
       "unterminated string literal"},
      {std::string(head) + "-- migrate:up sqlite\nSELECT 1 /* open;\n", 4,
       "unterminated /* comment"},
  };
  for (const auto& b : bad) {
    int line = -1;
    std::string msg = error_of(b.text, &line);
    EXPECT_THAT(msg, HasSubstr(b.message)) << b.text;
    EXPECT_EQ(line, b.line) << b.text << "\n" << msg;
  }
}

TEST(RevisionFile, WriteThenLoadRoundTrips) {
  const test::TempDir scratch(MIGTEST_BINARY_DIR, "scratch-source-write");
  const std::string dir = scratch / "versions";  // not there yet: writing creates it
  Revision r;
  r.id = "0123456789ab";
  r.down_revisions = {"a1", "b2"};
  r.message = "Add karma to users!";
  r.created = "2024-02-01T00:00:00Z";
  r.branch_labels = {"karma"};
  r.depends_on = {"d1"};
  r.transactional = false;
  std::string path = write_revision_file(dir, r, "ALTER TABLE u ADD COLUMN k INT;\n",
                                         "ALTER TABLE u DROP COLUMN k;");
  EXPECT_EQ(path, dir + "/0123456789ab_add_karma_to_users.sql");
  RevisionScript s = detail::parse_migtest_file(path, [&] {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  Revision expected = r;
  expected.file = path;
  EXPECT_EQ(s.revision, expected);
  EXPECT_EQ(s.up.statements(migtest::Dialect::sqlite).at(0).sql, "ALTER TABLE u ADD COLUMN k INT");
  EXPECT_EQ(s.down.statements(migtest::Dialect::sqlite).at(0).sql, "ALTER TABLE u DROP COLUMN k");
  try {
    write_revision_file(dir, r, "SELECT 1;", "");
    ADD_FAILURE() << "an existing revision file was overwritten";
  } catch (const state_error& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(e.where().revision, r.id);
  }

  Revision irreversible;
  irreversible.id = "0123456789ac";
  irreversible.down_revisions = {"0123456789ab"};
  irreversible.reversible = false;
  std::string p2 = write_revision_file(dir, irreversible, "DELETE FROM u;", "");
  EXPECT_EQ(p2, dir + "/0123456789ac.sql");
  std::ifstream in(p2);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(text, HasSubstr("-- migrate:down irreversible"));
  EXPECT_THAT(text, HasSubstr("-- created: 20"));  // filled in
  EXPECT_FALSE(detail::parse_migtest_file(p2, text).revision.reversible);
  EXPECT_THROW(write_revision_file(dir, Revision{}, "SELECT 1;", ""), graph_error);
}

TEST(RevisionFile, NewIdsAreTwelveHexDigitsAndDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    std::string id = new_revision_id();
    EXPECT_EQ(id.size(), 12u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(RevisionFile, Slugify) {
  EXPECT_EQ(slugify("Add karma to users"), "add_karma_to_users");
  EXPECT_EQ(slugify("  Fix: \"user\".karma!! "), "fix_user_karma");
  EXPECT_EQ(slugify(""), "");
  EXPECT_LE(slugify(std::string(100, 'a')).size(), 40u);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(detail::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(detail::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(detail::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(detail::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes: the padding edges.
  EXPECT_EQ(detail::sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(detail::sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(detail::sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace migtest
