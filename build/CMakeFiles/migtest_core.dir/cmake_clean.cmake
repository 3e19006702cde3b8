file(REMOVE_RECURSE
  "CMakeFiles/migtest_core.dir/src/error.cpp.o"
  "CMakeFiles/migtest_core.dir/src/error.cpp.o.d"
  "libmigtest_core.a"
  "libmigtest_core.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_core.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
