// Dialect's one name function and one parser: every spelling migtest accepts, the one it
// prints, and the message for a word that names no dialect.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "migtest/error.hpp"
#include "migtest/format.hpp"
#include "migtest/testdb/backend.hpp"
#include "migtest/url.hpp"

namespace migtest {
namespace {

TEST(DialectName, EachDialectHasOneName) {
  EXPECT_EQ(to_string(Dialect::sqlite), "sqlite");
  EXPECT_EQ(to_string(Dialect::postgresql), "postgresql");
}

TEST(DialectName, FmtAndStreamsPrintTheSameName) {
  EXPECT_EQ(fmt::format("{}|{:>12}", Dialect::sqlite, Dialect::postgresql), "sqlite|  postgresql");
  std::ostringstream os;
  os << Dialect::postgresql << ' ' << Dialect::sqlite;
  EXPECT_EQ(os.str(), "postgresql sqlite");
}

TEST(DialectName, ParsesEverySpellingInAnyCase) {
  for (const char* word : {"sqlite", "sqlite3", "SQLite", "SQLITE3"}) {
    EXPECT_EQ(parse_dialect(word), Dialect::sqlite) << word;
  }
  for (const char* word : {"postgresql", "postgres", "pg", "PostgreSQL", "Postgres", "PG"}) {
    EXPECT_EQ(parse_dialect(word), Dialect::postgresql) << word;
  }
}

TEST(DialectName, ParsesWhatItPrints) {
  for (Dialect d : {Dialect::sqlite, Dialect::postgresql})
    EXPECT_EQ(parse_dialect(to_string(d)), d);
}

TEST(DialectName, AnUnknownWordIsAConfigErrorNamingIt) {
  for (const char* word : {"mysql", "", "sqlite4", "postgre", " sqlite"}) {
    try {
      parse_dialect(word);
      ADD_FAILURE() << "no error for '" << word << "'";
    } catch (const config_error& e) {
      EXPECT_EQ(std::string(e.what()),
                fmt::format("unknown dialect '{}' (expected sqlite or postgresql)", word));
    }
  }
}

// testdb's Backend is the same concept, so the same type: a Backend is a Dialect.
TEST(DialectName, BackendIsDialect) {
  static_assert(std::is_same_v<Backend, Dialect>);
  EXPECT_EQ(Backend::postgresql, parse_dialect("postgres"));
}

}  // namespace
}  // namespace migtest
