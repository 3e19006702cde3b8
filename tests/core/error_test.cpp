// The error hierarchy's fields: what every migtest::error carries besides its text, and the
// one line what() makes of them.
#include "migtest/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <type_traits>

namespace migtest {
namespace {

using ::testing::HasSubstr;

// The exception `cause` holds, caught as E (nullptr when it is something else).
template <class E>
std::string what_of_cause(const error& e) {
  try {
    std::rethrow_exception(e.cause());
  } catch (const E& inner) {
    return inner.what();
  } catch (...) {
  }
  return "";
}

TEST(Error, CarriesItsFieldsAndNamesThemInOneLine) {
  const error e(
      "no such table: t",
      {{"versions/a1_x.sql", 8, "a1"}, "SQLITE_ERROR", "INSERT INTO t\n  VALUES (1)", {}});
  EXPECT_EQ(e.where().file, "versions/a1_x.sql");
  EXPECT_EQ(e.where().line, 8);
  EXPECT_EQ(e.where().revision, "a1");
  EXPECT_EQ(e.code(), "SQLITE_ERROR");
  EXPECT_EQ(e.statement(), "INSERT INTO t\n  VALUES (1)");
  EXPECT_FALSE(e.cause());
  EXPECT_STREQ(e.what(),
               "revision a1 (versions/a1_x.sql:8): no such table: t [SQLITE_ERROR] in: INSERT "
               "INTO t VALUES (1)");
}

TEST(Error, WithoutFieldsIsItsMessage) {
  const config_error e("unknown dialect 'mysql'");
  EXPECT_STREQ(e.what(), "unknown dialect 'mysql'");
  EXPECT_TRUE(e.where().empty());
  EXPECT_TRUE(e.code().empty());
  EXPECT_TRUE(e.statement().empty());
  EXPECT_FALSE(e.cause());
}

TEST(Error, KeepsItsCause) {
  try {
    try {
      throw config_error("'7x' is not an age");
    } catch (const config_error&) {
      throw config_error("MIGTEST_CACHE_MAX_AGE: '7x' is not an age",
                         error_fields::caused_by(std::current_exception()));
    }
  } catch (const error& e) {
    ASSERT_TRUE(e.cause());
    EXPECT_EQ(what_of_cause<config_error>(e), "'7x' is not an age");
  }
}

TEST(Error, CopiesShareTheirFieldsAndNeverThrow) {
  static_assert(std::is_nothrow_copy_constructible<error>::value, "copying an error may throw");
  static_assert(std::is_nothrow_copy_constructible<database_error>::value, "");
  static_assert(std::is_nothrow_copy_constructible<graph_error>::value, "");
  const database_error original("duplicate key", "23505", "INSERT INTO u VALUES (1)");
  const database_error copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(&copy.fields(), &original.fields());
  EXPECT_EQ(copy.code(), "23505");
}

TEST(DatabaseError, FieldsAreOnTheBase) {
  const database_error d("duplicate key value", "23505", "INSERT INTO u VALUES (1)");
  const error& e = d;
  EXPECT_EQ(e.code(), "23505");
  EXPECT_EQ(e.statement(), "INSERT INTO u VALUES (1)");
  EXPECT_TRUE(e.where().empty());
  EXPECT_EQ(d.db_message(), "duplicate key value");
  EXPECT_STREQ(e.what(), "duplicate key value [23505] in: INSERT INTO u VALUES (1)");
}

TEST(DatabaseError, LocatedFillsInWhereAndKeepsTheRest) {
  const database_error d("duplicate key value", "23505", "INSERT INTO u VALUES (1)");
  const database_error located = d.located({"versions/b2.sql", 4, "b2"});
  EXPECT_EQ(located.where().file, "versions/b2.sql");
  EXPECT_EQ(located.where().line, 4);
  EXPECT_EQ(located.where().revision, "b2");
  EXPECT_EQ(located.code(), "23505");
  EXPECT_EQ(located.statement(), "INSERT INTO u VALUES (1)");
  EXPECT_EQ(located.db_message(), "duplicate key value");
  EXPECT_THAT(located.what(), HasSubstr("revision b2 (versions/b2.sql:4): duplicate key value"));
}

TEST(ParseError, WhereIsTheFileAndLine) {
  const parse_error e("versions/x.sql", 3, "unknown header field 'transactional'");
  EXPECT_EQ(e.where().file, "versions/x.sql");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_TRUE(e.where().revision.empty());
  EXPECT_EQ(e.file(), "versions/x.sql");
  EXPECT_EQ(e.line(), 3);
  EXPECT_STREQ(e.what(), "versions/x.sql:3: unknown header field 'transactional'");
  EXPECT_STREQ(parse_error("versions", 0, "mixes layouts").what(), "versions: mixes layouts");
}

TEST(MigrationError, TextIsItsOwnAndFieldsAreKept) {
  const auto cause = std::make_exception_ptr(database_error("boom", "42P01", "SELECT 1"));
  const migration_error e("upgrade of revision a1 failed: boom",
                          {{"a.sql", 2, "a1"}, "42P01", "SELECT 1", cause}, true);
  EXPECT_STREQ(e.what(), "upgrade of revision a1 failed: boom");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.code(), "42P01");
  EXPECT_EQ(e.statement(), "SELECT 1");
  EXPECT_TRUE(e.partially_applied());
  EXPECT_EQ(what_of_cause<database_error>(e), "boom [42P01] in: SELECT 1");
}

TEST(GraphError, SubclassesNameTheRevisionsTheyCarry) {
  const missing_revision_error from_target("no revision ff in the history", "ff");
  EXPECT_EQ(from_target.missing(), "ff");
  EXPECT_EQ(from_target.referenced_by(), "");
  const duplicate_revision_error cpp("duplicate revision id a1", "a1", "", "versions/a1.sql");
  EXPECT_EQ(cpp.id(), "a1");
  EXPECT_EQ(cpp.first_file(), "");
  EXPECT_EQ(cpp.second_file(), "versions/a1.sql");
  EXPECT_EQ(cpp.revisions(), std::vector<std::string>{"a1"});
}

}  // namespace
}  // namespace migtest
