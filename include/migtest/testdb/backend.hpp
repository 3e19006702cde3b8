// migtest/testdb/backend.hpp: which engine a test database runs on, and where testdb puts what
// it makes (temporary files, templates, the server) unless told otherwise.
//   migtest::Backend b = migtest::parse_dialect("postgres");   // Backend::postgresql
//   std::string dir = migtest::default_temp_directory();     // MIGTEST_TMPDIR, or per user
#pragma once

#include <string>

#include "migtest/url.hpp"  // Dialect, to_string(Dialect), parse_dialect

namespace migtest {

/// The database engine a temporary database (or a test) runs on: a Dialect, named and read
/// by to_string(Dialect) and parse_dialect().
using Backend = Dialect;

/// Where temporary SQLite files go: MIGTEST_TMPDIR, else <system temp>/migtest-<uid> (per
/// user, so that a shared /tmp never mixes two users' files).
std::string default_temp_directory();
/// Where SQLite templates go: MIGTEST_CACHE_DIR, else <temp_directory>/templates.
std::string default_cache_directory(const std::string& temp_directory = default_temp_directory());
/// The server temporary PostgreSQL databases are created on: MIGTEST_POSTGRES_URL, else "".
std::string default_postgres_url();

}  // namespace migtest
