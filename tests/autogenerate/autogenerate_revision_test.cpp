// autogenerate_revision(), the library's autogenerate workflow, on real databases: the revision
// it makes is written to a migrations directory, applied by the runner, and must give the
// models' schema (and back down, the schema before); several changes of one SQLite table are
// one table rebuild; a NOT NULL column without a server default gets its note.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>

#include "migtest/autogenerate.hpp"
#include "migtest/dialect.hpp"
#include "migtest/runner.hpp"
#include "support/files.hpp"
#include "support/scratch.hpp"

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
namespace fs = boost::filesystem;

namespace {

migtest::Metadata v1() {
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("name", migtest::Text{}, migtest::nullable)
      .column("email", migtest::String(100), migtest::nullable);
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{}, migtest::foreign_key("user.id"))
      .column("title", migtest::Text{});
  return md;
}

// Four changes of user, each of which SQLite's ALTER TABLE cannot make (one table rebuild
// each, unbatched); post, which refers to user, unchanged.
migtest::Metadata v2() {
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("name", migtest::String(50), migtest::server_default("'anonymous'"))
      .column("email", migtest::String(100), migtest::nullable, migtest::unique)
      .check("ck_user_name", "length(name) > 0");
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{}, migtest::foreign_key("user.id"))
      .column("title", migtest::Text{});
  return md;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class AutogenerateRevisionTest : public ::testing::TestWithParam<std::string> {
 protected:
  // The options that compare on the test's dialect: a PostgreSQL scratch database goes on
  // the test server.
  migtest::AutogenerateRevisionOptions options() const {
    migtest::AutogenerateRevisionOptions o;
    if (GetParam() == "postgresql") o.url = migtest::test::postgres_url();
    return o;
  }

  migtest::History history() const { return migtest::load_history(dir_.string()); }

  // The next revision: built on the history's head, generated, written when not empty.
  migtest::GeneratedRevision next(const migtest::Metadata& models, const std::string& message,
                                  migtest::AutogenerateRevisionOptions o) {
    migtest::History h = history();
    migtest::Revision r;
    r.id = migtest::new_revision_id();
    r.message = message;
    r.down_revisions = h.graph().heads();
    migtest::GeneratedRevision g = migtest::autogenerate_revision(h, models, r, o);
    if (!g.empty()) std::ofstream(dir_ / g.file_name) << g.text;
    return g;
  }

  const migtest::test::TempDir tmp_{"migtest-autogen-lib"};
  const fs::path dir_ = tmp_.path();
};

TEST_P(AutogenerateRevisionTest, RevisionAppliesGivesTheModelsAndDowngradesExactly) {
  MIGTEST_SCRATCH(db, GetParam());
  ASSERT_FALSE(next(v1(), "create", options()).empty());
  auto c = db.connect_to();
  const migtest::History h1 = history();
  migtest::Runner(*c, h1).upgrade("head");
  c->execute(R"(INSERT INTO "user" (id, name, email) VALUES (1, 'ann', 'ann@example.com'))");
  c->execute("INSERT INTO post (id, author_id, title) VALUES (10, 1, 'Hello')");
  const migtest::Schema before = migtest::reflect(*c);

  migtest::GeneratedRevision g = next(v2(), "tighten user", options());
  ASSERT_FALSE(g.empty());
  EXPECT_THAT(g.warnings, IsEmpty());
  EXPECT_THAT(g.file_name, ::testing::EndsWith("_tighten_user.sql"));
  EXPECT_THAT(g.text, HasSubstr("-- migrate:up " + GetParam()));
  EXPECT_THAT(g.generated.detected,
              ::testing::Contains("Detected added check constraint 'ck_user_name' on 'user'"));
  if (GetParam() == "sqlite") {
    // One rebuild of user each way, not one per change.
    EXPECT_EQ(count(g.text, "-- table rebuild of user"), 2u) << g.text;
  }

  const migtest::History h2 = history();
  migtest::Runner runner(*c, h2);
  runner.upgrade("head");
  EXPECT_THAT(migtest::compare(migtest::reflect(*c), migtest::expected_schema(v2(), *c)),
              IsEmpty());
  EXPECT_EQ(c->scalar(R"(SELECT email FROM "user" WHERE id = 1)").as_text(), "ann@example.com");
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 1);

  runner.downgrade("-1");
  EXPECT_EQ(migtest::reflect(*c), before);
  EXPECT_EQ(c->scalar(R"(SELECT name FROM "user" WHERE id = 1)").as_text(), "ann");
}

TEST_P(AutogenerateRevisionTest, NothingChangedIsAnEmptyRevision) {
  ASSERT_FALSE(next(v1(), "create", options()).empty());
  migtest::GeneratedRevision g = next(v1(), "again", options());
  EXPECT_TRUE(g.empty());
  EXPECT_EQ(g.file_name, "");
  EXPECT_THAT(g.generated.differences, IsEmpty());
}

TEST_P(AutogenerateRevisionTest, NotNullColumnWithoutServerDefaultIsNoted) {
  ASSERT_FALSE(next(v1(), "create", options()).empty());
  migtest::Metadata karma;
  karma.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("name", migtest::Text{}, migtest::nullable)
      .column("email", migtest::String(100), migtest::nullable)
      .column("karma", migtest::Integer{})                               // noted
      .column("rank", migtest::Integer{}, migtest::server_default("0"))  // fills the rows
      .column("motto", migtest::Text{}, migtest::nullable);              // NULL is fine
  karma.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{}, migtest::foreign_key("user.id"))
      .column("title", migtest::Text{});
  migtest::GeneratedRevision g = next(karma, "karma", options());
  const std::string note =
      "column user.karma is added NOT NULL without a server default: the upgrade fails on a "
      "table that has rows";
  ASSERT_EQ(g.generated.notes.size(), 1u) << ::testing::PrintToString(g.generated.notes);
  EXPECT_THAT(g.generated.notes[0], HasSubstr(note));
  EXPECT_THAT(g.text, HasSubstr("-- NOTE: " + note));
}

TEST_P(AutogenerateRevisionTest, CppRevisionBatchesTheChangesOfOneTable) {
  ASSERT_FALSE(next(v1(), "create", options()).empty());
  migtest::AutogenerateRevisionOptions o = options();
  o.cpp = true;
  migtest::GeneratedRevision g = next(v2(), "tighten user", o);
  EXPECT_THAT(g.file_name, ::testing::EndsWith("_tighten_user.cpp"));
  EXPECT_THAT(g.text, HasSubstr("MIGTEST_REVISION("));
  EXPECT_THAT(g.text, HasSubstr("  op.batch([&] {\n    op.alter_column(\"user\", \"name\""));
}

INSTANTIATE_TEST_SUITE_P(Backends, AutogenerateRevisionTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(AutogenerateRevision, EveryDialectGetsItsSection) {
  const migtest::test::TempDir tmp("migtest-autogen-lib");
  migtest::AutogenerateRevisionOptions o;
  o.dialects = {migtest::Dialect::sqlite, migtest::Dialect::postgresql};
  migtest::Revision r;
  r.id = "abc123";
  r.message = "create";
  auto g = migtest::autogenerate_revision(migtest::load_history(tmp.path().string()), v1(), r, o);
  EXPECT_THAT(g.text, HasSubstr("-- migrate:up sqlite"));
  EXPECT_THAT(g.text, HasSubstr("-- migrate:up postgresql"));
  EXPECT_THAT(g.text, HasSubstr("-- migrate:down postgresql"));
}

}  // namespace
