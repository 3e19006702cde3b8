// The one file lock of the library: an exclusive flock(2) on a file. The SQLite migration lock,
// template builds, the verification cache and the cache's look at what is in use all take it.
//
//   detail::FileLock lock(path + ".lock", 60000, "the template lock");   // waits, or throws
//   if (detail::FileLock::try_existing(path).held_elsewhere()) ...        // a look, no wait
//
// flock rather than fcntl locks: it is independent of SQLite's own fcntl locks on the same
// file, and the kernel releases it when the process ends, however it ends.
#pragma once

#include <string>
#include <string_view>

namespace migtest::detail {

class FileLock {
 public:
  /// Opens `path` (created when missing) and waits up to `timeout_ms` for the lock; an error
  /// naming `what` and the path when it times out or the file cannot be opened.
  FileLock(const std::string& path, int timeout_ms, std::string_view what);
  /// One try, without waiting and without creating the file: the lock when nobody holds it
  /// (a missing file is held by nobody, and nothing is taken).
  static FileLock try_existing(const std::string& path);
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  /// True when another process (or another open of the file) holds the lock.
  bool held_elsewhere() const { return held_elsewhere_; }

 private:
  FileLock() = default;
  int fd_ = -1;
  bool held_elsewhere_ = false;
};

}  // namespace migtest::detail
