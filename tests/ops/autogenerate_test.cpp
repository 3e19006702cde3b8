// revision --autogenerate end to end, through the CLI of a project that gives its models:
// the written revision, applied with upgrade head, leaves no difference from the models, and
// downgrade -1 gives back the schema before it exactly.
#include "migtest/autogenerate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <sstream>

#include "migtest/cli.hpp"
#include "migtest/dialect.hpp"
#include "migtest/registry.hpp"
#include "migtest/runner.hpp"
#include "support/files.hpp"
#include "support/scratch.hpp"

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = boost::filesystem;

namespace {

migtest::Metadata blog_v1() {
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("fingerprint", migtest::String(40), migtest::unique)
      .column("username", migtest::String(50), migtest::nullable)
      .column("nickname", migtest::String(20), migtest::nullable);
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{},
              migtest::foreign_key("user.id", migtest::on_delete::cascade))
      .column("title", migtest::String(100));
  return md;
}

// The change: a new column with a default, a column made NOT NULL, a type change, a dropped
// column, a new index, a new check, a new table that refers to an old one.
migtest::Metadata blog_v2() {
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("fingerprint", migtest::String(40), migtest::unique)
      .column("username", migtest::String(50))
      .column("karma", migtest::Integer{}, migtest::server_default("0"));
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{},
              migtest::foreign_key("user.id", migtest::on_delete::cascade))
      .column("title", migtest::Text{})
      .index("ix_post_title", {"title"})
      .check("ck_post_title", "length(title) > 0");
  md.table("comment")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("post_id", migtest::Integer{}, migtest::foreign_key("post.id"))
      .column("body", migtest::Text{});
  return md;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> files(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class AutogenerateTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { tmp_.mkdir("versions"); }

  // The project's own migtest command: migtest::cli::main with its models.
  int cli(const std::string& url, const migtest::Metadata& models, std::vector<std::string> args) {
    static migtest::Registry none;
    std::vector<std::string> all = {"migtest", "--url", url, "--migrations",
                                    (dir_ / "versions").string()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    return migtest::cli::main(static_cast<int>(argv.size()), argv.data(), none, models);
  }

  const migtest::test::TempDir tmp_{"migtest-autogen"};
  const fs::path& dir_ = tmp_.path();
};

TEST_P(AutogenerateTest, RevisionAppliedEqualsTheModelsAndDowngradesExactly) {
  MIGTEST_SCRATCH(db, GetParam());
  const std::string dialect = GetParam();
  const migtest::Metadata v1 = blog_v1(), v2 = blog_v2();

  // First revision from nothing: the two tables.
  ASSERT_EQ(cli(db.url(), v1, {"revision", "--autogenerate", "-m", "create blog"}), 0);
  ASSERT_EQ(files(dir_ / "versions", ".sql").size(), 1u);
  ASSERT_EQ(cli(db.url(), v1, {"upgrade", "head"}), 0);
  auto c = db.connect_to();
  EXPECT_THAT(migtest::compare(migtest::reflect(*c), migtest::expected_schema(v1, *c)),
              ::testing::IsEmpty());

  c->execute(
      R"(INSERT INTO "user" (id, fingerprint, username, nickname) VALUES (1, 'f1', 'ann', 'a'), (2, 'f2', 'bob', NULL))");
  c->execute("INSERT INTO post (id, author_id, title) VALUES (10, 1, 'Hello'), (11, 2, 'World')");
  const migtest::Schema before = migtest::reflect(*c);

  // Nothing changed: no file.
  ASSERT_EQ(cli(db.url(), v1, {"revision", "--autogenerate", "-m", "nothing"}), 0);
  EXPECT_EQ(files(dir_ / "versions", ".sql").size(), 1u);

  ASSERT_EQ(cli(db.url(), v2, {"revision", "--autogenerate", "-m", "karma and comments"}), 0);
  auto written = files(dir_ / "versions", ".sql");
  ASSERT_EQ(written.size(), 2u);
  std::string text = slurp(written[0]).find("karma and comments") != std::string::npos
                         ? slurp(written[0])
                         : slurp(written[1]);
  EXPECT_THAT(text, HasSubstr("-- migrate:up " + dialect));
  EXPECT_THAT(text, HasSubstr("-- migrate:down " + dialect));
  EXPECT_THAT(text, HasSubstr("NOTE: column user.nickname was removed"));  // said where it guessed

  ASSERT_EQ(cli(db.url(), v2, {"upgrade", "head"}), 0);
  EXPECT_THAT(migtest::compare(migtest::reflect(*c), migtest::expected_schema(v2, *c)),
              ::testing::IsEmpty());
  EXPECT_EQ(c->scalar(R"(SELECT sum(karma) FROM "user")").as_int(), 0);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 2);
  EXPECT_EQ(c->scalar("SELECT title FROM post WHERE id = 11").as_text(), "World");

  ASSERT_EQ(cli(db.url(), v2, {"downgrade", "-1"}), 0);
  EXPECT_EQ(migtest::reflect(*c), before);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 2);
  EXPECT_EQ(c->scalar(R"(SELECT username FROM "user" WHERE id = 2)").as_text(), "bob");
}

