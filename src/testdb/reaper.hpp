// The reaper: what processes now gone left behind (their names say whose they were) is
// removed by the next migtest process on the same host: a fixture, or any migtest command.
#pragma once

#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/testdb.hpp"

namespace migtest::detail {

/// reap_leftovers once per process per (directories, server), unless MIGTEST_REAP=0; errors
/// are printed, never thrown (reaping is housekeeping: it must not fail the caller).
void reap_once(const std::string& temp_directory, const std::string& cache_directory,
               const std::string& server_url);

/// reap_once on default_temp_directory() and default_cache_directory(), no server: what
/// every migtest command does first (two directory scans; never throws).
void reap_default_directories_once();

/// The server's leftovers, reaped through `connection` (any connection to that server, a
/// user's own included: one catalog query, then a DROP per leftover). Once per process per
/// server URL, unless MIGTEST_REAP=0 or `connection` is not PostgreSQL; never throws.
void reap_server_once(Connection& connection);

/// The leftovers on the server `admin` is connected to: dropped (`remove`) or listed,
/// those of dead owners on this host only (`only_gone`) or all.
std::vector<Leftover> scan_server(Connection& admin, bool only_gone, bool remove);

}  // namespace migtest::detail
