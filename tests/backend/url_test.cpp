#include "migtest/url.hpp"

#include <gtest/gtest.h>

#include "migtest/error.hpp"

using migtest::parse_url;

TEST(Url, SqliteForms) {
  EXPECT_EQ(parse_url("sqlite:///app.db").path, "app.db");
  EXPECT_EQ(parse_url("sqlite:////var/lib/app.db").path, "/var/lib/app.db");
  EXPECT_TRUE(parse_url("sqlite:///:memory:").is_memory());
  EXPECT_EQ(parse_url("sqlite:///app.db").dialect, "sqlite");
}

TEST(Url, PostgresForms) {
  EXPECT_EQ(parse_url("postgresql://u:p@localhost:5432/db").dialect, "postgresql");
  EXPECT_EQ(parse_url("postgres://u@/db?host=/tmp/x").dialect, "postgresql");
}

TEST(Url, UnknownSchemeIsNamed) {
  try {
    parse_url("mysql://root:hunter2@localhost/db");
    FAIL() << "expected connection_error";
  } catch (const migtest::connection_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("unknown database URL scheme 'mysql'"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

TEST(Url, MalformedUrls) {
  EXPECT_THROW(parse_url(""), migtest::connection_error);
  EXPECT_THROW(parse_url("sqlite:app.db"), migtest::connection_error);
  EXPECT_THROW(parse_url("sqlite:///"), migtest::connection_error);
  EXPECT_THROW(parse_url("postgresql://u:secret@host:notaport/db"), migtest::connection_error);
  try {
    parse_url("postgresql://u:secret@host:notaport/db");
  } catch (const migtest::connection_error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST(Url, RedactHidesPasswords) {
  EXPECT_EQ(migtest::redact("postgresql://me:s3cret@host:5432/db"), "postgresql://me:***@host:5432/db");
  EXPECT_EQ(migtest::redact("postgresql://me@host/db"), "postgresql://me@host/db");
  EXPECT_EQ(migtest::redact("postgresql:///db?user=a&password=xyz&host=/tmp"),
            "postgresql:///db?user=a&password=***&host=/tmp");
  EXPECT_EQ(migtest::redact("host=x password=abc dbname=y"), "host=x password=*** dbname=y");
  EXPECT_EQ(parse_url("postgresql://me:s3cret@h/db").redacted(), "postgresql://me:***@h/db");
}

TEST(Url, WithDatabaseSwapsOnlyTheDatabase) {
  EXPECT_EQ(migtest::with_database("postgresql://u:p@h:5432/app?sslmode=disable", "scratch"),
            "postgresql://u:p@h:5432/scratch?sslmode=disable");
  EXPECT_EQ(migtest::with_database("postgresql://u@/app?host=/tmp/x&port=5", "t1"),
            "postgresql://u@/t1?host=/tmp/x&port=5");
  EXPECT_EQ(migtest::with_database("postgres://h", "t2"), "postgres://h/t2");
  EXPECT_EQ(migtest::with_database("postgresql://h/app?dbname=app", "x"), "postgresql://h/x?dbname=x");
  EXPECT_EQ(migtest::with_database("postgresql://h?host=/s", "x"), "postgresql://h/x?host=/s");
  EXPECT_THROW(migtest::with_database("sqlite:///a.db", "x"), migtest::usage_error);
}

TEST(UrlWithDatabase, ReplacesOnlyTheDatabase) {
  using migtest::with_database;
  EXPECT_EQ(with_database("postgresql://u:p@h:5432/postgres?sslmode=disable", "x"),
            "postgresql://u:p@h:5432/x?sslmode=disable");
  EXPECT_EQ(with_database("postgresql://postgres@/postgres?host=/tmp/d&port=5", "x"),
            "postgresql://postgres@/x?host=/tmp/d&port=5");
  EXPECT_EQ(with_database("postgres://h", "x"), "postgres://h/x");
  EXPECT_EQ(with_database("postgresql://h?host=/s", "x"), "postgresql://h/x?host=/s");
  EXPECT_EQ(migtest::database_of("postgresql://u@h/app?x=1"), "app");
}
