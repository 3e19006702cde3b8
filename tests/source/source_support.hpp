// Test support for tests/source: migrations folders written into a scratch directory.
#pragma once

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "migtest/error.hpp"
#include "migtest/source.hpp"

namespace migtest::test {

/// A fresh directory under the build tree, removed with everything in it at the end of the test.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_((boost::filesystem::path(MIGTEST_BINARY_DIR) /
               boost::filesystem::unique_path("scratch-source-" + name + "-%%%%%%%%"))
                  .generic_string()) {
    boost::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    boost::system::error_code ec;
    boost::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  /// path()/name: the way the loader names the entry in its messages.
  std::string at(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` byte for byte to path()/name, creating its folders.
  void write(const std::string& name, const std::string& text) const {
    boost::filesystem::create_directories(boost::filesystem::path(at(name)).parent_path());
    std::ofstream(at(name), std::ios::binary) << text;
  }
  void mkdir(const std::string& name) const { boost::filesystem::create_directories(at(name)); }

 private:
  std::string path_;
};

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
