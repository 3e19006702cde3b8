// migtest/url.hpp: the two dialects, and database URLs (which name one), parsed as libpq
// parses them and shown without their password.
//   auto u = migtest::parse_url("postgresql://me:s%40cret@/app?host=/tmp"); u.password == "s@cret";
//   u.dialect == migtest::Dialect::postgresql;  migtest::parse_dialect("pg") == u.dialect;
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace migtest {

/// The SQL dialect of a database: its URL, Connection::dialect(), Schema::dialect and the
/// SQL sections of a revision file name one.
enum class Dialect { sqlite, postgresql };

/// "sqlite" or "postgresql": how every output (CLI, reports, JSON, cache files) names a
/// dialect. migtest/format.hpp gives fmt the same text.
std::string to_string(Dialect dialect);
/// Reads a dialect's name: sqlite, sqlite3, postgresql, postgres or pg, in any case.
/// config_error naming the word otherwise.
Dialect parse_dialect(std::string_view name);
/// Prints to_string(dialect) (test frameworks print parameters with it).
std::ostream& operator<<(std::ostream& os, Dialect dialect);

/// SQLite's `mode=` URL parameter: how the file may be opened.
enum class SqliteMode {
  unspecified,        // no mode=: read-write, created when missing (unless ConnectOptions say not)
  read_only,          // mode=ro: opened read-only; a missing file is an error
  read_write,         // mode=rw: read-write; a missing file is an error, never created
  read_write_create,  // mode=rwc: read-write, created when missing (the default, spelled out)
};

/// One `key=value` of a URL's query, percent-decoded.
struct UrlParameter {
  std::string key, value;
  bool operator==(const UrlParameter& o) const { return key == o.key && value == o.value; }
  bool operator!=(const UrlParameter& o) const { return !(*this == o); }
};

struct DatabaseUrl {
  Dialect dialect = Dialect::sqlite;
  std::string original;  // as given (holds the password: never print it)

  // SQLite: the file path (taken literally) or ":memory:", and its mode= parameter.
  std::string path;
  SqliteMode sqlite_mode = SqliteMode::unspecified;

  // PostgreSQL: the parts of the URI, percent-decoded as libpq decodes them ("" when absent).
  std::string user;
  std::string password;            // never print it
  std::vector<std::string> hosts;  // one per comma-separated host ("" when none); IPv6 unbracketed
  std::vector<std::string> ports;  // one per host, "" where none is given
  std::string database;            // the database in the path (a dbname= parameter overrides it)

  /// The query's parameters in order (both dialects).
  std::vector<UrlParameter> parameters;

  /// The URL with any password replaced by ***.
  std::string redacted() const;
  bool is_memory() const { return dialect == Dialect::sqlite && path == ":memory:"; }
  /// A SQLite file that does not exist (yet): a command with nothing to write to it must not
  /// create it.
  bool names_missing_file() const;
};

/// Parses sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory: (parameter: mode=ro,
/// rw or rwc) and postgresql:// or postgres:// URIs as libpq reads them (percent-encoding, several
/// hosts, [IPv6], libpq's connection keywords as parameters). Throws connection_error, showing the
/// URL redacted, for an unknown scheme or parameter and for a URL libpq would refuse or read
/// otherwise than meant (a raw '@' or '/' in a password, a port that is not a number, ...).
DatabaseUrl parse_url(std::string_view url);

/// libpq's connection keywords (PostgreSQL 15, "Parameter Key Words"), sorted: the parameters a
/// postgresql:// URL may carry (and `ssl=true`, libpq's spelling of sslmode=require).
const std::vector<std::string_view>& postgres_keywords();

/// The same PostgreSQL server, another database: swaps the path of a libpq URI, and any
/// dbname= parameter (postgresql://u@host/old?x=y -> postgresql://u@host/new?x=y).
std::string with_database(std::string_view postgres_url, std::string_view database);

/// The database a libpq URI names, decoded: its dbname= parameter, else its path ("" when none:
/// libpq then uses the user's name).
std::string database_of(std::string_view postgres_url);

/// Any password in `text` (a URL, or a message holding URLs or libpq keyword/value strings)
/// replaced by ***. Where a URL's user information is ambiguous, everything from the ':' after
/// the user name to the last '@' is hidden.
std::string redact(std::string_view text);

}  // namespace migtest
