// The cache's lifecycle: when a template was last used, and the automatic pruning of what has
// not been used for MIGTEST_CACHE_MAX_AGE (list_cache, prune_cache and clear_cache, the rest
// of it, are public in migtest/testdb.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "migtest/testdb.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

/// Records that this process uses `t` (at most once per process per template), then prunes
/// what is stale where it lives, at most once per day:
/// - SQLite: touches the file's mtime; prunes its cache directory when the stamp file
///   `migtest_prune.stamp` there is older than a day (no stamp is written while the directory
///   holds nothing but this template: nothing could be stale).
/// - PostgreSQL: reads the template's COMMENT and writes `used=<today>` into it when it names
///   another day (one catalog read per process, a write per template per day); the process
///   that writes it prunes the server.
/// MIGTEST_CACHE_MAX_AGE=0 turns pruning off (the use is still recorded). Never throws: a
/// failure is printed, and the test goes on.
void note_template_used(const Template& t);

/// Touches `path`'s mtime, at most once per process per path: how a cache file (a
/// verification result, say) records its use. Never throws.
void note_file_used(const std::string& path);

/// A small cache file's bytes ("" when it cannot be read).
std::string read_cache_file(const std::string& path);
/// Writes a small cache file: beside it, then renamed over it (a reader sees a whole file or
/// none), readable by this user only. Never throws: a cache that cannot be written only
/// costs the next process the work it saves.
void write_cache_file(const std::string& path, const std::string& bytes);

/// "512 B", "48.0 KiB", "3.2 MiB", "1.1 GiB".
std::string human_size(std::uint64_t bytes);
/// An entry's last use in UTC: "2025-01-31 14:05" (files), "2025-01-31" (PostgreSQL records
/// the day), or "never recorded".
std::string format_last_used(const CacheEntry& e);

/// The stamp file in a cache directory whose mtime says when it was last pruned.
inline constexpr const char* kPruneStamp = "migtest_prune.stamp";

}  // namespace migtest::detail
