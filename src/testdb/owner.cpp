#include "testdb/owner.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <random>

#include "source/sha256.hpp"

namespace migtest::detail {

namespace {

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// "pid:[4026531836]": the pid namespace this process sees pids in.
std::string pid_namespace() {
  char buf[64] = {};
  const ssize_t n = ::readlink("/proc/self/ns/pid", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// 'Z' for a zombie; '\0' when /proc does not say.
char process_state(long pid) {
  const std::string stat = first_line(fmt::format("/proc/{}/stat", pid).c_str());
  const auto paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : '\0';
}

}  // namespace

Owner Owner::self() { return Owner(this_host(), ::getpid()); }

const std::string& Owner::this_host() {
  static const std::string tag = [] {
    std::string machine = first_line("/etc/machine-id");
    if (machine.empty()) machine = first_line("/var/lib/dbus/machine-id");
    return sha256_hex(
               fmt::format("migtest host\n{}\n{}\n{}", host_name(), machine, pid_namespace()))
        .substr(0, 8);
  }();
  return tag;
}

bool Owner::gone() const { return on_this_host() && !process_alive(pid_); }

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  // Running (EPERM: as another user), unless it is a zombie.
  return process_state(pid) != 'Z';
}

const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return std::string("localhost");
    return std::string(buf);
  }();
  return name;
}

std::string random_hex8() {
  // Seeded once from the OS: names from two processes (or two runs) must not collide,
  // and the pid in the name already separates concurrent processes.
  static std::mt19937_64 rng{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           (static_cast<std::uint64_t>(::getpid()) << 16);
  }()};
  return fmt::format("{:08x}", static_cast<std::uint32_t>(rng()));
}

}  // namespace migtest::detail
