// A revision that is not text is refused by the real binary before anything runs: no
// database file is created, and the one-line error names the file, line and byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/process.hpp"

using migtest::test::run_migtest;
using migtest::test::shell_quote;
using ::testing::HasSubstr;

namespace {

namespace fs = boost::filesystem;

TEST(RefusedInput, UpgradeWithANulByteRunsNothingAndCreatesNoDatabase) {
  const migtest::test::TempDir dir("migtest-refused");
  const std::string head = "-- revision: aaa\n-- down_revision: none\n-- migrate:up\n";
  std::string bytes = head + "CREATE TABLE users (id INTEGER);\n" + "DELETE FROM users" +
                      std::string(1, '\0') + " WHERE id = 1;\n" +
                      "-- migrate:down\nDROP TABLE users;\n";
  dir.write("versions/aaa_users.sql", bytes);
  fs::path db = dir.path() / "app.db";

  auto r = run_migtest(
      "--migrations versions --url " + shell_quote("sqlite:///" + db.string()) + " upgrade head",
      dir.path());
  EXPECT_NE(r.code, 0);
  std::string expected = "versions/aaa_users.sql:5: byte 0x00 at offset " +
                         std::to_string(bytes.find('\0')) +
                         " (line 5, column 18): revision files must be text";
  EXPECT_THAT(r.err, HasSubstr(expected));
  // The error is one line: nothing else is printed about the revision's text.
  EXPECT_EQ(r.err.find(expected + "\n") + expected.size() + 1, r.err.size()) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(db)) << "a refused upgrade created " << db;
}

}  // namespace
