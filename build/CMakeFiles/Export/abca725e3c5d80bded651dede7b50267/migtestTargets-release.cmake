#----------------------------------------------------------------
# Generated CMake target import file for configuration "Release".
#----------------------------------------------------------------

# Commands may need to know the format version.
set(CMAKE_IMPORT_FILE_VERSION 1)

# Import target "migtest::core" for configuration "Release"
set_property(TARGET migtest::core APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::core PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_core.a"
  )

list(APPEND _cmake_import_check_targets migtest::core )
list(APPEND _cmake_import_check_files_for_migtest::core "${_IMPORT_PREFIX}/lib/libmigtest_core.a" )

# Import target "migtest::graph" for configuration "Release"
set_property(TARGET migtest::graph APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::graph PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_graph.a"
  )

list(APPEND _cmake_import_check_targets migtest::graph )
list(APPEND _cmake_import_check_files_for_migtest::graph "${_IMPORT_PREFIX}/lib/libmigtest_graph.a" )

# Import target "migtest::schema" for configuration "Release"
set_property(TARGET migtest::schema APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::schema PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_schema.a"
  )

list(APPEND _cmake_import_check_targets migtest::schema )
list(APPEND _cmake_import_check_files_for_migtest::schema "${_IMPORT_PREFIX}/lib/libmigtest_schema.a" )

# Import target "migtest::backend" for configuration "Release"
set_property(TARGET migtest::backend APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::backend PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_backend.a"
  )

list(APPEND _cmake_import_check_targets migtest::backend )
list(APPEND _cmake_import_check_files_for_migtest::backend "${_IMPORT_PREFIX}/lib/libmigtest_backend.a" )

# Import target "migtest::diff" for configuration "Release"
set_property(TARGET migtest::diff APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::diff PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_diff.a"
  )

list(APPEND _cmake_import_check_targets migtest::diff )
list(APPEND _cmake_import_check_files_for_migtest::diff "${_IMPORT_PREFIX}/lib/libmigtest_diff.a" )

# Import target "migtest::runner" for configuration "Release"
set_property(TARGET migtest::runner APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::runner PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_runner.a"
  )

list(APPEND _cmake_import_check_targets migtest::runner )
list(APPEND _cmake_import_check_files_for_migtest::runner "${_IMPORT_PREFIX}/lib/libmigtest_runner.a" )

# Import target "migtest::cli" for configuration "Release"
set_property(TARGET migtest::cli APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::cli PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_cli.a"
  )

list(APPEND _cmake_import_check_targets migtest::cli )
list(APPEND _cmake_import_check_files_for_migtest::cli "${_IMPORT_PREFIX}/lib/libmigtest_cli.a" )

# Import target "migtest::gtest" for configuration "Release"
set_property(TARGET migtest::gtest APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(migtest::gtest PROPERTIES
  IMPORTED_LINK_INTERFACE_LANGUAGES_RELEASE "CXX"
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libmigtest_gtest.a"
  )

list(APPEND _cmake_import_check_targets migtest::gtest )
list(APPEND _cmake_import_check_files_for_migtest::gtest "${_IMPORT_PREFIX}/lib/libmigtest_gtest.a" )

# Commands beyond this point should not need to know the version.
set(CMAKE_IMPORT_FILE_VERSION)
