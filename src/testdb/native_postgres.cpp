// The libpqxx connection and transaction under a Session, for the user's own libpqxx code.
#include "migtest/testdb/native_postgres.hpp"

#include <fmt/format.h>

#include "backend/postgres/postgres_connection.hpp"
#include "migtest/error.hpp"
#include "migtest/testdb/session.hpp"

namespace migtest {

namespace {
detail::PostgresConnection& postgres_of(Session& session, const char* caller) {
  auto* postgres = dynamic_cast<detail::PostgresConnection*>(&session.connection());
  if (!postgres) {
    throw state_error(
        fmt::format("{}(): the session is on {}, not PostgreSQL", caller, session.dialect()));
  }
  return *postgres;
}
}  // namespace

pqxx::connection& postgres_connection(Session& session) {
  // PostgresConnection holds exactly a pqxx::connection; its header names only the base.
  return static_cast<pqxx::connection&>(postgres_of(session, "postgres_connection").native());
}

pqxx::dbtransaction& postgres_transaction(Session& session) {
  pqxx::dbtransaction* transaction =
      postgres_of(session, "postgres_transaction").native_transaction();
  if (!transaction) {
    throw state_error(
        "postgres_transaction(): no transaction is open (fresh mode: call session().begin() "
        "first, or open a pqxx::work of your own on postgres_connection())");
  }
  return *transaction;
}

}  // namespace migtest