TEST_P(AutogenerateTest, CppRevisionUsesTheOperations) {
  MIGTEST_SCRATCH(db, GetParam());
  ASSERT_EQ(cli(db.url(), blog_v1(), {"revision", "--autogenerate", "-m", "create blog"}), 0);
  ASSERT_EQ(cli(db.url(), blog_v2(), {"revision", "--autogenerate", "--cpp", "-m", "karma"}), 0);
  auto cpp = files(dir_ / "versions", ".cpp");
  ASSERT_EQ(cpp.size(), 1u);
  std::string text = slurp(cpp[0]);
  EXPECT_THAT(text, HasSubstr("MIGTEST_REVISION("));
  EXPECT_THAT(text, HasSubstr("MIGTEST_DOWNGRADE("));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(op.add_column("user", migtest::column("karma", migtest::Integer{}, migtest::server_default("0")));)"));
  EXPECT_THAT(
      text, HasSubstr(R"(op.alter_column("user", "username", migtest::alter().nullable(false));)"));
  EXPECT_THAT(text, HasSubstr(R"(op.drop_column("user", "nickname");)"));
  EXPECT_THAT(text, HasSubstr(R"(op.create_table("comment", [](migtest::TableBuilder& t) {)"));
}

TEST_P(AutogenerateTest, NotNullColumnWithoutServerDefaultIsNotedOnStderrAndInTheFile) {
  MIGTEST_SCRATCH(db, GetParam());
  ASSERT_EQ(cli(db.url(), blog_v1(), {"revision", "--autogenerate", "-m", "create blog"}), 0);
  migtest::Metadata md;
  md.table("user")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("fingerprint", migtest::String(40), migtest::unique)
      .column("username", migtest::String(50), migtest::nullable)
      .column("nickname", migtest::String(20), migtest::nullable)
      .column("karma", migtest::Integer{});
  md.table("post")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("author_id", migtest::Integer{},
              migtest::foreign_key("user.id", migtest::on_delete::cascade))
      .column("title", migtest::String(100));
  ::testing::internal::CaptureStderr();
  int rc = cli(db.url(), md, {"revision", "--autogenerate", "-m", "karma"});
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(rc, 0) << err;
  const std::string note =
      "column user.karma is added NOT NULL without a server default: the upgrade fails on a "
      "table that has rows";
  EXPECT_THAT(err, HasSubstr("note: " + note));
  auto written = files(dir_ / "versions", ".sql");
  ASSERT_EQ(written.size(), 2u);
  std::string text = slurp(written[0]) + slurp(written[1]);
  EXPECT_THAT(text, HasSubstr("-- NOTE: " + note));
}

