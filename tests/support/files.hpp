// Test support: a temporary directory that deletes itself, and writing small files into it.
#pragma once

#include <boost/filesystem.hpp>
#include <fstream>
#include <string>

namespace migtest::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "migtest-test")
      : path_(boost::filesystem::temp_directory_path() / boost::filesystem::unique_path(prefix + "-%%%%%%%%")) {
    boost::filesystem::create_directories(path_);
  }
  ~TempDir() {
    boost::system::error_code ec;
    boost::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const boost::filesystem::path& path() const { return path_; }
  boost::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  /// Writes `text` to `name` (a relative path; its folders are created).
  boost::filesystem::path write(const std::string& name, const std::string& text) const {
    const boost::filesystem::path p = path_ / name;
    boost::filesystem::create_directories(p.parent_path());
    std::ofstream(p.string(), std::ios::binary) << text;
    return p;
  }

 private:
  boost::filesystem::path path_;
};

}  // namespace migtest::test
