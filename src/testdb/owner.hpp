// Who owns a temporary database or file: a process on a host. Every temporary name carries
// its owner, so ownership can be read from what exists at once, before any marker.
#pragma once

#include <string>

namespace migtest::detail {

/// A process on a host.
class Owner {
 public:
  Owner(std::string host, long pid) : host_(std::move(host)), pid_(pid) {}

  /// This process (a forked child is another owner).
  static Owner self();
  /// This host's tag: 8 hex digits of a hash of the host name, the machine id and the pid
  /// namespace, the scope in which a pid means something (two containers on one machine,
  /// or two machines with one host name, get different tags).
  static const std::string& this_host();

  /// The host tag.
  const std::string& host() const { return host_; }
  long pid() const { return pid_; }
  /// The owner runs (or ran) on this host: its pid can be checked here.
  bool on_this_host() const { return host_ == this_host(); }
  /// Provably gone: on this host and its pid no longer runs. What the reaper may remove;
  /// never true for another host's process.
  bool gone() const;

 private:
  std::string host_;
  long pid_;
};

/// False only when `pid` is known not to run: kill(pid, 0) says ESRCH, or it is a zombie
/// (killed, not yet waited for: its files and connections are closed).
bool process_alive(long pid);
/// This host's name ("localhost" when it has none); the markers show it to people.
const std::string& host_name();
/// 8 random lower-case hex digits.
std::string random_hex8();

}  // namespace migtest::detail
