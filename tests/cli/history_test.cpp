// history and heads through the real binary, without a database, for every layout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/process.hpp"

using migtest::test::run_migtest;
using migtest::test::shell_quote;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

struct Layout {
  std::string folder;
  std::vector<std::string> newest_first;  // "parents -> id" of each line, newest first
};

class HistoryTest : public ::testing::TestWithParam<Layout> {};

TEST_P(HistoryTest, ListsEveryRevisionNewestFirst) {
  fs::path cwd = fs::temp_directory_path();
  std::string dir = std::string(MIGTEST_TEST_DATA) + "/histories/" + GetParam().folder;
  auto r = run_migtest("--migrations " + shell_quote(dir) + " history", cwd);
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> lines;
  std::stringstream ss(r.out);
  for (std::string line; std::getline(ss, line);) lines.push_back(line.substr(0, line.find(',')));
  ASSERT_EQ(lines.size(), GetParam().newest_first.size()) << r.out;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], ::testing::StartsWith(GetParam().newest_first[i])) << r.out;
  }
  EXPECT_THAT(lines.front(), HasSubstr("(head)"));

  auto heads = run_migtest("--migrations " + shell_quote(dir) + " heads", cwd);
  ASSERT_EQ(heads.code, 0) << heads.err;
  EXPECT_EQ(heads.out.substr(0, heads.out.find(',')), r.out.substr(0, r.out.find(',')));

  auto verbose = run_migtest("--migrations " + shell_quote(dir) + " -v history", cwd);
  ASSERT_EQ(verbose.code, 0) << verbose.err;
  EXPECT_THAT(verbose.out, HasSubstr("file: " + dir));
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, HistoryTest,
    ::testing::Values(Layout{"migtest_linear",
                             {"8a4e2c1d9b6f -> a1b2c3d4e5f6", "3f1c9a0b2e7d -> 8a4e2c1d9b6f",
                              "<base> -> 3f1c9a0b2e7d"}},
                      Layout{
                          "diesel",
                          {"20200101000000 -> 20210101000000", "20190322170700 -> 20200101000000",
                           "20140924113530 -> 20190322170700", "<base> -> 20140924113530"}},
                      Layout{"golang_migrate", {"3 -> 10", "2 -> 3", "1 -> 2", "<base> -> 1"}},
                      Layout{"dbmate",
                             {"20151129054100 -> 20160101000000",
                              "20151129054053 -> 20151129054100", "<base> -> 20151129054053"}},
                      Layout{"goose", {"3 -> 20230101120000", "2 -> 3", "1 -> 2", "<base> -> 1"}}),
    [](const auto& p) { return p.param.folder; });

TEST(History, BranchesAndMergesAreMarked) {
  std::string dir = std::string(MIGTEST_TEST_DATA) + "/histories/migtest_branches";
  auto r = run_migtest("--migrations " + shell_quote(dir) + " history", fs::temp_directory_path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(merge)"));
  EXPECT_THAT(r.out, HasSubstr("(branchpoint)"));
  EXPECT_THAT(r.out, HasSubstr("(billing)"));
  auto heads =
      run_migtest("--migrations " + shell_quote(dir) + " heads", fs::temp_directory_path());
  EXPECT_EQ(std::count(heads.out.begin(), heads.out.end(), '\n'), 2) << heads.out;
}

TEST(History, MalformedHistoryIsOneLineExitTwo) {
  std::string dir = std::string(MIGTEST_TEST_DATA) + "/histories/malformed/cycle";
  auto r = run_migtest("--migrations " + shell_quote(dir) + " history", fs::temp_directory_path());
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("cycle"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
