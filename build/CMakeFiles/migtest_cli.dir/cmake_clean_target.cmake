file(REMOVE_RECURSE
  "libmigtest_cli.a"
)
