file(REMOVE_RECURSE
  "CMakeFiles/migtest_cli.dir/src/cli/cli.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/cli.cpp.o.d"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_history.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_history.cpp.o.d"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_migrate.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_migrate.cpp.o.d"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_scaffold.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/cmd_scaffold.cpp.o.d"
  "CMakeFiles/migtest_cli.dir/src/cli/config.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/config.cpp.o.d"
  "libmigtest_cli.a"
  "libmigtest_cli.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_cli.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
