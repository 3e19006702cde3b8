#include <gtest/gtest.h>

#include <migtest/connection.hpp>
#include <migtest/registry.hpp>

TEST(Consumer, OpensAnInMemoryDatabase) {
  auto db = migtest::connect("sqlite:///:memory:");
  db->execute("CREATE TABLE t (x INTEGER)");
  db->execute("INSERT INTO t VALUES ($1)", {41});
  EXPECT_EQ(db->scalar("SELECT x + 1 FROM t").as_int(), 42);
}

TEST(Consumer, CppRevisionsHaveTheirCodeHashed) {
  migtest::History h = migtest::load_history(migtest::default_registry());
  EXPECT_EQ(h.scripts().size(), 2u);
  EXPECT_TRUE(h.unhashed_code().empty());
  EXPECT_EQ(h.script("ab0000000002").code_hash.size(), 64u);
}
