// Test support: an environment variable set (or unset) for one scope, restored afterwards
// even when an assertion returns early.
#pragma once

#include <stdlib.h>

#include <optional>
#include <string>

namespace migtest::test {

class ScopedEnv {
 public:
  /// Sets `name` to `value`, or unsets it when `value` is nullptr.
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnv() { old_ ? ::setenv(name_.c_str(), old_->c_str(), 1) : ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace migtest::test
