file(REMOVE_RECURSE
  "libmigtest_gtest.a"
)
