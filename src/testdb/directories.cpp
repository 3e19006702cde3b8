#include "testdb/directories.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cstdlib>

#include "migtest/error.hpp"
#include "migtest/testdb.hpp"

namespace migtest {

namespace fs = boost::filesystem;

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
}  // namespace

std::string default_temp_directory() {
  const std::string v = env("MIGTEST_TMPDIR");
  if (!v.empty()) return v;
  return (fs::temp_directory_path() / fmt::format("migtest-{}", ::getuid())).string();
}

std::string default_cache_directory(const std::string& temp_directory) {
  const std::string v = env("MIGTEST_CACHE_DIR");
  if (!v.empty()) return v;
  return (fs::path(temp_directory) / "templates").string();
}

std::string default_postgres_url() { return env("MIGTEST_POSTGRES_URL"); }

namespace detail {

std::string ensure_directory(const std::string& directory) {
  fs::path p = fs::absolute(directory);
  if (!fs::is_directory(p)) {
    boost::system::error_code ec;
    fs::create_directories(p, ec);
    if (ec && !fs::is_directory(p)) {
      throw config_error(fmt::format("cannot create directory '{}': {}", p.string(), ec.message()));
    }
    ::chmod(p.c_str(), 0700);
  }
  return p.lexically_normal().string();
}

}  // namespace detail

}  // namespace migtest
