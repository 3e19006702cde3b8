// The locks a template is built under, so that concurrent processes build it once: an flock
// on a file (SQLite templates) and an advisory lock on the server (PostgreSQL templates).
#pragma once

#include <string>

#include "testdb/server.hpp"

namespace migtest::detail {

/// An exclusive flock on a lock file, released by the destructor (or by the process's end).
class FileLock {
 public:
  /// Waits up to `timeout_ms`; error when it times out.
  FileLock(const std::string& path, int timeout_ms);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// An advisory lock held on the server's maintenance connection (released by the
/// destructor, or by the server when the connection goes).
class AdvisoryLock {
 public:
  AdvisoryLock(Server& server, std::string key, int timeout_ms);
  ~AdvisoryLock();
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  Server& server_;
  std::string key_;
};

}  // namespace migtest::detail
