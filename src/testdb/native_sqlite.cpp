// The SQLite connection under a Session, for the user's own SQLiteCpp code.
#include "migtest/testdb/native_sqlite.hpp"

#include <fmt/format.h>

#include "backend/backend.hpp"
#include "migtest/error.hpp"
#include "migtest/testdb/session.hpp"

namespace migtest {

namespace {
[[noreturn]] void not_sqlite(Session& session, const char* caller) {
  throw state_error(
      fmt::format("{}(): the session is on {}, not SQLite", caller, to_string(session.dialect())));
}
}  // namespace

SQLite::Database& sqlite_database(Session& session) {
  SQLite::Database* database = detail::sqlite_database_of(session.connection());
  if (!database) not_sqlite(session, "sqlite_database");
  return *database;
}

sqlite3* sqlite_handle(Session& session) {
  sqlite3* handle = detail::sqlite_handle_of(session.connection());
  if (!handle) not_sqlite(session, "sqlite_handle");
  return handle;
}

}  // namespace migtest
