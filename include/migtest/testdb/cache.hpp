// migtest/testdb/cache.hpp: what testdb keeps across runs (templates, pool databases,
// verification results): list it, prune what is unused, clear it.
//   for (const auto& e : migtest::list_cache(migtest::default_cache_directory(), url)) ...
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/testdb/backend.hpp"

namespace migtest {

/// What the cache keeps: a template, a pool database cloned from one, or a verification
/// result.
/// reset_state: what a PostgreSQL template's copies are compared with before reuse (a file).
/// history_stamp: a history's content hash and the state of its files (a file), so that a
/// test process whose template exists does not load the history.
enum class CacheKind { template_database, pool_database, verification, reset_state, history_stamp };

/// "template", "pool", "verification", "reset-state" or "history-stamp".
std::string to_string(CacheKind kind);

/// One thing the cache keeps: a file in the cache directory or a database on a server.
struct CacheEntry {
  CacheKind kind = CacheKind::template_database;
  std::optional<Backend> backend;  // none for a verification result (a file, any backend)
  std::string name;                // the file's absolute path, or the database's name
  std::string key16;               // the first 16 hex digits of its key, as in its name
  std::uint64_t size = 0;          // bytes on disk
  /// Files: their mtime. PostgreSQL: the end of the day the template's COMMENT names
  /// (`used=YYYY-MM-DD`; a pool follows its template). nullopt: not recorded yet.
  std::optional<std::chrono::system_clock::time_point> last_used;
  /// Its lock file is held (a build or a verification), a connection is open to it, a
  /// copy of it is being made, or (a pool database) a process has claimed it.
  bool in_use = false;

  bool operator==(const CacheEntry& o) const;
  bool operator!=(const CacheEntry& o) const { return !(*this == o); }
};

/// "template sqlite /path/migtest_tpl_0123456789abcdef.db 48.0 KiB, last used ..., in use".
std::string to_string(const CacheEntry& entry);

/// What prune_cache or clear_cache did.
struct CacheCleanup {
  std::vector<CacheEntry> removed;
  std::vector<CacheEntry> kept_in_use;  // would have gone, but something uses it
  std::vector<std::string> errors;      // one line each, naming the entry
};

/// What the cache keeps: the templates and verification results in `cache_directory`, and
/// the templates and pool databases on the server of `server_url` that its user owns
/// ("" skips either). Files of another user, and what is not named as migtest's cache, are
/// not listed. Sorted by backend, kind and name.
std::vector<CacheEntry> list_cache(const std::string& cache_directory,
                                   const std::string& server_url);

/// Removes the entries unused for longer than `max_age`, never one in use. A PostgreSQL
/// template whose use was never recorded is given today's date instead (its age starts now).
CacheCleanup prune_cache(std::chrono::seconds max_age, const std::string& cache_directory,
                         const std::string& server_url);

/// Removes every entry not in use.
CacheCleanup clear_cache(const std::string& cache_directory, const std::string& server_url);

/// "30s", "15m", "12h", "7d", "2w" or "0" as seconds; config_error naming `text` otherwise.
std::chrono::seconds parse_age(std::string_view text);

/// MIGTEST_CACHE_MAX_AGE (parse_age), 7 days when unset: how long an unused entry is kept
/// before automatic pruning removes it. 0: automatic pruning is off.
std::chrono::seconds cache_max_age();

}  // namespace migtest
