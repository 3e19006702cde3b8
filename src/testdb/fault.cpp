#include "testdb/fault.hpp"

#include <signal.h>

#include <cstdlib>
#include <cstring>

namespace migtest::detail {

void kill_point(const char* point) {
  const char* at = std::getenv("MIGTEST_KILL_AT");
  if (at && std::strcmp(at, point) == 0) ::raise(SIGKILL);
}

}  // namespace migtest::detail
