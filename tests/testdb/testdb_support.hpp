// Support for testdb's tests (and the fixtures' tests, which include it): where their data is,
// what a process left behind, and the support headers they use.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "migtest/testdb.hpp"
#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "testdb/owner.hpp"

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

/// What the process `pid` of this host left, of what list_temporaries() lists.
inline std::vector<Leftover> left_by(long pid, const std::string& temp_directory,
                                     const std::string& cache_directory,
                                     const std::string& server_url) {
  std::vector<Leftover> out;
  for (auto& l : list_temporaries(temp_directory, cache_directory, server_url)) {
    if (l.pid == pid && l.host == detail::Owner::this_host()) out.push_back(l);
  }
  return out;
}

}  // namespace migtest::test
