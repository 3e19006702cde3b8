// migtest/url.hpp: database URLs, parsed and shown without their password.
//   auto u = migtest::parse_url("postgresql://me:secret@/app?host=/tmp"); u.redacted();
#pragma once

#include <string>
#include <string_view>

namespace migtest {

struct DatabaseUrl {
  std::string dialect;   // "sqlite" or "postgresql"
  std::string path;      // SQLite: file path or ":memory:"
  std::string original;  // as given (holds the password: never print it)

  /// The URL with any password replaced by ***.
  std::string redacted() const;
  bool is_memory() const { return dialect == "sqlite" && path == ":memory:"; }
};

/// Throws connection_error for an unknown scheme or a malformed URL.
DatabaseUrl parse_url(std::string_view url);

/// The same PostgreSQL server, another database: swaps the path of a libpq URI
/// (postgresql://u@host/old?x=y -> postgresql://u@host/new?x=y).
std::string with_database(std::string_view postgres_url, std::string_view database);

/// The database a libpq URI names in its path ("" when none: libpq then uses the user's).
std::string database_of(std::string_view postgres_url);

/// Any password in `text` (a URL or a message holding one) replaced by ***.
std::string redact(std::string_view text);

}  // namespace migtest
