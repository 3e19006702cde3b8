// Test support: the throwaway PostgreSQL server of scripts/with-postgres.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace migtest::test {

/// MIGTEST_POSTGRES_URL, or "" when unset.
inline std::string postgres_url() {
  const char* u = std::getenv("MIGTEST_POSTGRES_URL");
  return u ? u : "";
}

inline bool postgres_required() {
  const char* r = std::getenv("MIGTEST_REQUIRE_POSTGRES");
  return r && std::string(r) == "1";
}

}  // namespace migtest::test

/// Skips the test when no server is configured, or fails it when
/// MIGTEST_REQUIRE_POSTGRES=1 (as in CI): a PostgreSQL test never silently skips there.
#define MIGTEST_REQUIRE_POSTGRES_URL(var)                                                \
  std::string var = ::migtest::test::postgres_url();                                     \
  if (var.empty()) {                                                                     \
    if (::migtest::test::postgres_required()) {                                          \
      FAIL() << "MIGTEST_REQUIRE_POSTGRES=1 but MIGTEST_POSTGRES_URL is not set";        \
    }                                                                                    \
    GTEST_SKIP() << "MIGTEST_POSTGRES_URL is not set (run under scripts/with-postgres)"; \
  }
