// `revision` in a project whose head is a C++ revision: the new file builds on it, through the
// project's own migtest command (tests/source/cpp_project: C++ revisions c0de00000001 <-
// c0de00000002 <- c0de00000003, built into the binary).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/files.hpp"
#include "support/process.hpp"

using migtest::test::Output;
using migtest::test::shell_quote;
using migtest::test::slurp;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Fills a generated file's sections, as a user does in an editor.
void write_sql(const fs::path& file, const std::string& up, const std::string& down) {
  std::string text = slurp(file);
  text = text.substr(0, text.find("-- migrate:up"));
  std::ofstream(file.string()) << text << "-- migrate:up\n"
                               << up << "\n-- migrate:down\n"
                               << down << "\n";
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t end = s.find('\n', at);
    if (end == std::string::npos) end = s.size();
    if (end > at) out.push_back(s.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

class CppHeadTest : public ::testing::Test {
 protected:
  void SetUp() override { tmp_.mkdir("versions"); }

  Output project(const std::string& args) {
    return migtest::test::run_program(MIGTEST_CPP_PROJECT, "--migrations versions " + args,
                                      migtest::test::in_directory(dir_));
  }
  // The id of the revision file the command printed, and the file's text.
  std::string written_id(const Output& r) {
    return fs::path(first_line(r.out)).filename().string().substr(0, 12);
  }
  std::string written_text(const Output& r) { return slurp(dir_ / first_line(r.out)); }

  const migtest::test::TempDir tmp_{"migtest-cpp-head"};
  const fs::path& dir_ = tmp_.path();
};

TEST_F(CppHeadTest, NewFileRevisionBuildsOnTheCppHead) {
  Output r = project("revision -m 'After the C++ revisions'");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string first = written_id(r);
  EXPECT_THAT(written_text(r), HasSubstr("-- down_revision: c0de00000003\n"));
  write_sql(dir_ / first_line(r.out), "ALTER TABLE note ADD COLUMN a INTEGER;",
            "ALTER TABLE note DROP COLUMN a;");

  r = project("heads");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(lines(r.out), ElementsAre(HasSubstr(first)));

  // The next one builds on that file, and the whole history upgrades in one line.
  r = project("revision -m 'Second file'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(written_text(r), HasSubstr("-- down_revision: " + first + "\n"));
  const std::string second = written_id(r);
  write_sql(dir_ / first_line(r.out), "ALTER TABLE note ADD COLUMN b INTEGER;",
            "ALTER TABLE note DROP COLUMN b;");
  const std::string url = "--url " + shell_quote("sqlite:///" + (dir_ / "app.db").string());
  r = project(url + " upgrade head");
  ASSERT_EQ(r.code, 0) << r.err;
  r = project(url + " current");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(second));
}

TEST_F(CppHeadTest, SeveralHeadsIncludingACppOneAreRefusedUnlessOneIsNamed) {
  // A file branching off the middle C++ revision: two heads, one of them C++.
  tmp_.write("versions/f11e00000001_branch.sql",
             "-- revision: f11e00000001\n-- down_revision: c0de00000002\n\n"
             "-- migrate:up\nCREATE TABLE branch (id INTEGER);\n\n-- migrate:down\nDROP TABLE "
             "branch;\n");
  Output r = project("revision -m 'Which parent'");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("multiple heads"));
  EXPECT_THAT(r.err, HasSubstr("c0de00000003"));
  EXPECT_THAT(r.err, HasSubstr("f11e00000001"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "versions"), fs::directory_iterator()), 1);

  r = project("revision --head c0de00000003 -m 'On the C++ head'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(written_text(r), HasSubstr("-- down_revision: c0de00000003\n"));
}

TEST_F(CppHeadTest, AutogenerateBuildsOnTheCppHead) {
  const std::string url = "--url " + shell_quote("sqlite:///" + (dir_ / "app.db").string());
  Output r = project(url + " revision --autogenerate -m 'Pinned notes'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("pinned"));
  const std::string text = written_text(r), id = written_id(r);
  EXPECT_THAT(text, HasSubstr("-- down_revision: c0de00000003\n"));
  EXPECT_THAT(text, HasSubstr("pinned"));
  r = project("heads");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(lines(r.out), ElementsAre(HasSubstr(id)));
}

}  // namespace
