// The SQLite connection under a Session, for the user's own SQLiteCpp code.
#include "migtest/testdb/native_sqlite.hpp"

#include <fmt/format.h>

#include "backend/sqlite/sqlite_connection.hpp"
#include "migtest/error.hpp"
#include "migtest/testdb/session.hpp"

namespace migtest {

namespace {
detail::SqliteConnection& sqlite_of(Session& session, const char* caller) {
  auto* sqlite = dynamic_cast<detail::SqliteConnection*>(&session.connection());
  if (!sqlite) {
    throw state_error(
        fmt::format("{}(): the session is on {}, not SQLite", caller, session.dialect()));
  }
  return *sqlite;
}
}  // namespace

SQLite::Database& sqlite_database(Session& session) {
  return sqlite_of(session, "sqlite_database").native();
}

sqlite3* sqlite_handle(Session& session) { return sqlite_of(session, "sqlite_handle").handle(); }

}  // namespace migtest
