// The driver under a connection, for the modules above the backend (backend/backend.hpp).
#include "backend/backend.hpp"

#include "backend/postgres/postgres_connection.hpp"
#include "backend/sqlite/sqlite_connection.hpp"

namespace migtest::detail {

namespace {
SqliteConnection* sqlite_of(Connection& c) { return dynamic_cast<SqliteConnection*>(&c); }
PostgresConnection* postgres_of(Connection& c) { return dynamic_cast<PostgresConnection*>(&c); }
}  // namespace

sqlite3* sqlite_handle_of(Connection& connection) {
  auto* sqlite = sqlite_of(connection);
  return sqlite ? sqlite->handle() : nullptr;
}

SQLite::Database* sqlite_database_of(Connection& connection) {
  auto* sqlite = sqlite_of(connection);
  return sqlite ? &sqlite->native() : nullptr;
}

const std::string* sqlite_path_of(const Connection& connection) {
  auto* sqlite = dynamic_cast<const SqliteConnection*>(&connection);
  return sqlite ? &sqlite->path() : nullptr;
}

const DatabaseUrl* postgres_url_of(const Connection& connection) {
  auto* postgres = dynamic_cast<const PostgresConnection*>(&connection);
  return postgres ? &postgres->database_url() : nullptr;
}

pqxx::connection_base* postgres_native_of(Connection& connection) {
  auto* postgres = postgres_of(connection);
  return postgres ? &postgres->native() : nullptr;
}

pqxx::dbtransaction* postgres_transaction_of(Connection& connection) {
  auto* postgres = postgres_of(connection);
  return postgres ? postgres->native_transaction() : nullptr;
}

}  // namespace migtest::detail
