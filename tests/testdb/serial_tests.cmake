# Included by ctest after the discovered tests (tests/CMakeLists.txt: TEST_INCLUDE_FILES);
# a parameterized test's name ends with "  # GetParam() = ...".
#
# Tests that kill a process using PostgreSQL, then look at what it left on the server, run
# alone: every migtest process that talks to the server reaps what dead processes of this
# host left there (that is the reaper's job), so any test running beside them could remove
# the killed process's databases before the test has seen them. A RESOURCE_LOCK among the
# kill tests would not do: every PostgreSQL test process reaps, not only the kill tests.
foreach(_test IN LISTS migtest_testdb_tests_TESTS migtest_fixtures_tests_TESTS)
  if(_test MATCHES "^Points/KillTest\\.[^ ]*_postgresql( |$)"
     OR _test MATCHES "^MidTest/KilledFixture\\.[^ ]*_postgresql( |$)"
     OR _test STREQUAL "Reaper.DropsAKilledProcesssPostgresDatabases")
    set_tests_properties("${_test}" PROPERTIES RUN_SERIAL TRUE)
  endif()
endforeach()
