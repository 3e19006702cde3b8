
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/cli/main.cpp" "CMakeFiles/migtest_exe.dir/src/cli/main.cpp.o" "gcc" "CMakeFiles/migtest_exe.dir/src/cli/main.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/migtest_cli.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_diff.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_runner.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_graph.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_backend.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_schema.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/migtest_core.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
