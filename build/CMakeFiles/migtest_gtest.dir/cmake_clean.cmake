file(REMOVE_RECURSE
  "CMakeFiles/migtest_gtest.dir/fixtures/src/placeholder.cpp.o"
  "CMakeFiles/migtest_gtest.dir/fixtures/src/placeholder.cpp.o.d"
  "libmigtest_gtest.a"
  "libmigtest_gtest.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_gtest.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
