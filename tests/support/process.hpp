// Test support: run a program (the real migtest binary, a helper process, a server tool) to
// its end or in the background, and capture what it prints.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/files.hpp"

namespace migtest::test {

inline std::string slurp(const boost::filesystem::path& p) {
  std::ifstream in(p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

/// How a program runs.
struct Launch {
  boost::filesystem::path cwd;   // where it runs; empty: where the test runs
  std::string env;               // env(1) settings for it: "-u A B=2", quoted as needed
  bool stderr_into_out = false;  // one stream, interleaved as it printed (err stays empty)
};

/// Runs in `cwd`, with `env`'s settings.
inline Launch in_directory(const boost::filesystem::path& cwd, const std::string& env = "") {
  return {cwd, env, false};
}
/// Runs where the test runs, with `env`'s settings, its stderr into out: for the tests that
/// look for a line wherever a helper printed it.
inline Launch combined(const std::string& env = "") { return {{}, env, true}; }

/// What a program printed and how it ended.
struct Output {
  int code = -1;  // its exit code; -1 when a signal ended it
  std::string out, err;
  pid_t pid = -1;  // what its leftovers are named after
};

/// A program started in the background, its stdin /dev/null and DATABASE_URL unset (so that
/// only what a test sets reaches it), to be waited for, or held at a known point and killed
/// (SIGKILL: no destructor runs, as when CI or a person kills a run). Killed and waited for
/// by the destructor if still running.
class Process {
 public:
  /// Starts `exe args` (args quoted as needed).
  Process(const std::string& exe, const std::string& args, const Launch& how = {})
      : out_(files_ / "out"), err_(files_ / "err") {
    std::string cmd = how.cwd.empty() ? "" : "cd " + shell_quote(how.cwd.string()) + " && ";
    // `exec`: the pid is the program's own, not a shell's.
    cmd += "exec env -u DATABASE_URL " + how.env + " " + shell_quote(exe) + " " + args +
           " </dev/null >" + shell_quote(out_) +
           (how.stderr_into_out ? " 2>&1" : " 2>" + shell_quote(err_));
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
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
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }

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
  /// Once it ended: its exit code, what it printed, its pid.
  Output output() const { return {exit_code(), out(), err(), pid_}; }

 private:
  TempDir files_{"migtest-process"};
  std::string out_, err_;
  pid_t pid_ = -1;
  bool running_ = true;
  int status_ = 0;
};

/// Runs `exe args` (args quoted as needed) to its end.
inline Output run_program(const std::string& exe, const std::string& args, const Launch& how = {}) {
  Process p(exe, args, how);
  p.wait();
  return p.output();
}

/// Runs `args` (quoted as needed) with the migtest binary, in `cwd`.
inline Output run_migtest(const std::string& args, const boost::filesystem::path& cwd,
                          const std::string& env = "") {
  return run_program(MIGTEST_EXE, args, in_directory(cwd, env));
}

}  // namespace migtest::test
