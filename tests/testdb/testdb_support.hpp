// Support for testdb's tests (and the fixtures' tests, which include it): where their data is,
// and the support headers they use.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"

namespace migtest::test {

inline std::string blog_migrations() {
  return MIGTEST_SOURCE_DIR "/examples/blog/migrations/versions";
}
inline std::string fixture_data(const std::string& name) {
  return MIGTEST_SOURCE_DIR "/tests/fixtures/data/" + name;
}
inline std::string testdb_data(const std::string& name) {
  return MIGTEST_SOURCE_DIR "/tests/testdb/data/" + name;
}

}  // namespace migtest::test
