// The libpqxx connection and transaction under a Session, for the user's own libpqxx code.
#include "migtest/testdb/native_postgres.hpp"

#include <fmt/format.h>

#include "backend/backend.hpp"
#include "migtest/error.hpp"
#include "migtest/testdb/session.hpp"

namespace migtest {

namespace {
pqxx::connection_base& postgres_of(Session& session, const char* caller) {
  pqxx::connection_base* postgres = detail::postgres_native_of(session.connection());
  if (!postgres) {
    throw state_error(fmt::format("{}(): the session is on {}, not PostgreSQL", caller,
                                  to_string(session.dialect())));
  }
  return *postgres;
}
}  // namespace

pqxx::connection& postgres_connection(Session& session) {
  // The backend holds exactly a pqxx::connection; its interface names only the base.
  return static_cast<pqxx::connection&>(postgres_of(session, "postgres_connection"));
}

pqxx::dbtransaction& postgres_transaction(Session& session) {
  postgres_of(session, "postgres_transaction");
  pqxx::dbtransaction* transaction = detail::postgres_transaction_of(session.connection());
  if (!transaction) {
    throw state_error(
        "postgres_transaction(): no transaction is open (fresh mode: call session().begin() "
        "first, or open a pqxx::work of your own on postgres_connection())");
  }
  return *transaction;
}

}  // namespace migtest
