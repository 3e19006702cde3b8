// migtest/testdb/backend.hpp: which engine a test database runs on, and where testdb puts what
// it makes (temporary files, templates, the server) unless told otherwise.
//   migtest::Backend b = migtest::parse_backend("postgres");   // Backend::postgresql
//   std::string dir = migtest::default_temp_directory();     // MIGTEST_TMPDIR, or per user
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace migtest {

/// The database engine a temporary database (or a test) runs on.
enum class Backend { sqlite, postgresql };

/// "sqlite" / "postgresql".
std::string to_string(Backend backend);
/// Parses "sqlite", "postgresql" or "postgres" (any case); config_error otherwise.
Backend parse_backend(std::string_view name);
/// Prints to_string(backend) (test frameworks print parameters with it).
std::ostream& operator<<(std::ostream& os, Backend backend);

/// Where temporary SQLite files go: MIGTEST_TMPDIR, else <system temp>/migtest-<uid> (per
/// user, so that a shared /tmp never mixes two users' files).
std::string default_temp_directory();
/// Where SQLite templates go: MIGTEST_CACHE_DIR, else <temp_directory>/templates.
std::string default_cache_directory(const std::string& temp_directory = default_temp_directory());
/// The server temporary PostgreSQL databases are created on: MIGTEST_POSTGRES_URL, else "".
std::string default_postgres_url();

}  // namespace migtest
