// Fault injection for migtest's own kill tests: inert unless MIGTEST_KILL_AT names a point.
#pragma once

namespace migtest::detail {

/// Kills this process with SIGKILL (no destructor, no cleanup, as `kill -9` would) when the
/// environment variable MIGTEST_KILL_AT equals `point`. The points:
///   database-created  a temporary database exists (PostgreSQL: right after CREATE DATABASE,
///                     before its COMMENT; SQLite: the file is created, nothing written)
///   template-built    a template is migrated (and on PostgreSQL marked and made a template)
///                     but not yet published under its final name
void kill_point(const char* point);

}  // namespace migtest::detail
