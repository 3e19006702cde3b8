
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/backend/connection.cpp" "CMakeFiles/migtest_backend.dir/src/backend/connection.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/connection.cpp.o.d"
  "/work/main/src/backend/dialect.cpp" "CMakeFiles/migtest_backend.dir/src/backend/dialect.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/dialect.cpp.o.d"
  "/work/main/src/backend/postgres/postgres_connection.cpp" "CMakeFiles/migtest_backend.dir/src/backend/postgres/postgres_connection.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/postgres/postgres_connection.cpp.o.d"
  "/work/main/src/backend/postgres/reflect.cpp" "CMakeFiles/migtest_backend.dir/src/backend/postgres/reflect.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/postgres/reflect.cpp.o.d"
  "/work/main/src/backend/sqlite/normalize.cpp" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/normalize.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/normalize.cpp.o.d"
  "/work/main/src/backend/sqlite/sqlite_connection.cpp" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/sqlite_connection.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/sqlite_connection.cpp.o.d"
  "/work/main/src/backend/sqlite/tokenizer.cpp" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/tokenizer.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/sqlite/tokenizer.cpp.o.d"
  "/work/main/src/backend/url.cpp" "CMakeFiles/migtest_backend.dir/src/backend/url.cpp.o" "gcc" "CMakeFiles/migtest_backend.dir/src/backend/url.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/migtest_schema.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