INSTANTIATE_TEST_SUITE_P(Backends, AutogenerateTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(AutogenerateAllDialects, OneSectionPerDialectAndTheSqliteOneApplies) {
  migtest::test::ScratchDatabase db("sqlite");
  const migtest::test::TempDir tmp("migtest-autogen");
  tmp.mkdir("versions");
  const fs::path& dir = tmp.path();
  static migtest::Registry none;
  auto run = [&](const migtest::Metadata& md, std::vector<std::string> args) {
    std::vector<std::string> all = {"migtest", "--url", db.url(), "--migrations",
                                    (dir / "versions").string()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    return migtest::cli::main(static_cast<int>(argv.size()), argv.data(), none, md);
  };
  ASSERT_EQ(run(blog_v1(), {"revision", "--autogenerate", "--dialect", "all", "-m", "create blog"}),
            0);
  auto written = files(dir / "versions", ".sql");
  ASSERT_EQ(written.size(), 1u);
  std::string text = slurp(written[0]);
  EXPECT_THAT(text, HasSubstr("-- migrate:up sqlite"));
  EXPECT_THAT(text, HasSubstr("-- migrate:up postgresql"));
  EXPECT_THAT(text, HasSubstr("GENERATED BY DEFAULT AS IDENTITY"));
  ASSERT_EQ(run(blog_v1(), {"upgrade", "head"}), 0);
  auto c = db.connect_to();
  EXPECT_THAT(migtest::compare(migtest::reflect(*c),
                               migtest::expected_schema(blog_v1(), migtest::Dialect::sqlite)),
              ::testing::IsEmpty());
}

// --dialect takes exactly the words it always took: sqlite, postgresql, all. Any other word
// (an unknown one, or an alias the URL parser would read, such as pg) is refused, named,
// before anything is compared or written.
TEST(AutogenerateCli, AWordOtherThanSqlitePostgresqlOrAllIsRefusedNamingIt) {
  migtest::test::ScratchDatabase db("sqlite");
  const migtest::test::TempDir tmp("migtest-autogen");
  tmp.mkdir("versions");
  static migtest::Registry none;
  for (std::string word : {"oracle", "pg", "SQLite"}) {
    std::vector<std::string> all = {"migtest",
                                    "--url",
                                    db.url(),
                                    "--migrations",
                                    (tmp.path() / "versions").string(),
                                    "revision",
                                    "--autogenerate",
                                    "--dialect",
                                    word,
                                    "-m",
                                    "x"};
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    ::testing::internal::CaptureStderr();
    int code = migtest::cli::main(static_cast<int>(argv.size()), argv.data(), none, blog_v1());
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(code, 0) << word;
    EXPECT_THAT(err, HasSubstr("--dialect '" + word + "': expected sqlite, postgresql or all"));
    EXPECT_THAT(files(tmp.path() / "versions", ".sql"), ::testing::IsEmpty()) << word;
  }
}

TEST(PortableType, MapsBackWhatRendersTheSame) {
  EXPECT_EQ(migtest::portable_type("varchar(50)", migtest::Dialect::sqlite),
            migtest::Type(migtest::String(50)));
  EXPECT_EQ(migtest::portable_type("character varying(50)", migtest::Dialect::postgresql),
            migtest::Type(migtest::String(50)));
  EXPECT_EQ(migtest::portable_type("numeric(10,2)", migtest::Dialect::postgresql),
            migtest::Type(migtest::Numeric(10, 2)));
  EXPECT_EQ(migtest::portable_type("timestamp with time zone", migtest::Dialect::postgresql),
            migtest::Type(migtest::DateTime(migtest::with_timezone)));
  EXPECT_EQ(
      migtest::portable_type("int4range", migtest::Dialect::postgresql),
      migtest::Type(migtest::Raw(std::map<std::string, std::string>{{"postgresql", "int4range"}})));
}

}  // namespace

// A foreign key added to an existing table is written with the ReferentialAction enum that
// op.create_foreign_key takes: trailing actions only as far as the last one that is not
// NO ACTION.
TEST(AutogenerateCpp, ForeignKeyActionsAreWrittenAsTheEnum) {
  migtest::Revision r;
  r.id = "f00d00000001";
  r.message = "post author";
  auto revision_with = [&](migtest::ReferentialAction on_delete,
                           migtest::ReferentialAction on_update) {
    migtest::ForeignKeyDef f;
    f.name = "fk_post_user";
    f.columns = {"user_id"};
    f.referred_table = "user";
    f.referred_columns = {"id"};
    f.on_delete = on_delete;
    f.on_update = on_update;
    migtest::Autogenerated g;
    g.upgrade.push_back(migtest::ops::CreateForeignKey{"", "post", f});
    return migtest::render_cpp_revision(r, g);
  };
  using A = migtest::ReferentialAction;
  EXPECT_THAT(
      revision_with(A::no_action, A::no_action),
      HasSubstr(R"(op.create_foreign_key("fk_post_user", "post", "user", {"user_id"}, {"id"});)"));
  EXPECT_THAT(revision_with(A::cascade, A::no_action),
              HasSubstr(R"({"id"}, migtest::ReferentialAction::cascade);)"));
  EXPECT_THAT(
      revision_with(A::no_action, A::set_null),
      HasSubstr(
          R"({"id"}, migtest::ReferentialAction::no_action, migtest::ReferentialAction::set_null);)"));
}

// A new table's deferrable foreign key is written with the Initially enum that
// migtest::deferrable takes, and the written call declares the same foreign key again.
TEST(AutogenerateCpp, DeferrableForeignKeysAreWrittenWithTheInitiallyEnum) {
  migtest::Revision r;
  r.id = "f00d00000002";
  r.message = "tags";
  auto revision_with = [&](migtest::Initially initially) {
    migtest::Metadata md;
    md.table("tag")
        .column("id", migtest::Integer{}, migtest::primary_key)
        .column("post_id", migtest::Integer{},
                migtest::foreign_key("post.id", migtest::named("fk_tag_post"),
                                     migtest::deferrable(initially)));
    migtest::Autogenerated g;
    g.upgrade.push_back(migtest::ops::CreateTable{md.tables().front()});
    return migtest::render_cpp_revision(r, g);
  };
  EXPECT_THAT(revision_with(migtest::Initially::deferred),
              HasSubstr(R"(migtest::named("fk_tag_post"), )"
                        R"(migtest::deferrable(migtest::Initially::deferred)))"));
  EXPECT_THAT(revision_with(migtest::Initially::immediate),
              HasSubstr(R"(migtest::named("fk_tag_post"), migtest::deferrable()))"));
}
