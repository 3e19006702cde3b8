# Installs the build into a prefix, then configures, builds and runs the consumer
# project against it: what a user's find_package(migtest CONFIG REQUIRED) sees.
# Then edits one C++ revision of the consumer and rebuilds (no reconfigure): that revision's
# checksum changes, its sibling's does not.
set(prefix ${BINARY_DIR}/install-test/prefix)
set(source ${BINARY_DIR}/install-test/source)
set(build ${BINARY_DIR}/install-test/consumer)
file(REMOVE_RECURSE ${BINARY_DIR}/install-test)
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()
# The checksum `app_migtest show <id>` prints, into ${var}.
function(checksum id var)
  run(${build}/app_migtest show ${id})
  if(NOT run_output MATCHES "Checksum: ([0-9a-f]+)")
    message(FATAL_ERROR "no checksum in: ${run_output}")
  endif()
  set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix})
if(NOT EXISTS ${prefix}/bin/migtest)
  message(FATAL_ERROR "the migtest command was not installed")
endif()
file(COPY ${CONSUMER_DIR}/ DESTINATION ${source})
run(${CMAKE_COMMAND} -S ${source} -B ${build} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${build} -j 2)
run(${build}/app_tests)
checksum(ab0000000001 first_before)
checksum(ab0000000002 second_before)

file(READ ${source}/revisions.cpp text)
string(REPLACE "ADD COLUMN label TEXT" "ADD COLUMN label VARCHAR(80)" edited "${text}")
if(edited STREQUAL text)
  message(FATAL_ERROR "the edit did not apply to ${source}/revisions.cpp")
endif()
file(WRITE ${source}/revisions.cpp "${edited}")
run(${CMAKE_COMMAND} --build ${build} -j 2)
checksum(ab0000000001 first_after)
checksum(ab0000000002 second_after)
if(NOT first_after STREQUAL first_before)
  message(FATAL_ERROR "editing ab0000000002 changed the checksum of ab0000000001")
endif()
if(second_after STREQUAL second_before)
  message(FATAL_ERROR "editing ab0000000002's code kept its checksum ${second_before}")
endif()

# COMPONENTS: asking for testdb alone gives migtest::testdb and needs neither GoogleTest nor
# CLI11 (the project checks both); asking for a component that does not exist fails, naming it.
set(testdb_build ${BINARY_DIR}/install-test/testdb_consumer)
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR}/../testdb_consumer -B ${testdb_build}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${testdb_build} -j 2)
run(${testdb_build}/app_testdb)
if(NOT run_output MATCHES "testdb consumer: ok")
  message(FATAL_ERROR "app_testdb said: ${run_output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR}/../testdb_consumer
                        -B ${BINARY_DIR}/install-test/nosuch_consumer
                        -DCMAKE_PREFIX_PATH=${prefix} "-DMIGTEST_COMPONENTS=testdb;nosuch"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "no[ \t\r\n]+component[ \t\r\n]+'nosuch'")
  message(FATAL_ERROR "COMPONENTS nosuch was not refused by name (${rc}):\n${out}\n${err}")
endif()

file(REMOVE_RECURSE ${BINARY_DIR}/install-test)
message(STATUS "consumer projects built and passed against ${prefix}")
