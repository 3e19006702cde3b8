// Alembic's verbs and flags through the real binary: merge, branches, history -r, current -v,
// edit, ensure_version, revision --branch-label/--depends-on/--head, revision --cpp, downgrade
// --sql FROM:TO, an unfilled new revision, and the error for an unknown command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <regex>

#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "support/revisions.hpp"
#include "support/scratch.hpp"

using migtest::test::revision_file;
using migtest::test::run_migtest;
using migtest::test::shell_quote;
using migtest::test::slurp;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

namespace fs = boost::filesystem;

class VerbsTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir()); }
  std::string dir() const { return tmp_ / "versions"; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir() + "/" + name) << text;
  }
  migtest::test::Output run(const std::string& args, const std::string& env = "") const {
    return run_migtest("--migrations " + shell_quote(dir()) + " " + args, tmp_.path(), env);
  }
  // a1 <- b1 (billing) and a1 <- c1: two heads.
  void two_heads() const {
    write("a1_base.sql", revision_file("a1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;"));
    write("b1_billing.sql", revision_file("b1", "a1", "CREATE TABLE bill (id INTEGER);",
                                          "DROP TABLE bill;", "-- branch_labels: billing\n"));
    write("c1_core.sql",
          revision_file("c1", "a1", "CREATE TABLE core (id INTEGER);", "DROP TABLE core;"));
  }
  // The header line `name: value` of the file whose path the command printed.
  static std::string header(const std::string& path, const std::string& name) {
    std::smatch m;
    std::string text = slurp(path);
    if (!std::regex_search(text, m, std::regex("-- " + name + ": ([^\n]*)"))) return "";
    return m[1];
  }
  static std::string printed_path(const migtest::test::Output& r) {
    return r.out.substr(0, r.out.find('\n'));
  }

  const migtest::test::TempDir tmp_{"migtest-verbs"};
};

TEST_F(VerbsTest, UnknownCommandIsNamedWithTheNearestOne) {
  auto r = run_migtest("histroy", tmp_.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.err,
      "error: unknown command 'histroy': did you mean 'history'? (`migtest --help` lists them)\n");
  auto far = run_migtest("frobnicate", tmp_.path());
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.err, "error: unknown command 'frobnicate' (`migtest --help` lists them)\n");
  auto nested = run_migtest("cache lst", tmp_.path());
  EXPECT_THAT(nested.err, HasSubstr("unknown cache command 'lst': did you mean 'list'?"));
}

TEST_F(VerbsTest, MergeWritesANoOpRevisionOfTheHeads) {
  two_heads();
  auto refused = run("revision -m next");
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("migtest merge"));

  auto m = run("merge heads -m 'join billing'");
  ASSERT_EQ(m.code, 0) << m.err;
  std::string path = printed_path(m);
  EXPECT_EQ(header(path, "down_revision"), "b1, c1");
  EXPECT_EQ(header(path, "message"), "join billing");
  auto heads = run("heads");
  EXPECT_THAT(heads.out, HasSubstr("(merge)"));
  EXPECT_EQ(std::count(heads.out.begin(), heads.out.end(), '\n'), 1) << heads.out;

  // The merge runs: up to head and back to base on a real database.
  std::string url = "sqlite:///" + (tmp_ / "m.db");
  EXPECT_EQ(run("--url " + url + " upgrade head").code, 0);
  EXPECT_EQ(run("--url " + url + " downgrade base").code, 0);

  auto one = run("merge b1 -m x");
  EXPECT_EQ(one.code, 2);
  EXPECT_THAT(one.err, HasSubstr("two or more"));
}

TEST_F(VerbsTest, MergeTakesABranchLabelAndLabelHeads) {
  two_heads();
  auto m = run("merge billing@head c1 --branch-label joined");
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(header(printed_path(m), "down_revision"), "b1, c1");
  EXPECT_EQ(header(printed_path(m), "branch_labels"), "joined");
  EXPECT_EQ(header(printed_path(m), "message"), "merge");
  auto shown = run("show joined@head");
  EXPECT_THAT(shown.out, HasSubstr("Parent: b1, c1"));
}

TEST_F(VerbsTest, RevisionOutputDirWritesElsewhere) {
  two_heads();
  std::string other = tmp_ / "elsewhere";
  auto r = run("revision -m x --head c1 --output-dir " + shell_quote(other));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fs::path(printed_path(r)).parent_path().string(), other);
  EXPECT_EQ(header(printed_path(r), "down_revision"), "c1");
}

TEST_F(VerbsTest, MergeRefusesARevisionAndItsAncestor) {
  two_heads();
  auto r = run("merge a1 b1");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("a1 is already an ancestor of b1"));
}

