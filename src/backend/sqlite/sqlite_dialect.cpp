// The SQLite dialect object: an embedded file, ALTER TABLE by rebuilding the table where
// SQLite cannot alter it, offline SQL checked on an in-memory shadow database.
#include "backend/dialect_rules.hpp"
#include "backend/sqlite/dialect.hpp"
#include "backend/sqlite/ops_render.hpp"
#include "backend/sqlite/rebuild.hpp"

namespace migtest::detail {

namespace {

class SqliteRules final : public DialectRules {
 public:
  Dialect dialect() const override { return Dialect::sqlite; }

  Schema reflect(Connection& connection, const ReflectOptions& options) const override {
    return sqlite_reflect(connection, options);
  }
  Schema expected_schema(const Metadata& metadata) const override {
    return sqlite_expected_schema(metadata);
  }
  bool server_builds_expected_schema() const override { return false; }
  std::vector<std::string> create_all_sql(const Metadata& metadata) const override {
    return sqlite_create_all_sql(metadata);
  }

  std::string literal(const Value& value) const override { return sqlite::literal(value); }
  void run_operation(Connection& connection, const ops::Operation& op, const Schema& live,
                     const Emit& emit, const StatementSink& sink) const override {
    for (const auto& a : sqlite::render_operation(op, live)) {
      if (a.rebuild) {
        sqlite::run_rebuild(connection, *a.rebuild, sink);
      } else {
        emit(a.sql, a.params);
        connection.execute(a.sql, a.params);
      }
    }
  }
  bool rebuilds_tables() const override { return true; }
  bool checks_offline() const override { return true; }

  bool has_server() const override { return false; }
  bool has_schemas() const override { return false; }
  bool error_aborts_transaction() const override { return false; }
};

}  // namespace

const DialectRules& sqlite_dialect() {
  static const SqliteRules rules;
  return rules;
}

}  // namespace migtest::detail
