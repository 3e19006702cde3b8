// Test support: run the real migtest binary and capture what it prints.
#pragma once

#include <sys/wait.h>

#include <boost/filesystem.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace migtest::test {

struct Output {
  int code = -1;
  std::string out, err;
};

inline std::string slurp(const boost::filesystem::path& p) {
  std::ifstream in(p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

/// Runs `args` (already quoted where needed) with the program `exe`, in `cwd`.
inline Output run_program(const std::string& exe, const std::string& args,
                          const boost::filesystem::path& cwd, const std::string& env = "") {
  auto out_file = boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("mt-out-%%%%%%%%");
  auto err_file = boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("mt-err-%%%%%%%%");
  std::string cmd = "cd " + shell_quote(cwd.string()) + " && env -u DATABASE_URL " + env + " " +
                    shell_quote(exe) + " " + args + " </dev/null >" + shell_quote(out_file.string()) +
                    " 2>" + shell_quote(err_file.string());
  int status = std::system(cmd.c_str());
  Output o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = slurp(out_file);
  o.err = slurp(err_file);
  boost::filesystem::remove(out_file);
  boost::filesystem::remove(err_file);
  return o;
}

/// Runs `args` (already quoted where needed) with the migtest binary, in `cwd`.
inline Output run_migtest(const std::string& args, const boost::filesystem::path& cwd,
                          const std::string& env = "") {
  return run_program(MIGTEST_EXE, args, cwd, env);
}

}  // namespace migtest::test
