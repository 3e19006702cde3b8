// SQLite DDL: the Schema a Metadata gives on SQLite, and CREATE statements rendered from a
// canonical Schema (so a reflected Table can be re-created, as the table rebuild will). Internal.
//   for (auto& sql : render_create_all(schema_from_metadata(md))) conn.execute(sql);
#pragma once

#include <string>
#include <vector>

#include "migtest/metadata.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail::sqlite {

/// The SQLite type a portable type renders as: "INTEGER", "VARCHAR(255)", "NUMERIC(10, 2)"
/// (docs/reference/sqlite.md). Throws schema_error for a Raw type without a "sqlite" entry.
std::string render_type(const Type& type);

/// One column definition: "name" TYPE [PRIMARY KEY [AUTOINCREMENT]] [NOT NULL] [DEFAULT ...]
/// [COLLATE ...] [GENERATED ALWAYS AS (...) STORED|VIRTUAL].
/// `inline_primary_key`: the column is the table's rowid-alias INTEGER PRIMARY KEY.
std::string render_column(const Column& column, bool inline_primary_key,
                          const std::string& primary_key_name = "");

/// True when `t`'s primary key is a rowid alias: one column of type "integer" in a rowid table.
bool has_rowid_alias(const Table& t);

/// CREATE TABLE for a canonical Table: columns, then PRIMARY KEY (unless inline), UNIQUE,
/// CHECK and FOREIGN KEY table constraints; WITHOUT ROWID. Identifiers always quoted.
/// Indexes and triggers are separate statements.
std::string render_create_table(const Table& t);
/// CREATE [UNIQUE] INDEX; an entry naming a column of `t` is quoted, others are SQL text.
std::string render_create_index(const Table& t, const Index& index);
std::string render_create_view(const View& v);

/// Every statement that creates `s`: tables in foreign-key dependency order (the order of
/// s.tables otherwise), then their indexes, then views, then triggers.
std::vector<std::string> render_create_all(const Schema& s);

/// The canonical Schema `metadata` gives on SQLite, tables and views in declaration order.
/// Calls metadata.validate(); throws schema_error for what SQLite cannot hold (schemas,
/// AUTOINCREMENT off a single integer primary key, WITHOUT ROWID without a primary key).
Schema schema_from_metadata(const Metadata& metadata);

}  // namespace migtest::detail::sqlite
