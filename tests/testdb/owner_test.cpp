// Owners: a pid means something only on its own host (machine and pid namespace); a process
// killed but not yet waited for (a zombie) is gone.
#include "testdb/owner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "testdb_support.hpp"

using migtest::detail::Owner;
using migtest::detail::process_alive;

TEST(Owner, HostIsATagOfEightHexDigitsStableInTheProcess) {
  EXPECT_TRUE(std::regex_match(Owner::this_host(), std::regex("[0-9a-f]{8}")))
      << Owner::this_host();
  EXPECT_EQ(Owner::self().host(), Owner::this_host());
  EXPECT_EQ(Owner::self().pid(), ::getpid());
}

TEST(Owner, GoneOnlyWhenOnThisHostAndNotRunning) {
  const std::string other = Owner::this_host() == "deadbeef" ? "feedface" : "deadbeef";
  EXPECT_FALSE(Owner::self().gone());
  EXPECT_TRUE(Owner(Owner::this_host(), 4194305).gone());  // pids stop at 2^22
  EXPECT_FALSE(Owner(other, 4194305).gone());              // another host's: never judged here
  EXPECT_FALSE(Owner(other, ::getpid()).on_this_host());
}

TEST(Owner, AKilledChildIsGoneBeforeItIsWaitedFor) {
  const pid_t child = ::fork();
  if (child == 0) {
    for (;;) ::pause();
  }
  EXPECT_TRUE(process_alive(child));
  ::kill(child, SIGKILL);
  // A zombie until waited for: dead all the same (its files and connections are closed).
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !process_alive(child);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_FALSE(process_alive(child));
}
