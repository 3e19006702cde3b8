file(REMOVE_RECURSE
  "CMakeFiles/migtest_backend.dir/src/backend/connection.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/connection.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/dialect.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/dialect.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/postgres/postgres_connection.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/postgres/postgres_connection.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/postgres/reflect.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/postgres/reflect.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/normalize.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/normalize.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/sqlite_connection.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/sqlite_connection.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/tokenizer.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/sqlite/tokenizer.cpp.o.d"
  "CMakeFiles/migtest_backend.dir/src/backend/url.cpp.o"
  "CMakeFiles/migtest_backend.dir/src/backend/url.cpp.o.d"
  "libmigtest_backend.a"
  "libmigtest_backend.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/migtest_backend.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
