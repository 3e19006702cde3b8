// migtest/testdb/native_sqlite.hpp: the SQLite connection under a test's Session, for the
// application's own SQLiteCpp or sqlite3 code; include it only if you use SQLiteCpp.
//   PostRepository posts(migtest::sqlite_database(scope.session()));
//   posts.add(author, "Hello", "First post");  // rolled back at the end of the test
#pragma once

#include <SQLiteCpp/Database.h>

struct sqlite3;

namespace migtest {

class Session;

/// The SQLiteCpp database the session runs on. In Mode::rollback it is inside the test's
/// outer transaction: whatever your code writes through it is rolled back at the end of the
/// test. There, SQLite::Savepoint works as in production (RELEASE keeps the work until the
/// end of the test, rollback undoes it); SQLite::Transaction throws SQLite::Exception
/// ("cannot start a transaction within a transaction") before it changes anything; a raw
/// "COMMIT" or "ROLLBACK" statement would end the outer transaction: never run one.
/// In Mode::fresh it is the test's own database, and everything works as in production.
/// state_error when the session is not on SQLite. Valid until the test ends.
SQLite::Database& sqlite_database(Session& session);
/// The same connection as sqlite3's handle, for code written against the C API.
sqlite3* sqlite_handle(Session& session);

}  // namespace migtest
