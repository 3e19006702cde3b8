#include <gtest/gtest.h>
#include <migtest/connection.hpp>

TEST(Consumer, OpensAnInMemoryDatabase) {
  auto db = migtest::connect("sqlite:///:memory:");
  db->execute("CREATE TABLE t (x INTEGER)");
  db->execute("INSERT INTO t VALUES ($1)", {41});
  EXPECT_EQ(db->scalar("SELECT x + 1 FROM t").as_int(), 42);
}
