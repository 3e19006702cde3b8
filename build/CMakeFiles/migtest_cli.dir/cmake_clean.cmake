file(REMOVE_RECURSE
  "CMakeFiles/migtest_cli.dir/src/cli/cli.cpp.o"
  "CMakeFiles/migtest_cli.dir/src/cli/cli.cpp.o.d"
  "libmigtest_cli.a"
  "libmigtest_cli.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_cli.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