TEST_F(VerbsTest, BranchesListsEachBranchPointWithItsChildren) {
  two_heads();
  auto r = run("branches");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "<base> -> a1 (branchpoint), ra1\n"
            "    -> b1 (head) (billing), rb1\n"
            "    -> c1 (head), rc1\n");
}

TEST_F(VerbsTest, HistoryRangeTakesAlembicsEnds) {
  write("a1_a.sql", revision_file("a1", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
  write("b2_b.sql", revision_file("b2", "a1", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;"));
  write("c3_c.sql", revision_file("c3", "b2", "CREATE TABLE c (id INTEGER);", "DROP TABLE c;"));
  write("d4_d.sql", revision_file("d4", "c3", "CREATE TABLE d (id INTEGER);", "DROP TABLE d;"));
  auto ids = [&](const std::string& range, const std::string& more = "") {
    auto r = run(more + "history -r " + shell_quote(range));
    EXPECT_EQ(r.code, 0) << r.err;
    std::string out;
    std::stringstream ss(r.out);
    for (std::string line; std::getline(ss, line);) {
      auto arrow = line.find(" -> ");
      out += line.substr(arrow + 4, 2) + " ";
    }
    return out;
  };
  EXPECT_EQ(ids("b2:c3"), "c3 b2 ");
  EXPECT_EQ(ids("c3:"), "d4 c3 ");
  EXPECT_EQ(ids(":b2"), "b2 a1 ");
  EXPECT_EQ(ids("base:head"), "d4 c3 b2 a1 ");
  EXPECT_EQ(ids("a1+1:d4-1"), "c3 b2 ");
  std::string url = "--url sqlite:///" + (tmp_ / "h.db") + " ";
  ASSERT_EQ(run(url + "upgrade c3").code, 0);
  EXPECT_EQ(ids("current:", url), "d4 c3 ");
  EXPECT_EQ(ids("-1:current", url), "c3 b2 ");
  auto bad = run("history -r b2");
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("expected START:END"));
}

TEST_F(VerbsTest, CurrentVerboseDescribesEachAppliedHead) {
  two_heads();
  std::string url = "--url sqlite:///" + (tmp_ / "c.db") + " ";
  ASSERT_EQ(run(url + "upgrade b1").code, 0);
  auto r = run(url + "current --verbose");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Rev: b1\nParent: a1\nBranch labels: billing\nPath: " + dir() +
                               "/b1_billing.sql"));
  EXPECT_THAT(r.out, HasSubstr("    rb1\n"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("Applied: 20[0-9-]+T[0-9:]+Z"));
  EXPECT_THAT(r.out, Not(HasSubstr("Rev: a1")));  // not a head
  auto plain = run(url + "current");
  EXPECT_EQ(plain.out, "b1\n");
}

TEST_F(VerbsTest, EditOpensTheRevisionFileInTheEditor) {
  two_heads();
  std::string editor = tmp_ / "editor.sh";
  std::ofstream(editor) << "#!/bin/sh\necho \"$1\" > " << (tmp_ / "edited") << "\n";
  fs::permissions(editor, fs::owner_all);
  auto r = run("edit billing@head", "VISUAL= EDITOR=" + shell_quote(editor));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(tmp_ / "edited"), dir() + "/b1_billing.sql\n");
  auto no_editor = run("edit c1", "VISUAL= EDITOR=");
  EXPECT_EQ(no_editor.code, 2);
  EXPECT_THAT(no_editor.err, HasSubstr("set $EDITOR to edit " + dir() + "/c1_core.sql"));
  auto several = run("edit head", "EDITOR=" + shell_quote(editor));
  EXPECT_EQ(several.code, 2);
  EXPECT_THAT(several.err, HasSubstr("multiple heads"));
}

void ensure_version_creates_only_the_table(const std::string& url,
                                           const boost::filesystem::path& cwd,
                                           const std::string& migrations) {
  auto r = run_migtest(
      "--url " + shell_quote(url) + " --migrations " + shell_quote(migrations) + " ensure_version",
      cwd);
  ASSERT_EQ(r.code, 0) << r.err;
  auto conn = migtest::connect(url);
  EXPECT_TRUE(migtest::test::has_table(*conn, "migtest_version"));
  EXPECT_FALSE(migtest::test::has_table(*conn, "t"));  // no revision ran
  auto current = run_migtest("--url " + shell_quote(url) + " current", cwd);
  EXPECT_EQ(current.out, "");
  // Again: nothing to do, no error.
  EXPECT_EQ(run_migtest("--url " + shell_quote(url) + " ensure_version", cwd).code, 0);
}

TEST_F(VerbsTest, EnsureVersionCreatesTheTableAndNothingElseSqlite) {
  two_heads();
  ensure_version_creates_only_the_table("sqlite:///" + (tmp_ / "e.db"), tmp_.path(), dir());
}

TEST_F(VerbsTest, EnsureVersionCreatesTheTableAndNothingElsePostgres) {
  MIGTEST_REQUIRE_POSTGRES_URL(server);
  two_heads();
  migtest::test::ScratchDatabase db("postgresql", server);
  ensure_version_creates_only_the_table(db.url(), tmp_.path(), dir());
}

TEST_F(VerbsTest, RevisionTakesBranchLabelDependsOnAndLabelHead) {
  two_heads();
  auto r = run("revision -m more --head billing@head --branch-label invoices --depends-on c1");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string path = printed_path(r);
  EXPECT_EQ(header(path, "down_revision"), "b1");
  EXPECT_EQ(header(path, "branch_labels"), "invoices");
  EXPECT_EQ(header(path, "depends_on"), "c1");
  auto shown = run("show invoices@head");
  EXPECT_THAT(shown.out, HasSubstr("Depends on: c1"));

  auto root = run("revision -m 'new root' --head base --branch-label audit");
  ASSERT_EQ(root.code, 0) << root.err;
  EXPECT_EQ(header(printed_path(root), "down_revision"), "none");
  auto unknown = run("revision -m x --head nolabel@head");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("nolabel"));
}

