#include "file_lock.hpp"

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

FileLock::FileLock(const std::string& path, int timeout_ms, std::string_view what) {
  // Read-only is enough for flock, and works on a database file this user may only read.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw error(fmt::format("cannot lock '{}': {}", path, std::strerror(errno)));
  // flock has no timeout: poll it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK && err != EINTR) {
      ::close(fd_);
      throw error(fmt::format("cannot lock '{}': {}", path, std::strerror(err)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::close(fd_);
      throw error(fmt::format("timed out after {} ms waiting for {} '{}'", timeout_ms, what, path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FileLock FileLock::try_existing(const std::string& path) {
  FileLock lock;
  lock.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (lock.fd_ >= 0 && ::flock(lock.fd_, LOCK_EX | LOCK_NB) != 0) {
    lock.held_elsewhere_ = true;
    ::close(lock.fd_);
    lock.fd_ = -1;
  }
  return lock;
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(other.fd_), held_elsewhere_(other.held_elsewhere_) {
  other.fd_ = -1;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace migtest::detail
