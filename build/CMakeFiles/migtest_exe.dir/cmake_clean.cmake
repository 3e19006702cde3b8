file(REMOVE_RECURSE
  "CMakeFiles/migtest_exe.dir/src/cli/main.cpp.o"
  "CMakeFiles/migtest_exe.dir/src/cli/main.cpp.o.d"
  "migtest"
  "migtest.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_exe.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
