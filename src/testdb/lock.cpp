#include "testdb/lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "migtest/error.hpp"

namespace migtest::detail {

FileLock::FileLock(const std::string& path, int timeout_ms) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw error(fmt::format("cannot open lock file '{}': {}", path, std::strerror(errno)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(fd_);
      throw error(fmt::format("cannot lock '{}': {}", path, std::strerror(err)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::close(fd_);
      throw error(fmt::format("timed out after {} ms waiting for the template lock '{}'",
                              timeout_ms, path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FileLock::~FileLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

AdvisoryLock::AdvisoryLock(Server& server, std::string key, int timeout_ms)
    : server_(server), key_(std::move(key)) {
  std::lock_guard<std::mutex> lock(server_.mutex);
  server_.admin().lock(key_, timeout_ms);
}

AdvisoryLock::~AdvisoryLock() {
  try {
    std::lock_guard<std::mutex> lock(server_.mutex);
    server_.admin().unlock(key_);
  } catch (...) {
  }
}

}  // namespace migtest::detail
