file(REMOVE_RECURSE
  "libmigtest_core.a"
)