TEST_F(VerbsTest, RevisionCppWritesAnEmptyCppRevision) {
  two_heads();
  auto r = run("revision -m 'seed roles' --cpp --head c1 --branch-label roles");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string path = printed_path(r);
  EXPECT_THAT(path, ::testing::EndsWith("_seed_roles.cpp"));
  std::string text = slurp(path);
  std::string id = fs::path(path).filename().string().substr(0, 12);
  EXPECT_THAT(text, HasSubstr("MIGTEST_REVISION(" + id + ", \"c1\", \"seed roles\") {\n}"));
  EXPECT_THAT(text, HasSubstr("MIGTEST_DOWNGRADE(" + id + ") {\n}"));
  EXPECT_THAT(text, HasSubstr("r.branch_labels = {\"roles\"};"));
  // It compiles against migtest's headers as written.
  std::string compile = std::string("c++") + " -std=c++17 -fsyntax-only -Wall -Wextra -Werror -I" +
                        shell_quote(std::string(MIGTEST_SOURCE_DIR) + "/include") + " -x c++ " +
                        shell_quote(path);
  EXPECT_EQ(std::system(compile.c_str()), 0) << compile;
  // The directory's SQL history still loads around it.
  EXPECT_EQ(run("heads").code, 0);
  auto dialect = run("revision -m x --head c1 --dialect sqlite");
  EXPECT_EQ(dialect.code, 2);
  EXPECT_THAT(dialect.err, HasSubstr("--dialect goes with --autogenerate"));
}

TEST_F(VerbsTest, DowngradeSqlFromHeadToBaseTakesPrefixes) {
  write("a1aaaa_a.sql",
        revision_file("a1aaaa", "", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
  write("b2bbbb_b.sql",
        revision_file("b2bbbb", "a1aaaa", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;"));
  auto all = run("downgrade --sql head:base");
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("DROP TABLE b;"));
  EXPECT_THAT(all.out, HasSubstr("DROP TABLE a;"));
  EXPECT_LT(all.out.find("DROP TABLE b;"), all.out.find("DROP TABLE a;"));
  auto prefixed = run("downgrade --sql b2:a1");
  ASSERT_EQ(prefixed.code, 0) << prefixed.err;
  EXPECT_THAT(prefixed.out, HasSubstr("DROP TABLE b;"));
  EXPECT_THAT(prefixed.out, Not(HasSubstr("DROP TABLE a;")));
  auto up = run("upgrade --sql a1:head");
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_THAT(up.out, HasSubstr("CREATE TABLE b"));
  EXPECT_THAT(up.out, Not(HasSubstr("CREATE TABLE a")));
}

// What `migtest revision` writes before anyone fills it in is a valid no-op, as Alembic's
// `def upgrade(): pass` is: every command takes a history ending in one.
TEST_F(VerbsTest, AnUnfilledNewRevisionIsANoOpForEveryCommand) {
  write("a1_base.sql", revision_file("a1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;"));
  auto r = run("revision -m 'not written yet'");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string id = fs::path(printed_path(r)).filename().string().substr(0, 12);
  const std::string url = "--url " + shell_quote("sqlite:///" + (tmp_ / "app.db")) + " ";
  for (const std::string command :
       {"upgrade head", "current", "downgrade -1", "upgrade head", "downgrade base", "history",
        "heads", "show head", "lint", "verify", "upgrade --sql base:head",
        "downgrade --sql head:base", "graph"}) {
    auto c = run(url + command);
    EXPECT_EQ(c.code, 0) << command << ": " << c.err;
    if (command == "current") {
      EXPECT_THAT(c.out, HasSubstr(id));
    }
  }
}

}  // namespace
