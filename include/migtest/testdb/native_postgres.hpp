// migtest/testdb/native_postgres.hpp: the libpqxx connection and transaction under a test's
// Session, for the application's own libpqxx code; include it only if you use libpqxx.
//   pqxx::subtransaction tx(migtest::postgres_transaction(scope.session()));
//   tx.exec0("INSERT INTO post(author_id, title, body) VALUES (1, 'Hello', 'x')"); tx.commit();
#pragma once

#include <pqxx/connection>
#include <pqxx/dbtransaction>

namespace migtest {

class Session;

/// The libpqxx connection the session runs on. libpqxx allows one transaction object on a
/// connection at a time, and that rule keeps rollback mode safe:
///
/// - Mode::rollback: migtest's outer transaction is open on it (postgres_transaction()), so
///   a pqxx::work or pqxx::nontransaction of your own on it throws pqxx::usage_error before
///   any SQL is sent; it could not commit the outer transaction. Run your code on
///   postgres_transaction(), or on a pqxx::subtransaction of it (a savepoint: its commit()
///   keeps the work until the end of the test, its abort() undoes it).
/// - Mode::fresh: nothing of migtest's is open between the session's statements: a
///   pqxx::work of your own commits for real, as in production. Inside session().begin(),
///   postgres_transaction() is that transaction.
///
/// state_error when the session is not on PostgreSQL. Valid until the test ends.
pqxx::connection& postgres_connection(Session& session);
/// The transaction the session's statements run in: rollback mode's outer transaction, or
/// in fresh mode the one session().begin() opened (state_error outside one). Writes through
/// it are rolled back with the test (rollback mode). A failing statement run on it directly
/// aborts the whole transaction: run what may fail in a pqxx::subtransaction.
/// While your subtransaction is open, the session's own statements throw state_error.
pqxx::dbtransaction& postgres_transaction(Session& session);

}  // namespace migtest
