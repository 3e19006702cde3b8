# The module map, enforced by the build (cmake/migtestModules.cmake): a module's sources can
# include the internal headers of the modules it depends on, as those offer them, and cannot
# include anything else of another module. Each case compiles one #include with exactly the
# include path the module's own sources get. The allowed cases show that a forbidden case
# fails for the reason given (no path to the header), not because nothing compiles.
# -DCXX=<compiler> -DSOURCE_DIR=<source tree> -DPRIVATE_INCLUDE=<build>/private-include
# -DWORK=<scratch folder>
set(cases
  # module  header                                     allowed?
  "runner   backend/backend.hpp                        yes"
  "runner   backend/postgres/postgres_connection.hpp   no"
  "runner   backend/sqlite/sqlite_connection.hpp       no"
  "testdb   runner/version_table.hpp                   yes"
  "testdb   backend/postgres/dialect.hpp               no"
  "verify   testdb/template.hpp                        yes"
  "verify   backend/sqlite/dialect.hpp                 no"
  "diff     sql_quote.hpp                              yes"
  "diff     runner/version_table.hpp                   no"
  "graph    source/text.hpp                            no"
  "backend  backend/postgres/postgres_connection.hpp   yes"
  "backend  testdb/scratch.hpp                         no")
file(MAKE_DIRECTORY ${WORK})
set(failures "")
foreach(case IN LISTS cases)
  string(REGEX MATCHALL "[^ ]+" fields "${case}")
  list(GET fields 0 module)
  list(GET fields 1 header)
  list(GET fields 2 allowed)
  set(source ${WORK}/${module}_case.cpp)
  file(WRITE ${source} "#include \"${header}\"\n")
  execute_process(
    COMMAND ${CXX} -std=c++17 -fsyntax-only -I${PRIVATE_INCLUDE}/migtest_${module}_objects
            -I${SOURCE_DIR}/include ${source}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(allowed STREQUAL "yes" AND NOT rc EQUAL 0)
    string(APPEND failures "${module} cannot include ${header}, which the map allows:\n${err}\n")
  elseif(allowed STREQUAL "no" AND rc EQUAL 0)
    string(APPEND failures "${module} can include ${header}, which the map forbids\n")
  elseif(allowed STREQUAL "no" AND NOT err MATCHES "No such file or directory")
    string(APPEND failures "${module} including ${header} failed, but not for want of a path:\n${err}\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
list(LENGTH cases count)
message(STATUS "the module map holds in ${count} cases")
