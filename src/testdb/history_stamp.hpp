// A history's content hash kept in the cache directory, so that a test process whose template
// exists does not load the history at all: under ctest every test is a process, and loading
// (reading, splitting and hashing every revision file) grows with the history, about 15 ms at
// 1,000 revisions. The stamp is keyed by every file's name, size, inode and modification and
// change times; anything else about the directory and it is not used.
#pragma once

#include <optional>
#include <string>

namespace migtest::detail {

/// The content hash recorded for the history in `directory`, when its files are as they were
/// when it was recorded (same entries, sizes, inodes, modification and change times) and this
/// migtest version recorded it; nullopt otherwise.
std::optional<std::string> stamped_history_hash(const std::string& directory,
                                                const std::string& cache_directory);

/// Records `content_hash` (History::content_hash() of what was just loaded from `directory`).
/// Not recorded while a file's times are within two seconds of now: a file written in the
/// same clock tick as the stamp could change without changing its times. Never throws.
void stamp_history(const std::string& directory, const std::string& cache_directory,
                   const std::string& content_hash);

/// The stamp file of `directory` in `cache_directory`: migtest_history_<16 hex>.stamp.
std::string history_stamp_file(const std::string& directory, const std::string& cache_directory);

}  // namespace migtest::detail
