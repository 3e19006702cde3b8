// send_and_forget: libpq directly, because the point is to send and not wait for the result,
// which libpqxx's synchronous calls cannot do.
#include "testdb/forget.hpp"

#include <libpq-fe.h>

#include "sql_quote.hpp"

namespace migtest::detail {

namespace {
// Runs `sql` and waits for it: true when it succeeded.
bool run(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok =
      r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
  PQclear(r);
  return ok;
}
}  // namespace

bool send_and_forget(const std::string& url, const std::string& statement,
                     const std::string& before, const std::string& application_name) {
  PGconn* c = PQconnectdb(url.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    PQfinish(c);
    return false;
  }
  std::string settings = "SET statement_timeout = 0; SET lock_timeout = 0";
  if (PQserverVersion(c) >= 140000) settings += "; SET client_connection_check_interval = 0";
  if (!application_name.empty())
    settings += "; SET application_name = " + quote_literal(application_name);
  bool ok = run(c, settings) && (before.empty() || run(c, before));
  // Blocking mode: PQsendQuery returns once the whole message is written to the socket.
  ok = ok && PQsendQuery(c, statement.c_str()) == 1;
  PQfinish(c);
  return ok;
}

}  // namespace migtest::detail
