# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
include("/work/main/build/tests/migtest_backend_tests[1]_include.cmake")
add_test([=[install_consumer]=] "/usr/bin/cmake" "-DSOURCE_DIR=/work/main" "-DBINARY_DIR=/work/main/build" "-DCONSUMER_DIR=/work/main/tests/install/consumer" "-P" "/work/main/tests/install/consumer_test.cmake")
set_tests_properties([=[install_consumer]=] PROPERTIES  RUN_SERIAL "TRUE" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;40;add_test;/work/main/tests/CMakeLists.txt;0;")
