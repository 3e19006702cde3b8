// One object per dialect: what SQLite and PostgreSQL do differently, asked of the object
// instead of decided by comparing dialect names. Internal header (runner, testdb, verify may
// include it); the objects are backend/sqlite/sqlite_dialect.cpp and
// backend/postgres/postgres_dialect.cpp.
//   const detail::DialectRules& rules = detail::dialect_object(connection.dialect());
//   if (rules.has_server()) ...;  Schema s = rules.reflect(connection, {});
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/operations.hpp"
#include "migtest/ops.hpp"
#include "migtest/schema.hpp"
#include "migtest/url.hpp"

namespace migtest::detail {

class DialectRules {
 public:
  /// Called with each statement before it runs (offline output, the autogenerate record).
  using Emit = std::function<void(const std::string& sql, const Params& params)>;

  virtual ~DialectRules() = default;
  virtual Dialect dialect() const = 0;

  /// migtest::reflect() on a connection of this dialect.
  virtual Schema reflect(Connection& connection, const ReflectOptions& options) const = 0;
  /// The expected schema without a database; config_error where only the server can build
  /// it (server_builds_expected_schema()).
  virtual Schema expected_schema(const Metadata& metadata) const = 0;
  /// True when the expected schema is create_all run on the server and reflected.
  virtual bool server_builds_expected_schema() const = 0;
  /// CREATE statements for everything in `metadata`, in dependency order.
  virtual std::vector<std::string> create_all_sql(const Metadata& metadata) const = 0;

  /// A value as an SQL literal for offline output (inline_parameters()).
  virtual std::string literal(const Value& value) const = 0;
  /// Runs `op` (checked against `live`, the connection's schema) on `connection`: each
  /// statement goes to `emit`, then runs; a table rebuild hands its statements to `sink`.
  virtual void run_operation(Connection& connection, const ops::Operation& op, const Schema& live,
                             const Emit& emit, const StatementSink& sink) const = 0;
  /// True when an ALTER may become a rebuild of the whole table, which a batch folds into
  /// one per table (SQLite).
  virtual bool rebuilds_tables() const = 0;
  /// True when offline SQL also runs on an in-memory shadow database, so that operations are
  /// checked and rebuilds see their table (SQLite); else each one is rendered on its own.
  virtual bool checks_offline() const = 0;

  /// True when databases live on a server: named databases, other sessions, advisory locks,
  /// leftovers to reap (PostgreSQL).
  virtual bool has_server() const = 0;
  /// True when a database has schemas (namespaces) a table such as the version table may be
  /// put in (PostgreSQL).
  virtual bool has_schemas() const = 0;
  /// True when an error aborts the whole transaction (PostgreSQL), not only the statement.
  virtual bool error_aborts_transaction() const = 0;
};

/// The object for `dialect`; it lives as long as the program.
const DialectRules& dialect_object(Dialect dialect);

}  // namespace migtest::detail
