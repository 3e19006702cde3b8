// TestConfig: a test database's configuration, with the environment's defaults.
#include "migtest/testdb/config.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "migtest/error.hpp"
#include "migtest/metadata.hpp"

namespace migtest {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The number in the environment variable `name`, `fallback` when it is unset; config_error
// naming the variable when it is not a whole number of at least `min`.
int env_count(const char* name, int fallback, int min) {
  const std::string v = env(name);
  if (v.empty()) return fallback;
  errno = 0;
  char* end = nullptr;
  const long n = std::strtol(v.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || n < min || n > INT_MAX) {
    throw config_error(fmt::format("{}='{}' is not a number of {} or more", name, v, min));
  }
  return static_cast<int>(n);
}
}  // namespace

bool env_flag(const char* name) { return env(name) == "1"; }
bool keep_failed_databases() { return env_flag("MIGTEST_KEEP"); }

std::string to_string(Mode mode) { return mode == Mode::rollback ? "rollback" : "fresh"; }
std::ostream& operator<<(std::ostream& os, Mode mode) { return os << to_string(mode); }

Backend backend_from_environment() {
  const std::string v = env("MIGTEST_BACKEND");
  if (v.empty()) return Backend::sqlite;
  try {
    return parse_dialect(v);
  } catch (const config_error&) {
    throw config_error(
        fmt::format("MIGTEST_BACKEND='{}' is not a backend: use sqlite or postgresql", v),
        error_fields::caused_by(std::current_exception()));
  }
}

TestConfig& TestConfig::migrations(std::string directory) {
  migrations_ = std::move(directory);
  return *this;
}
TestConfig& TestConfig::registry(const Registry& registry) {
  registry_ = &registry;
  return *this;
}
TestConfig& TestConfig::models(const Metadata& models) {
  models_ = std::make_shared<const Metadata>(models);
  return *this;
}
TestConfig& TestConfig::backend(Backend backend) {
  backend_ = backend;
  return *this;
}
TestConfig& TestConfig::mode(Mode mode) {
  mode_ = mode;
  return *this;
}
TestConfig& TestConfig::schemas(std::vector<std::string> names) {
  schemas_ = std::move(names);
  return *this;
}

TestConfig& TestConfig::version_table(std::string name) {
  if (name.empty()) throw config_error("TestConfig::version_table: the name is empty");
  version_table_ = std::move(name);
  return *this;
}
TestConfig& TestConfig::at_revision(std::string target) {
  if (target.empty()) throw config_error("TestConfig::at_revision: the target is empty");
  target_ = std::move(target);
  return *this;
}
TestConfig& TestConfig::postgres_url(std::string url) {
  postgres_url_ = std::move(url);
  return *this;
}
TestConfig& TestConfig::temp_directory(std::string directory) {
  temp_directory_ = std::move(directory);
  return *this;
}
TestConfig& TestConfig::cache_directory(std::string directory) {
  cache_directory_ = std::move(directory);
  return *this;
}
TestConfig& TestConfig::pool_size(int databases) {
  if (databases < 0) {
    throw config_error(fmt::format("TestConfig::pool_size: {} is negative", databases));
  }
  pool_size_ = databases;
  return *this;
}
TestConfig& TestConfig::max_clones_in_flight(int clones) {
  if (clones < 1) {
    throw config_error(fmt::format("TestConfig::max_clones_in_flight: {} is below 1", clones));
  }
  max_clones_in_flight_ = clones;
  return *this;
}

Backend TestConfig::backend() const { return backend_ ? *backend_ : backend_from_environment(); }

Mode TestConfig::mode() const {
  if (mode_) return *mode_;
  // A template short of head is there to be migrated further, which needs real commits.
  return target_ == "head" ? Mode::rollback : Mode::fresh;
}

std::string TestConfig::postgres_url() const {
  return postgres_url_.empty() ? default_postgres_url() : postgres_url_;
}

std::string TestConfig::temp_directory() const {
  return temp_directory_.empty() ? default_temp_directory() : temp_directory_;
}

std::string TestConfig::cache_directory() const {
  return cache_directory_.empty() ? default_cache_directory(temp_directory()) : cache_directory_;
}

int TestConfig::pool_size() const {
  return pool_size_ ? *pool_size_ : env_count("MIGTEST_POOL_SIZE", 4, 0);
}

int TestConfig::max_clones_in_flight() const {
  return max_clones_in_flight_ ? *max_clones_in_flight_ : env_count("MIGTEST_POOL_CLONES", 2, 1);
}

bool TestConfig::operator==(const TestConfig& o) const {
  const bool same_models = models_ == o.models_ || (models_ && o.models_ && *models_ == *o.models_);
  return same_models && migrations_ == o.migrations_ && registry_ == o.registry_ &&
         backend_ == o.backend_ && mode_ == o.mode_ && version_table_ == o.version_table_ &&
         schemas_ == o.schemas_ && target_ == o.target_ && postgres_url_ == o.postgres_url_ &&
         temp_directory_ == o.temp_directory_ && cache_directory_ == o.cache_directory_ &&
         pool_size_ == o.pool_size_ && max_clones_in_flight_ == o.max_clones_in_flight_;
}

}  // namespace migtest
