// The driver under a connection, for the modules above the backend (backend/backend.hpp).
#include "backend/backend.hpp"

#include <cstdio>

#include "backend/postgres/postgres_connection.hpp"
#include "backend/sqlite/sqlite_connection.hpp"
#include "sql_quote.hpp"

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

std::string value_literal(const Value& v, std::string_view blob_open, bool upper_hex,
                          std::string_view blob_close) {
  if (v.is_null()) return "NULL";
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_real()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v.as_real());
    return buf;
  }
  if (v.is_text()) return quote_literal(v.as_text());
  const char* digits = upper_hex ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out(blob_open);
  for (unsigned char b : v.as_blob().bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out.append(blob_close);
}

}  // namespace migtest::detail
