// migtest/operations.hpp: what a C++ revision receives (`op`), Alembic's op.* in C++.
//   op.add_column("user",
//                 migtest::column("karma", migtest::Integer{}, migtest::server_default("0")));
//   op.alter_column("user", "display_name", migtest::alter().nullable(false));
// (column(), alter() and the column types come with migtest/ops.hpp: include it in revision files.)
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/error.hpp"

namespace migtest {

// Declared here, defined in migtest/metadata.hpp and migtest/ops.hpp: this header stays light
// because registry.hpp (and so every file with C++ revisions) includes it.
struct ColumnDef;
struct TableDef;
struct IndexDef;
struct ForeignKeyDef;
class TableBuilder;
class ColumnChange;
/// no_action, restrict, cascade, set_null, set_default (defined in migtest/metadata.hpp).
enum class ReferentialAction;

namespace ops {
/// Which kind of constraint drop_constraint removes; `any` looks the name up.
enum class ConstraintKind { any, primary_key, unique, foreign_key, check };
struct CreateTable;
struct DropTable;
struct RenameTable;
struct AddColumn;
struct DropColumn;
struct AlterColumn;
struct CreateIndex;
struct DropIndex;
struct CreateUniqueConstraint;
struct CreateForeignKey;
struct CreateCheckConstraint;
struct DropConstraint;
struct Execute;
struct BulkInsert;
/// One operation of the IR (migtest/ops.hpp).
using Operation =
    std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn, AlterColumn,
                 CreateIndex, DropIndex, CreateUniqueConstraint, CreateForeignKey,
                 CreateCheckConstraint, DropConstraint, Execute, BulkInsert>;
}  // namespace ops

/// Thrown by Operations::connection() when SQL is being rendered offline (`upgrade --sql`,
/// autogenerate): code that reads the database cannot be rendered without one.
class offline_error : public error {
 public:
  using error::error;
};

/// Receives each statement an Operations runs or renders, with its bound parameters.
using StatementSink = std::function<void(const std::string& sql, const Params& params)>;

/// `sql` with its $1, $2, ... (outside quotes) replaced by literals for `dialect`: what
/// offline output prints for a statement with bound parameters.
std::string inline_parameters(std::string_view sql, const Params& params, Dialect dialect);

/// What an Operations does with each operation: run it on a connection (checked against
/// the live schema first), or render it. Implemented by the library's backends; revisions
/// never implement or call it (the Operations below is their API).
class OperationsBackend {
 public:
  virtual ~OperationsBackend() = default;
  virtual Dialect dialect() const = 0;
  /// nullptr when rendering offline.
  virtual Connection* connection() = 0;
  virtual void apply(const ops::Operation& op) = 0;
  /// The same as apply(ops::Execute{sql, params}).
  virtual void execute(std::string_view sql, const Params& params) = 0;
  /// How a batch ends: its body returned (make what it left pending), or threw (drop it).
  enum class BatchEnd { apply, abandon };
  /// Batch mode (Operations::batch); backends without table rebuilds ignore it.
  virtual void begin_batch() {}
  /// Makes what the batch left pending, or drops it (BatchEnd::abandon: the batch threw).
  virtual void end_batch(BatchEnd how) { (void)how; }
};

/// The operation API handed to C++ revisions. It runs inside the revision's transaction
/// (unless the revision is marked no-transaction). Every operation is checked against the
/// live schema before it runs: a missing table, column, index or constraint throws
/// schema_error naming it, and nothing of that operation runs. Identifiers are always
/// quoted for the dialect (a table named user works on PostgreSQL).
///
/// Tables are named "table" or "schema.table" (PostgreSQL schemas).
class Operations {
 public:
  /// Runs operations on `connection` (what the runner gives C++ revisions).
  explicit Operations(Connection& connection);
  /// The same, reporting each statement run to `sink` (the SQLite table rebuild included).
  Operations(Connection& connection, StatementSink sink);
  /// Renders instead of running: each statement goes to `sink`, parameters inlined.
  /// SQLite: the statements also run on `shadow` (an in-memory database at the schema the
  /// SQL starts from; a new empty one when nullptr), so operations are checked and table
  /// rebuilds see the table they rebuild. PostgreSQL: nothing is checked offline.
  static Operations offline(Dialect dialect, StatementSink sink, Connection* shadow = nullptr);
  explicit Operations(std::unique_ptr<OperationsBackend> backend) : backend_(std::move(backend)) {}
  virtual ~Operations() = default;
  Operations(Operations&&) = default;
  Operations& operator=(Operations&&) = default;

