#include "migtest/version.hpp"

#ifndef MIGTEST_VERSION_STRING
#error "MIGTEST_VERSION_STRING is defined by CMakeLists.txt (PROJECT_VERSION)"
#endif

namespace migtest {

std::string_view version() { return MIGTEST_VERSION_STRING; }

}  // namespace migtest
