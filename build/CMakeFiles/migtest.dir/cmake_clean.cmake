file(REMOVE_RECURSE
  "CMakeFiles/migtest.dir/src/backend/connection.cpp.o"
  "CMakeFiles/migtest.dir/src/backend/connection.cpp.o.d"
  "CMakeFiles/migtest.dir/src/backend/postgres/postgres_connection.cpp.o"
  "CMakeFiles/migtest.dir/src/backend/postgres/postgres_connection.cpp.o.d"
  "CMakeFiles/migtest.dir/src/backend/sqlite/sqlite_connection.cpp.o"
  "CMakeFiles/migtest.dir/src/backend/sqlite/sqlite_connection.cpp.o.d"
  "CMakeFiles/migtest.dir/src/backend/url.cpp.o"
  "CMakeFiles/migtest.dir/src/backend/url.cpp.o.d"
  "CMakeFiles/migtest.dir/src/error.cpp.o"
  "CMakeFiles/migtest.dir/src/error.cpp.o.d"
  "libmigtest.a"
  "libmigtest.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
