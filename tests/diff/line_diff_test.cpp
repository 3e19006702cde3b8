// A long definition that differs is shown as a line diff of its two sides: the cut into
// lines, the diff itself, and render() using it.
#include "diff/line_diff.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using migtest::Difference;
using migtest::detail::definition_lines;
using migtest::detail::difference_lines;
using migtest::detail::line_diff;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kView =
    "SELECT u.id, u.name, u.email, count(p.id) AS posts FROM users u LEFT JOIN post p ON "
    "p.author_id = u.id WHERE u.active AND p.title <> 'a, FROM b' GROUP BY u.id ORDER BY u.id";

TEST(LineDiff, AOneLineDefinitionIsCutAtItsClausesOutsideQuotes) {
  EXPECT_THAT(
      definition_lines(kView),
      ElementsAre("SELECT u.id,", "u.name,", "u.email,", "count(p.id) AS posts", "FROM users u",
                  "LEFT JOIN post p ON p.author_id = u.id", "WHERE u.active",
                  "AND p.title <> 'a, FROM b'", "GROUP BY u.id", "ORDER BY u.id"));
  // Its own line breaks count, a qualified name (t.order) is no clause, "quoted" names neither.
  EXPECT_THAT(definition_lines("SELECT t.order\n  FROM \"from\" t"),
              ElementsAre("SELECT t.order", "FROM \"from\" t"));
}

TEST(LineDiff, ShowsChangesWithTwoLinesOfContext) {
  const std::vector<std::string> a = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
  std::vector<std::string> b = a;
  b[4] = "five";
  EXPECT_THAT(line_diff(a, b),
              ElementsAre("  ...", "  3", "  4", "- 5", "+ five", "  6", "  7", "  ..."));
  b = a;
  b.erase(b.begin());
  b.push_back("10");
  EXPECT_THAT(line_diff(a, b), ElementsAre("- 1", "  2", "  3", "  ...", "  8", "  9", "+ 10"));
  EXPECT_TRUE(line_diff(a, a).empty());
}

Difference view_changed(const std::string& actual, const std::string& expected) {
  return {Difference::Kind::view_changed, "", "user_stats", "VIEW user_stats AS " + actual,
          "VIEW user_stats AS " + expected};
}

TEST(LineDiff, ALongChangedDefinitionIsALineDiffUnderAHeader) {
  std::string changed = kView;
  changed.replace(changed.find("u.email"), 7, "u.mail");
  const auto lines = difference_lines(view_changed(kView, changed), "database", "model");
  EXPECT_THAT(lines, ElementsAre("view user_stats differs (- database, + model):", "    ...",
                                 "    SELECT u.id,", "    u.name,", "  - u.email,", "  + u.mail,",
                                 "    count(p.id) AS posts", "    FROM users u", "    ..."));
}

TEST(LineDiff, ShortOrOtherDifferencesStayOneLine) {
  const Difference short_view = view_changed("SELECT 1", "SELECT 2");
  EXPECT_THAT(difference_lines(short_view, "database", "model"),
              ElementsAre(short_view.describe("database", "model")));
  const Difference added{Difference::Kind::view_added, "", "v", "", "VIEW v AS " + kView};
  EXPECT_THAT(difference_lines(added, "a", "b"), ElementsAre(added.describe("a", "b")));
  const Difference type{Difference::Kind::type_changed, "users", "name", std::string(80, 'x'),
                        std::string(80, 'y')};
  EXPECT_THAT(difference_lines(type, "a", "b"), ElementsAre(type.describe("a", "b")));
}

TEST(LineDiff, RenderShowsTheLineDiffOfTwoSchemas) {
  migtest::Schema actual, expected;
  actual.dialect = expected.dialect = migtest::Dialect::sqlite;
  actual.views.push_back({"", "user_stats", kView});
  std::string changed = kView;
  changed.replace(changed.find("ORDER BY u.id"), 13, "ORDER BY u.name");
  expected.views.push_back({"", "user_stats", changed});
  const std::string text = render(compare(actual, expected));
  EXPECT_THAT(text, HasSubstr("view user_stats differs (- database, + model):\n"));
  EXPECT_THAT(text, HasSubstr("\n    GROUP BY u.id\n  - ORDER BY u.id\n  + ORDER BY u.name\n"));
  EXPECT_THAT(text, Not(HasSubstr(kView))) << "not both texts whole";
}

}  // namespace
