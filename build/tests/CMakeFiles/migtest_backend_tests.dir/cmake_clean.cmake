file(REMOVE_RECURSE
  "CMakeFiles/migtest_backend_tests.dir/backend/connection_test.cpp.o"
  "CMakeFiles/migtest_backend_tests.dir/backend/connection_test.cpp.o.d"
  "CMakeFiles/migtest_backend_tests.dir/backend/url_test.cpp.o"
  "CMakeFiles/migtest_backend_tests.dir/backend/url_test.cpp.o.d"
  "migtest_backend_tests"
  "migtest_backend_tests.pdb"
  "migtest_backend_tests[1]_tests.cmake"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_backend_tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
