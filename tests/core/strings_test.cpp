// The core text helpers: what each one promises, edge cases included.
#include "strings.hpp"

#include <gtest/gtest.h>

namespace migtest::detail {
namespace {

TEST(Strings, CaseFoldingIsAsciiOnly) {
  EXPECT_EQ(lower("CREATE Table_1"), "create table_1");
  EXPECT_EQ(upper("create table_1"), "CREATE TABLE_1");
  EXPECT_EQ(lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // UTF-8 bytes untouched
}

TEST(Strings, IequalsIgnoresCaseOnly) {
  EXPECT_TRUE(iequals("NoCase", "NOCASE"));
  EXPECT_FALSE(iequals("NoCase", "NoCase "));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_TRUE(iequals("", ""));
}

TEST(Strings, TrimDropsSurroundingWhiteSpace) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(" \n "), "");
  EXPECT_EQ(trim(""), "");
}

TEST(Strings, PrefixesAndSuffixes) {
  EXPECT_TRUE(starts_with("postgresql://", "postgres"));
  EXPECT_FALSE(starts_with("pg", "postgres"));
  EXPECT_TRUE(ends_with("001_init.sql", ".sql"));
  EXPECT_FALSE(ends_with("sql", ".sql"));
  EXPECT_TRUE(iends_with("integer[]", "[]"));
  EXPECT_TRUE(iends_with("x WITH TIME ZONE", "with time zone"));
  EXPECT_FALSE(iends_with("zone", "time zone"));
}

TEST(Strings, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(split_list(" a, ,b ,"), (std::vector<std::string>{"a", "b"}));
}

TEST(Strings, JoinPutsTheSeparatorBetweenParts) {
  EXPECT_EQ(join({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(join({"a", "b"}, ",\n  "), "a,\n  b");
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"", "b"}, "|"), "|b");
}

}  // namespace
}  // namespace migtest::detail
