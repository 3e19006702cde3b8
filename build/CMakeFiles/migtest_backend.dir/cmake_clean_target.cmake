file(REMOVE_RECURSE
  "libmigtest_backend.a"
)
