// migtest/testdb/reaper.hpp: what killed runs left behind (their names say whose it was) is
// removed by the next migtest process; templates are kept across runs as a cache.
//   for (const auto& l : migtest::reap_leftovers(migtest::default_temp_directory(), "", url))
//     std::cout << "reaped " << l.name << "\n";
#pragma once

#include <string>
#include <vector>

namespace migtest {

/// What the reaper found or removed.
struct Leftover {
  std::string kind;  // "file" or "database"
  std::string name;  // path or database name
  long pid = 0;      // the owner named in it
  std::string host;  // the owner's host tag (8 hex digits) named in it
};

/// False when MIGTEST_REAP is "0": then neither the fixtures nor the migtest command reap.
bool reaping_enabled();

/// Deletes the SQLite files in `temp_directory`, the half-built templates in
/// `cache_directory` and (when `server_url` is not "") the PostgreSQL databases that
/// processes now gone left behind: names whose owner is on this host and whose pid no
/// longer runs, never by age. Returns what it removed. Fixtures call it once per process and
/// every migtest command at its start (reaping_enabled() decides). Pool databases
/// (`migtest_pool_...`) are owned by no process and never reaped.
std::vector<Leftover> reap_leftovers(const std::string& temp_directory,
                                     const std::string& cache_directory,
                                     const std::string& server_url);

/// Every migtest temporary file in `temp_directory` and half-built template in
/// `cache_directory`, and every migtest temporary database on the server (when
/// `server_url` is not ""), whatever their owner: what a run that cleaned up leaves none of.
/// Kept databases (MIGTEST_KEEP), complete templates and pool databases are not listed.
std::vector<Leftover> list_temporaries(const std::string& temp_directory,
                                       const std::string& cache_directory,
                                       const std::string& server_url);

/// list_temporaries() less what processes still running on this host hold: what a run left
/// behind once its processes ended, even while other suites use the same server and
/// directories. (Another host's temporaries are listed: whether they run cannot be seen.)
std::vector<Leftover> list_left_behind(const std::string& temp_directory,
                                       const std::string& cache_directory,
                                       const std::string& server_url);

/// Refuses (config_error) a server URL whose database holds user tables: fixtures create
/// and drop databases there, so it must be a maintenance database such as "postgres".
void check_server(const std::string& server_url);

/// Drops every complete PostgreSQL template migtest built on the server (they are kept
/// across runs as a cache); returns their names.
std::vector<std::string> drop_templates(const std::string& server_url);

}  // namespace migtest
