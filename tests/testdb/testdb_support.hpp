// Support for testdb's tests (and the fixtures' tests, which include it): helper processes run to completion or held and killed.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "support/files.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"  // shell_quote, slurp

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

/// A helper process started in the background, to be held at a known point and killed
/// (SIGKILL: no destructor runs, as when CI or a person kills a run). Killed and waited for
/// by the destructor if still running.
class Process {
 public:
  Process(const std::string& exe, const std::string& args, const std::string& env = "")
      : output_(out_ / "output.txt") {
    // `exec`: the pid is the program's own, not a shell's.
    const std::string cmd = "exec env " + env + " " + shell_quote(exe) + " " + args + " >" +
                            shell_quote(output_) + " 2>&1 </dev/null";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Process() {
    if (running_) kill();
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  std::string output() const { return slurp(output_); }

  /// Waits (up to `seconds`) until `condition` holds, or the process ends; true when it held.
  bool wait_until(const std::function<bool()>& condition, int seconds = 120) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      int status = 0;
      if (running_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
        running_ = false;
        status_ = status;
      }
      if (!running_) return condition();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  /// SIGKILL, then waits for it (so that its pid no longer runs).
  void kill() {
    if (running_) ::kill(pid_, SIGKILL);
    wait();
  }
  /// Waits for the end; true when SIGKILL ended it.
  bool wait() {
    if (running_) {
      ::waitpid(pid_, &status_, 0);
      running_ = false;
    }
    return killed();
  }
  bool killed() const { return WIFSIGNALED(status_) && WTERMSIG(status_) == SIGKILL; }
  int exit_code() const { return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1; }

 private:
  TempDir out_{"migtest-process"};
  std::string output_;
  pid_t pid_ = -1;
  bool running_ = true;
  int status_ = 0;
};

struct ChildOutput {
  int code = -1;
  std::string output;  // stdout and stderr
  pid_t pid = -1;      // what its leftovers would be named after
};

/// Runs `exe args` (quoted as needed) with `env`'s settings ("-u A B=2", quoted) to its end.
inline ChildOutput run_program(const std::string& exe, const std::string& args,
                               const std::string& env = "") {
  Process p(exe, args, env);
  p.wait();
  return {p.exit_code(), p.output(), p.pid()};
}

}  // namespace migtest::test
