// verify's report cache: a whole VerifyReport kept in a TOML file under a key that covers
// everything its results depend on, so that the processes of one test run (one per case under
// gtest_discover_tests) verify a history once. docs/reference/verify.md, "The cache".
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "migtest/source.hpp"
#include "migtest/verify.hpp"

namespace migtest::detail {

/// False when MIGTEST_VERIFY_CACHE is "0", "off", "false" or "no".
bool verify_cache_enabled();

/// SHA-256 (hex) of what the report of verifying `history` with `options` on `dialect`
/// depends on: the history's content hash (and the program's build, executable_identity(),
/// when a C++ revision or seed has code no build hashed), migtest's version, the dialect,
/// the server (its URL without password; "" for SQLite) and the SQLite library's version,
/// the version table, and the options that decide results: checks, heads, floor, skips,
/// lint_fails, incremental_reflection, the compare options, the seeds and the models (their
/// expected schema and DDL on `dialect`). Callbacks (on_revision, fresh_database) are not
/// part of it. Throws what expected_schema() throws for invalid models.
std::string verify_cache_key(const History& history, const VerifyOptions& options, Dialect dialect,
                             const std::string& server_url);

/// One cache file: the report, and who wrote it for which key.
struct VerifyCacheEntry {
  std::string key;      // 64 hex digits
  std::string run;      // the test run a failed report is shared in (current_test_run())
  long pid = 0;         // the process that verified
  std::string written;  // when, "2024-05-01T12:00:00Z"
  std::string history;  // what was verified, for people: its directory, or "C++ revisions"
  VerifyReport report;

  bool operator==(const VerifyCacheEntry& o) const {
    return key == o.key && run == o.run && pid == o.pid && written == o.written &&
           history == o.history && report == o.report;
  }
};

/// The entry as TOML (format 1, stamped with this migtest's version), and back. Reading
/// throws error naming what is missing or malformed; an entry of another format or migtest
/// version is refused the same way.
std::string entry_to_toml(const VerifyCacheEntry& entry);
VerifyCacheEntry entry_from_toml(std::string_view text);

/// The test run a failed report may be shared in: under ctest (which marks its tests'
/// environment with CTEST_INTERACTIVE_DEBUG_MODE or DASHBOARD_TEST_FROM_CTEST), the ctest
/// process that started this one (host, pid and start time); "" anywhere else.
std::string current_test_run();

/// Where `key`'s entry and its lock live in `directory`: migtest_verify_<key16>.toml/.lock.
std::string verify_cache_file(const std::string& directory, const std::string& key);
std::string verify_cache_lock(const std::string& directory, const std::string& key);

/// What cached_verify() gave.
struct CachedReport {
  VerifyReport report;
  bool from_cache = false;  // read from an entry, not verified by this call
  std::string file;         // the entry; "" when the cache could not be used
  long pid = 0;             // who verified, and when (the entry's)
  std::string written;
};

/// The report of `key`: a usable entry's in `directory`, else `run()`'s, stored there for the
/// next process. `run()` runs under the entry's lock, so concurrent processes run it once:
/// the others wait and read its entry. An entry that is missing, unreadable, corrupt, of
/// another key, format or migtest version is verified again and replaced. A failed report
/// (ok() false) is reused only inside the test run that wrote it (current_test_run()). When
/// the directory or the lock cannot be used, `run()` runs without the cache and one line on
/// stderr says why. `history` is what the entry says was verified.
CachedReport cached_verify(const std::string& directory, const std::string& key,
                           const std::string& history, const std::function<VerifyReport()>& run);

}  // namespace migtest::detail
