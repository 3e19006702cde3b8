// The PostgreSQL dialect object: a server that builds the expected schema itself, ALTER
// TABLE for every change, offline SQL rendered one operation at a time.
#include "backend/dialect_rules.hpp"
#include "backend/postgres/dialect.hpp"
#include "backend/postgres/ops_render.hpp"
#include "migtest/error.hpp"

namespace migtest::detail {

namespace {

class PostgresRules final : public DialectRules {
 public:
  Dialect dialect() const override { return Dialect::postgresql; }

  Schema reflect(Connection& connection, const ReflectOptions& options) const override {
    return postgres_reflect(connection, options);
  }
  Schema expected_schema(const Metadata&) const override {
    throw config_error(
        "the expected schema on PostgreSQL is built by the server: call "
        "expected_schema(metadata, connection) with a connection to it");
  }
  bool server_builds_expected_schema() const override { return true; }
  std::vector<std::string> create_all_sql(const Metadata& metadata) const override {
    return postgres_create_all_sql(metadata);
  }

  std::string literal(const Value& value) const override { return pg::literal(value); }
  void run_operation(Connection& connection, const ops::Operation& op, const Schema& live,
                     const Emit& emit, const StatementSink&) const override {
    for (const auto& s : pg::render_operation(op, &live)) {
      emit(s.sql, s.params);
      connection.execute(s.sql, s.params);
    }
  }
  bool rebuilds_tables() const override { return false; }
  bool checks_offline() const override { return false; }

  bool has_server() const override { return true; }
  bool has_schemas() const override { return true; }
  bool error_aborts_transaction() const override { return true; }
};

}  // namespace

const DialectRules& postgres_dialect() {
  static const PostgresRules rules;
  return rules;
}

}  // namespace migtest::detail
