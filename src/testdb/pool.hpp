// Pools of ready PostgreSQL databases cloned from a template (migtest_pool_<key16>_<rand8>),
// claimed with a session-level advisory lock so that a process that dies releases its claims.
//
// Only the claim's key is here so far: the cache needs it to leave claimed pool databases
// alone. The pool itself lands in this file.
#pragma once

#include <cstdint>
#include <string_view>

#include "backend/postgres/postgres_connection.hpp"

namespace migtest::detail {

/// The advisory lock key a claim of pool database `name` holds: Connection::lock(name)'s
/// key, so a claim taken through lock() and one seen in pg_locks agree.
inline std::int64_t pool_lock_key(std::string_view name) { return advisory_key(name); }

}  // namespace migtest::detail
