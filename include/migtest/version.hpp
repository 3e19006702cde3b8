// migtest/version.hpp: the version of the migtest library, as CMake's project() gives it.
// Use it to print or record which migtest made an output (`migtest --version`, the lint
// SARIF report and the verify cache carry it).
//   std::cout << "migtest " << migtest::version() << "\n";   // "migtest 0.1.0"
#pragma once

#include <string_view>

namespace migtest {

/// "0.1.0": PROJECT_VERSION, compiled into the library (not into the caller), so it names the
/// library a program was linked with. `migtest --version` prints it; verify's cache is keyed
/// on it.
std::string_view version();

}  // namespace migtest
