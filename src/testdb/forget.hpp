// Statements the server finishes after the client is gone: a pool's clones and drops are sent
// on a connection of their own, which is closed at once, so no test waits for them.
#pragma once

#include <string>

namespace migtest::detail {

/// Sends `statement` to the server of `url` on a new connection and closes it without
/// waiting: the server runs the statement to its end and commits it although the client
/// went (PostgreSQL runs a statement before it looks for the client again; the session's
/// statement_timeout, lock_timeout and client_connection_check_interval are turned off so
/// that nothing cuts it short). `before`, when not "", runs first and is waited for (a
/// statement that may not share the final one's implicit transaction). `application_name`,
/// when not "", names the session in pg_stat_activity from before the statement is sent
/// until the server has finished it: how others count what is sent and not finished yet.
/// False, having sent nothing, when connecting or sending failed (the caller's fallback:
/// nothing happened).
bool send_and_forget(const std::string& url, const std::string& statement,
                     const std::string& before = "", const std::string& application_name = "");

}  // namespace migtest::detail
