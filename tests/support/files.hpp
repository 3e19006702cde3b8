// Test support: a temporary directory that deletes itself, and writing small files into it.
#pragma once

#include <boost/filesystem.hpp>
#include <fstream>
#include <string>

namespace migtest::test {

/// A fresh directory for one test (or one fixture), removed with everything in it at the end.
class TempDir {
 public:
  /// `prefix`-XXXXXXXX in the system's temporary directory.
  explicit TempDir(const std::string& prefix = "migtest-test")
      : TempDir(boost::filesystem::temp_directory_path(), prefix) {}
  /// `prefix`-XXXXXXXX in `parent`: for a test that keeps its files somewhere of its choosing
  /// (under the build tree, say).
  TempDir(const boost::filesystem::path& parent, const std::string& prefix)
      : path_(parent / boost::filesystem::unique_path(prefix + "-%%%%%%%%")),
        string_(path_.generic_string()) {
    boost::filesystem::create_directories(path_);
  }
  ~TempDir() {
    boost::system::error_code ec;
    boost::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const boost::filesystem::path& path() const { return path_; }
  const std::string& string() const { return string_; }
  /// string()/name: the way the loader and the CLI name an entry in their messages.
  std::string operator/(const std::string& name) const { return string_ + "/" + name; }

  /// Writes `text` byte for byte to `name` (a relative path; its folders are created).
  boost::filesystem::path write(const std::string& name, const std::string& text) const {
    const boost::filesystem::path p = path_ / name;
    boost::filesystem::create_directories(p.parent_path());
    std::ofstream(p.string(), std::ios::binary) << text;
    return p;
  }
  /// Creates the folder `name` (a relative path) and those above it.
  boost::filesystem::path mkdir(const std::string& name) const {
    const boost::filesystem::path p = path_ / name;
    boost::filesystem::create_directories(p);
    return p;
  }

 private:
  boost::filesystem::path path_;
  std::string string_;
};

}  // namespace migtest::test
