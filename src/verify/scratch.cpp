#include "verify/scratch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "backend/postgres/postgres_connection.hpp"
#include "migtest/url.hpp"

namespace migtest::detail {

namespace fs = std::filesystem;

namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return fmt::format("{}_{}_{:04x}", ::getpid(), ++counter, rd() & 0xffff);
}

}  // namespace

ScratchDatabase::ScratchDatabase(const std::string& backend_url) {
  bool postgres = !backend_url.empty() && parse_url(backend_url).dialect == "postgresql";
  if (!postgres) {
    std::string pattern = (fs::temp_directory_path() / "migtest-verify-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw error(fmt::format("cannot create a temporary directory {}", pattern));
    }
    directory_ = pattern;
    location_ = (fs::path(directory_) / "verify.db").string();
    connection_ = connect("sqlite:///" + location_);
    // Throwaway: no fsync, journal in memory (rollback of a failed revision still works).
    connection_->execute_script(
        "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;");
    return;
  }
  server_ = redact(backend_url);
  admin_ = connect(backend_url);
  location_ = "migtest_verify_" + unique_suffix();
  admin_->execute("CREATE DATABASE " + quote_ident(location_));
  try {
    connection_ = connect(migtest::with_database(backend_url, location_));
    // Throwaway: a commit need not wait for the WAL to reach the disk.
    connection_->execute("SET synchronous_commit = off");
  } catch (...) {
    try {
      admin_->execute(fmt::format("DROP DATABASE IF EXISTS \"{}\"", location_));
    } catch (...) {
    }
    throw;
  }
}

ScratchDatabase::~ScratchDatabase() {
  connection_.reset();
  if (admin_) {
    try {
      drop_database(*admin_, location_);
    } catch (...) {
    }
  }
  if (!directory_.empty()) {
    std::error_code ec;
    fs::remove_all(directory_, ec);
  }
}

std::string ScratchDatabase::description() const {
  if (admin_) return fmt::format("temporary database {} on {}", location_, server_);
  return "temporary database";
}

}  // namespace migtest::detail
