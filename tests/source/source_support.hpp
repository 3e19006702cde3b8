// Test support for tests/source: migrations folders written into a scratch directory.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "migtest/error.hpp"
#include "migtest/source.hpp"
#include "support/files.hpp"  // TempDir

namespace migtest::test {

/// The ids of a loaded history in the order it runs them.
inline std::vector<std::string> run_order(const History& h) {
  return h.graph().topological_order();
}

/// The message of the error loading `dir` throws, "" when it loads (a test then fails).
template <typename Error = error>
std::string load_error(const std::string& dir) {
  try {
    load_history(dir);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << dir << ": loaded without an error";
  return "";
}

inline bool mentions(const std::vector<std::string>& lines, const std::string& what) {
  for (const auto& l : lines) {
    if (l.find(what) != std::string::npos) return true;
  }
  return false;
}

}  // namespace migtest::test
