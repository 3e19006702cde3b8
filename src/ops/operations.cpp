// Operations: each call builds one operation of the IR and hands it to the backend, which
// checks it against the live schema and runs (or renders) it.
#include "migtest/operations.hpp"

#include <fmt/format.h>

#include <cctype>
#include <tuple>

#include "migtest/error.hpp"
#include "migtest/ops.hpp"
#include "strings.hpp"

namespace migtest {

void Operations::batch(const std::function<void()>& body) {
  backend_->begin_batch();
  try {
    body();
  } catch (...) {
    backend_->end_batch(OperationsBackend::BatchEnd::abandon);
    throw;
  }
  backend_->end_batch(OperationsBackend::BatchEnd::apply);
}

void Operations::create_table(const std::string& table, std::vector<ColumnDef> columns) {
  auto [schema, name] = ops::split_table(table);
  run(ops::CreateTable{ops::table_def(schema, name, std::move(columns))});
}

void Operations::create_table(const std::string& table,
                              const std::function<void(TableBuilder&)>& declare) {
  Metadata md;
  TableBuilder tb = md.table(table);
  declare(tb);
  run(ops::CreateTable{tb.def()});
}

void Operations::create_table(const TableDef& table) { run(ops::CreateTable{table}); }

void Operations::drop_table(const std::string& table) {
  auto [schema, name] = ops::split_table(table);
  run(ops::DropTable{schema, name});
}

void Operations::rename_table(const std::string& table, std::string new_name) {
  auto [schema, name] = ops::split_table(table);
  run(ops::RenameTable{schema, name, std::move(new_name)});
}

void Operations::add_column(const std::string& table, ColumnDef column) {
  auto [schema, name] = ops::split_table(table);
  run(ops::AddColumn{schema, name, std::move(column)});
}

void Operations::drop_column(const std::string& table, std::string column) {
  auto [schema, name] = ops::split_table(table);
  run(ops::DropColumn{schema, name, std::move(column)});
}

void Operations::alter_column(const std::string& table, std::string column, ColumnChange change) {
  auto [schema, name] = ops::split_table(table);
  run(ops::AlterColumn{schema, name, std::move(column), std::move(change)});
}

void Operations::rename_column(const std::string& table, std::string column, std::string new_name) {
  alter_column(table, std::move(column), alter().rename(std::move(new_name)));
}

void Operations::create_index(std::string name, const std::string& table,
                              std::vector<std::string> columns, bool unique_index,
                              std::string where) {
  IndexDef i;
  i.name = std::move(name);
  i.columns = std::move(columns);
  i.unique = unique_index;
  i.where = std::move(where);
  create_index(table, std::move(i));
}

void Operations::create_index(const std::string& table, IndexDef definition) {
  auto [schema, name] = ops::split_table(table);
  run(ops::CreateIndex{schema, name, std::move(definition)});
}

void Operations::drop_index(std::string name, const std::string& table) {
  auto [schema, t] = ops::split_table(table);
  run(ops::DropIndex{schema, t, std::move(name)});
}

void Operations::create_unique_constraint(std::string name, const std::string& table,
                                          std::vector<std::string> columns) {
  auto [schema, t] = ops::split_table(table);
  run(ops::CreateUniqueConstraint{schema, t, std::move(name), std::move(columns)});
}

void Operations::create_foreign_key(std::string name, const std::string& source_table,
                                    const std::string& referent_table,
                                    std::vector<std::string> local_columns,
                                    std::vector<std::string> remote_columns) {
  create_foreign_key(std::move(name), source_table, referent_table, std::move(local_columns),
                     std::move(remote_columns), ReferentialAction::no_action,
                     ReferentialAction::no_action);
}

void Operations::create_foreign_key(std::string name, const std::string& source_table,
                                    const std::string& referent_table,
                                    std::vector<std::string> local_columns,
                                    std::vector<std::string> remote_columns,
                                    ReferentialAction on_delete) {
  create_foreign_key(std::move(name), source_table, referent_table, std::move(local_columns),
                     std::move(remote_columns), on_delete, ReferentialAction::no_action);
}

void Operations::create_foreign_key(std::string name, const std::string& source_table,
                                    const std::string& referent_table,
                                    std::vector<std::string> local_columns,
                                    std::vector<std::string> remote_columns,
                                    ReferentialAction on_delete, ReferentialAction on_update) {
  ForeignKeyDef f;
  f.name = std::move(name);
  f.columns = std::move(local_columns);
  std::tie(f.referred_schema, f.referred_table) = ops::split_table(referent_table);
  f.referred_columns = std::move(remote_columns);
  f.on_delete = on_delete;
  f.on_update = on_update;
  create_foreign_key(source_table, std::move(f));
}

void Operations::create_foreign_key(const std::string& source_table, ForeignKeyDef foreign_key) {
  auto [schema, t] = ops::split_table(source_table);
  run(ops::CreateForeignKey{schema, t, std::move(foreign_key)});
}

void Operations::create_check_constraint(std::string name, const std::string& table,
                                         std::string condition) {
  auto [schema, t] = ops::split_table(table);
  run(ops::CreateCheckConstraint{schema, t, std::move(name), std::move(condition)});
}

void Operations::drop_constraint(std::string name, const std::string& table,
                                 ops::ConstraintKind kind) {
  auto [schema, t] = ops::split_table(table);
  ops::DropConstraint d;
  d.schema = schema;
  d.table = t;
  d.name = std::move(name);
  d.kind = kind;
  run(d);
}

void Operations::bulk_insert(const std::string& table, std::vector<std::string> columns,
                             std::vector<std::vector<Value>> rows) {
  auto [schema, t] = ops::split_table(table);
  run(ops::BulkInsert{schema, t, std::move(columns), std::move(rows)});
}

void Operations::bulk_insert(const std::string& table,
                             const std::vector<std::map<std::string, Value>>& rows) {
  std::vector<std::string> columns;
  if (!rows.empty())
    for (const auto& [k, v] : rows.front()) columns.push_back(k);
  std::vector<std::vector<Value>> values;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<Value> row;
    for (const auto& c : columns) {
      auto it = rows[i].find(c);
      if (it == rows[i].end() || rows[i].size() != columns.size()) {
        throw config_error(fmt::format(
            "bulk_insert into {}: row {} does not name the same columns as row 1", table, i + 1));
      }
      row.push_back(it->second);
    }
    values.push_back(std::move(row));
  }
  bulk_insert(table, std::move(columns), std::move(values));
}

}  // namespace migtest