  /// The live connection, for queries; offline_error when rendering offline.
  Connection& connection() {
    Connection* c = backend_->connection();
    if (!c) {
      throw offline_error(
          "op.connection() is not available offline: code that reads the database cannot be "
          "rendered as SQL");
    }
    return *c;
  }
  /// Dialect::sqlite or Dialect::postgresql.
  Dialect dialect() const { return backend_->dialect(); }
  /// True while rendering SQL (`upgrade --sql`): branch around code that queries.
  bool is_offline() const { return backend_->connection() == nullptr; }

  /// Raw SQL with bound parameters ($1, $2, ...). Offline, parameters are inlined as literals.
  void execute(std::string_view sql, const Params& params = {}) { backend_->execute(sql, params); }
  /// Any operation of the IR.
  void run(const ops::Operation& op) { backend_->apply(op); }

  /// Runs `body` in batch mode (Alembic's batch_alter_table): on SQLite, the operations in it
  /// that each need a rebuild of a table (alter_column, constraints, add_column beyond ALTER
  /// TABLE's rules, ...) are checked and folded into one rebuild per table, made when an
  /// operation needs that table as it is (an index, a rename, raw SQL) or when `body`
  /// returns. On PostgreSQL the operations run one by one, as outside a batch.
  ///   op.batch([&] {
  ///     op.alter_column("user", "name", migtest::alter().nullable(false));
  ///     op.create_check_constraint("ck_user_name", "user", "length(name) > 0");
  ///   });  // one rebuild of user
  void batch(const std::function<void()>& body);

  /// CREATE TABLE from columns (column-level options folded in as Metadata does).
  void create_table(const std::string& table, std::vector<ColumnDef> columns);
  /// CREATE TABLE declared with Metadata's builder (composite keys, checks, indexes):
  ///   op.create_table("tag", [](migtest::TableBuilder& t) { t.column(...).check(...); });
  void create_table(const std::string& table, const std::function<void(TableBuilder&)>& declare);
  void create_table(const TableDef& table);
  void drop_table(const std::string& table);
  void rename_table(const std::string& table, std::string new_name);

  void add_column(const std::string& table, ColumnDef column);
  void drop_column(const std::string& table, std::string column);
  /// Type, nullability, server default and name; SQLite rebuilds the table for all but a rename.
  void alter_column(const std::string& table, std::string column, ColumnChange change);
  void rename_column(const std::string& table, std::string column, std::string new_name);

  /// Entries are column names or SQL expressions; `where`: a partial-index predicate.
  void create_index(std::string name, const std::string& table, std::vector<std::string> columns,
                    bool unique_index = false, std::string where = "");
  /// Any index Metadata can declare (IndexDef: method, expressions, ...).
  void create_index(const std::string& table, IndexDef definition);
  /// `table` "" finds the index by name.
  void drop_index(std::string name, const std::string& table = "");

  void create_unique_constraint(std::string name, const std::string& table,
                                std::vector<std::string> columns);
  /// `referent_table` is "table" or "schema.table"; ON DELETE and ON UPDATE are NO ACTION
  /// unless given:
  ///   op.create_foreign_key("fk_post_user", "post", "user", {"user_id"}, {"id"},
  ///                         migtest::ReferentialAction::cascade);  // ON DELETE CASCADE
  void create_foreign_key(std::string name, const std::string& source_table,
                          const std::string& referent_table, std::vector<std::string> local_columns,
                          std::vector<std::string> remote_columns);
  void create_foreign_key(std::string name, const std::string& source_table,
                          const std::string& referent_table, std::vector<std::string> local_columns,
                          std::vector<std::string> remote_columns, ReferentialAction on_delete);
  void create_foreign_key(std::string name, const std::string& source_table,
                          const std::string& referent_table, std::vector<std::string> local_columns,
                          std::vector<std::string> remote_columns, ReferentialAction on_delete,
                          ReferentialAction on_update);
  void create_foreign_key(const std::string& source_table, ForeignKeyDef foreign_key);
  void create_check_constraint(std::string name, const std::string& table, std::string condition);
  /// By name. On SQLite a constraint can also be unnamed: see ops::DropConstraint.
  void drop_constraint(std::string name, const std::string& table,
                       ops::ConstraintKind kind = ops::ConstraintKind::any);

  /// One INSERT per row, values bound: bulk_insert("user", {"id", "name"}, {{1, "ann"}}).
  void bulk_insert(const std::string& table, std::vector<std::string> columns,
                   std::vector<std::vector<Value>> rows);
  /// Rows as column -> value maps (every row must name the same columns).
  void bulk_insert(const std::string& table, const std::vector<std::map<std::string, Value>>& rows);

 private:
  std::unique_ptr<OperationsBackend> backend_;
};

}  // namespace migtest
