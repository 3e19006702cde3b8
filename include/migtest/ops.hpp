// migtest/ops.hpp: the operation IR: one value per schema change, shared by C++ revisions
// (Operations), autogenerate and the dialect renderers (Alembic's design).
//   migtest::ops::Operation o =
//       migtest::ops::AddColumn{"", "user", migtest::column("karma", migtest::Integer{})};
//   std::cout << migtest::ops::describe(o);  // add column user.karma
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/metadata.hpp"
#include "migtest/operations.hpp"
#include "migtest/schema.hpp"

namespace migtest {

/// A column for create_table / add_column, with the options of Metadata's column():
///   migtest::column("karma", migtest::Integer{}, migtest::server_default("0"))
///   migtest::column("author_id", migtest::Integer{}, migtest::foreign_key("user.id"))
/// Columns are NOT NULL unless given migtest::nullable (as in Metadata).
template <class... Options>
ColumnDef column(std::string name, Type type, const Options&... options) {
  ColumnDef c;
  c.name = std::move(name);
  c.type = std::move(type);
  (apply_option(c, options), ...);
  return c;
}

/// What alter_column changes; unset fields stay as they are.
///   migtest::alter().nullable(false).type(migtest::Text{}).server_default("''")
class ColumnChange {
 public:
  ColumnChange& type(Type t) {
    type_ = std::move(t);
    return *this;
  }
  ColumnChange& nullable(bool n) {
    nullable_ = n;
    return *this;
  }
  /// A new server default (SQL expression text, as in migtest::server_default).
  ColumnChange& server_default(std::string expression) {
    server_default_ = std::optional<std::string>(std::move(expression));
    return *this;
  }
  ColumnChange& drop_server_default() {
    server_default_ = std::optional<std::string>();
    return *this;
  }
  ColumnChange& rename(std::string new_name) {
    new_name_ = std::move(new_name);
    return *this;
  }
  /// PostgreSQL: the USING expression of a type change ("karma::integer"); SQLite copies
  /// the values and lets the column's affinity convert them.
  ColumnChange& postgresql_using(std::string expression) {
    using_ = std::move(expression);
    return *this;
  }

  const std::optional<Type>& new_type() const { return type_; }
  const std::optional<bool>& new_nullable() const { return nullable_; }
  /// Set: the default changes (to nullopt: dropped).
  const std::optional<std::optional<std::string>>& new_server_default() const {
    return server_default_;
  }
  const std::optional<std::string>& new_name() const { return new_name_; }
  const std::string& using_expression() const { return using_; }

 private:
  std::optional<Type> type_;
  std::optional<bool> nullable_;
  std::optional<std::optional<std::string>> server_default_;
  std::optional<std::string> new_name_;
  std::string using_;
};

/// Starts a ColumnChange: op.alter_column("user", "name", migtest::alter().nullable(false)).
inline ColumnChange alter() { return ColumnChange(); }

namespace ops {

/// "constraint", "primary key", "unique constraint", "foreign key", "check constraint".
std::string_view to_string(ConstraintKind kind);

// Every operation names its table by `schema` ("" = the default schema) and `table`.

struct CreateTable {
  TableDef table;  // complete lists, as Metadata's builder makes them
};
struct DropTable {
  std::string schema, table;
};
struct RenameTable {
  std::string schema, table, new_name;
};
struct AddColumn {
  std::string schema, table;
  ColumnDef column;  // unique / index / foreign_key on it are created with it
};
struct DropColumn {
  std::string schema, table, column;
};
struct AlterColumn {
  std::string schema, table, column;
  ColumnChange change;
};
struct CreateIndex {
  std::string schema, table;
  IndexDef index;
};
struct DropIndex {
  std::string schema, table, name;  // table "" = wherever the index is
};
struct CreateUniqueConstraint {
  std::string schema, table, name;  // name "" = unnamed
  std::vector<std::string> columns;
};
struct CreateForeignKey {
  std::string schema, table;
  ForeignKeyDef foreign_key;  // columns, referred_*, actions, name
};
struct CreateCheckConstraint {
  std::string schema, table, name, expression;  // expression without CHECK ( )
};
/// By name; an unnamed constraint (SQLite) by kind and columns (unique, foreign key) or
/// expression (check).
struct DropConstraint {
  std::string schema, table, name;
  ConstraintKind kind = ConstraintKind::any;
  std::vector<std::string> columns;
  std::string expression;
};
/// Raw SQL with bound parameters ($1, $2, ...).
struct Execute {
  std::string sql;
  Params params;
};
/// Rows for a data migration: one INSERT per row, values bound.
struct BulkInsert {
  std::string schema, table;
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// Operation, the variant of all of them, is declared in migtest/operations.hpp.

/// One line: "add column user.karma", "alter column user.name (nullable false)".
std::string describe(const Operation& op);

/// "user" -> {"", "user"}; "billing.invoice" -> {"billing", "invoice"}.
std::pair<std::string, std::string> split_table(std::string_view table);

/// A TableDef from columns, their column-level options folded into the table's lists the
/// way Metadata's builder does (primary key, unique, index "ix_<table>_<column>", foreign key).
TableDef table_def(std::string schema, std::string name, std::vector<ColumnDef> columns);

/// Throws schema_error naming the operation and the missing (or already present) table,
/// column, index or constraint when `op` cannot apply to `current` (the live schema).
/// Names compare case-insensitively on SQLite, exactly on PostgreSQL. Execute passes.
void check(const Operation& op, const Schema& current);

/// A Metadata holding `table` and, for its foreign keys to other tables, stand-ins with the
/// referred columns (so Metadata::validate() and the backends' metadata conversion accept a
/// single table). The stand-ins are marked by names only; callers use find_table(table).
Metadata single_table_metadata(const TableDef& table);

}  // namespace ops
}  // namespace migtest
