file(REMOVE_RECURSE
  "libmigtest.a"
)
