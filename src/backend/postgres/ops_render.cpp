// PostgreSQL rendering of the operation IR, reusing the DDL renderers of ddl.cpp so a table
// created by an operation is the table create_all() creates from the same declaration.
#include "backend/postgres/ops_render.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "backend/backend.hpp"
#include "backend/postgres/ddl.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"
#include "ops/overloaded.hpp"
#include "sql_quote.hpp"

namespace migtest::detail::pg {

namespace {

using Out = std::vector<RenderedStatement>;

RenderedStatement st(std::string sql, Params params = {}) {
  return {std::move(sql), std::move(params)};
}

std::string public_as_empty(const std::string& s) { return s == "public" ? std::string() : s; }

// CREATE TYPE for the enums a declaration uses that the database lacks. Offline the guard
// makes a second creation of the same type harmless.
void create_enums(const std::vector<Enum>& enums, const Schema* current, Out& out) {
  for (const auto& e : enums) {
    if (current) {
      bool have = false;
      for (const auto& x : current->enums)
        if (public_as_empty(x.schema) == public_as_empty(e.schema) && x.name == e.name) have = true;
      if (!have) out.push_back(st(render_create_enum(e)));
    } else {
      out.push_back(st("DO $$ BEGIN " + render_create_enum(e) +
                       "; EXCEPTION WHEN duplicate_object THEN NULL; END $$"));
    }
  }
}

// A column declaration as PostgreSQL takes it, with the table it sits in (for its
// constraints) and the enum types it needs.
struct Converted {
  Column column;
  Table table;
  std::vector<Enum> enums;
};

Converted convert_column(const std::string& schema, const std::string& table,
                         const ColumnDef& def) {
  TableDef td = ops::table_def(schema, table, {def});
  std::vector<Enum> enums;
  Table t = table_from_def(td, &enums);
  t.primary_key.reset();
  Column c = t.columns.front();
  c.identity.clear();  // only a table's own integer primary key is an identity column
  return Converted{c, t, enums};
}

const Table* find(const Schema* s, const std::string& schema, const std::string& table) {
  return s ? s->find_table(table, public_as_empty(schema)) : nullptr;
}

std::string tname(const std::string& schema, const std::string& table) {
  return quoted_name(public_as_empty(schema), table);
}

// "ALTER TABLE t ADD [CONSTRAINT name ]": what adding a UNIQUE or CHECK constraint begins with.
std::string add_constraint(const std::string& t, const std::string& name) {
  return "ALTER TABLE " + t + " ADD " +
         (name.empty() ? std::string() : "CONSTRAINT " + quote(name) + " ");
}

std::string add_unique(const std::string& t, const std::string& name,
                       const std::vector<std::string>& columns) {
  return add_constraint(t, name) + "UNIQUE (" + quote_ident_list(columns) + ")";
}

std::string add_check(const std::string& t, const std::string& name,
                      const std::string& expression) {
  return add_constraint(t, name) + "CHECK (" + expression + ")";
}

Out create_table(const ops::CreateTable& o, const Schema* current) {
  std::vector<Enum> enums;
  Table t = table_from_def(o.table, &enums);
  Out out;
  create_enums(enums, current, out);
  out.push_back(st(render_create_table(t)));
  for (const auto& ix : t.indexes) out.push_back(st(render_create_index(t, ix)));
  return out;
}

Out add_column(const ops::AddColumn& o, const Schema* current) {
  Converted c = convert_column(o.schema, o.table, o.column);
  Out out;
  create_enums(c.enums, current, out);
  const std::string t = tname(o.schema, o.table);
  out.push_back(st("ALTER TABLE " + t + " ADD COLUMN " + render_column(c.column)));
  for (const auto& u : c.table.uniques) out.push_back(st(add_unique(t, u.name, u.columns)));
  for (const auto& ck : c.table.checks) out.push_back(st(add_check(t, ck.name, ck.expression)));
  for (const auto& f : c.table.foreign_keys) out.push_back(st(render_add_foreign_key(c.table, f)));
  for (const auto& ix : c.table.indexes) out.push_back(st(render_create_index(c.table, ix)));
  return out;
}

Out alter_column(const ops::AlterColumn& o, const Schema* current) {
  const std::string t = tname(o.schema, o.table);
  const std::string col = quote(o.column);
  const ColumnChange& ch = o.change;
  Out out;
  if (ch.new_type()) {
    ColumnDef def;
    def.name = o.column;
    def.type = *ch.new_type();
    def.nullable = true;
    Converted c = convert_column(o.schema, o.table, def);
    create_enums(c.enums, current, out);
    std::string sql = "ALTER TABLE " + t + " ALTER COLUMN " + col + " TYPE " + c.column.type;
    if (!ch.using_expression().empty()) sql += " USING " + ch.using_expression();
    out.push_back(st(sql));
  }
  if (ch.new_nullable()) {
    out.push_back(st("ALTER TABLE " + t + " ALTER COLUMN " + col +
                     (*ch.new_nullable() ? " DROP NOT NULL" : " SET NOT NULL")));
  }
  if (ch.new_server_default()) {
    out.push_back(st("ALTER TABLE " + t + " ALTER COLUMN " + col +
                     (*ch.new_server_default() ? " SET DEFAULT " + **ch.new_server_default()
                                               : std::string(" DROP DEFAULT"))));
  }
  if (ch.new_name() && *ch.new_name() != o.column) {
    out.push_back(
        st("ALTER TABLE " + t + " RENAME COLUMN " + col + " TO " + quote(*ch.new_name())));
  }
  return out;
}

// The index's table is the live one when there is a schema to read it from; offline, a table
// of just the plain columns the index names is enough to render it.
Out create_index(const ops::CreateIndex& o, const Schema* current) {
  Table t;
  t.schema = public_as_empty(o.schema);
  t.name = o.table;
  if (const Table* live = find(current, o.schema, o.table))
    t = *live;
  else
    for (std::size_t i = 0; i < o.index.columns.size(); ++i)
      if (!o.index.is_expression(i)) {
        Column c;
        c.name = o.index.columns[i];
        t.columns.push_back(c);
      }
  Index ix;
  ix.name = o.index.name;
  ix.columns = o.index.columns;
  ix.unique = o.index.unique;
  ix.where = o.index.where;
  ix.method = o.index.method;
  return Out{st(render_create_index(t, ix))};
}

// The foreign key converted as a table declaring it would have it (its columns' types do not
// matter to the constraint).
Out create_foreign_key(const ops::CreateForeignKey& o) {
  TableDef td;
  td.schema = o.schema;
  td.name = o.table;
  for (const auto& c : o.foreign_key.columns) {
    ColumnDef cd;
    cd.name = c;
    cd.type = Integer{};
    cd.nullable = true;
    td.columns.push_back(cd);
  }
  td.foreign_keys.push_back(o.foreign_key);
  Table t = table_from_def(td);
  return Out{st(render_add_foreign_key(t, t.foreign_keys.front()))};
}

// The name of the constraint a DropConstraint means: its own, or, for an unnamed one, the
// live constraint of its kind with its columns (or CHECK expression).
std::string dropped_constraint_name(const ops::DropConstraint& o, const Schema* current,
                                    const ops::Operation& op) {
  std::string name = o.name;
  if (!name.empty()) return name;
  const Table* t = find(current, o.schema, o.table);
  if (!t)
    throw schema_error(ops::describe(op) +
                       ": an unnamed constraint needs the live schema to be found");
  using K = ops::ConstraintKind;
  if (o.kind == K::primary_key && t->primary_key) name = t->primary_key->name;
  if (o.kind == K::unique)
    for (const auto& u : t->uniques)
      if (u.columns == o.columns) name = u.name;
  if (o.kind == K::foreign_key)
    for (const auto& f : t->foreign_keys)
      if (f.columns == o.columns) name = f.name;
  if (o.kind == K::check)
    for (const auto& c : t->checks)
      if (c.expression == o.expression) name = c.name;
  if (name.empty()) throw schema_error(ops::describe(op) + ": no such constraint");
  return name;
}

Out bulk_insert(const ops::BulkInsert& o) {
  std::string cols, vals;
  for (std::size_t i = 0; i < o.columns.size(); ++i) {
    cols += (i ? ", " : "") + quote(o.columns[i]);
    vals += fmt::format("{}${}", i ? ", " : "", i + 1);
  }
  std::string sql =
      fmt::format("INSERT INTO {} ({}) VALUES ({})", tname(o.schema, o.table), cols, vals);
  Out out;
  for (const auto& row : o.rows) out.push_back(st(sql, row));
  return out;
}

}  // namespace

Table table_from_def(const TableDef& def, std::vector<Enum>* enums) {
  Metadata md = ops::single_table_metadata(def);
  Schema s = metadata_schema(md);
  if (enums) *enums = s.enums;
  for (auto& t : s.tables)
    if (t.name == def.name && t.schema == public_as_empty(def.schema)) return t;
  throw schema_error(fmt::format("table '{}': not converted", def.name));
}

std::string literal(const Value& v) { return value_literal(v, "'\\x", false, "'::bytea"); }

std::vector<RenderedStatement> render_operation(const ops::Operation& op, const Schema* current) {
  return std::visit(
      overloaded{
          [&](const ops::CreateTable& o) { return create_table(o, current); },
          [&](const ops::DropTable& o) {
            return Out{st("DROP TABLE " + tname(o.schema, o.table))};
          },
          [&](const ops::RenameTable& o) {
            return Out{
                st("ALTER TABLE " + tname(o.schema, o.table) + " RENAME TO " + quote(o.new_name))};
          },
          [&](const ops::AddColumn& o) { return add_column(o, current); },
          [&](const ops::DropColumn& o) {
            return Out{
                st("ALTER TABLE " + tname(o.schema, o.table) + " DROP COLUMN " + quote(o.column))};
          },
          [&](const ops::AlterColumn& o) { return alter_column(o, current); },
          [&](const ops::CreateIndex& o) { return create_index(o, current); },
          [&](const ops::DropIndex& o) { return Out{st("DROP INDEX " + tname(o.schema, o.name))}; },
          [&](const ops::CreateUniqueConstraint& o) {
            return Out{st(add_unique(tname(o.schema, o.table), o.name, o.columns))};
          },
          [&](const ops::CreateForeignKey& o) { return create_foreign_key(o); },
          [&](const ops::CreateCheckConstraint& o) {
            return Out{st(add_check(tname(o.schema, o.table), o.name, o.expression))};
          },
          [&](const ops::DropConstraint& o) {
            return Out{st("ALTER TABLE " + tname(o.schema, o.table) + " DROP CONSTRAINT " +
                          quote(dropped_constraint_name(o, current, op)))};
          },
          [&](const ops::Execute& o) { return Out{st(o.sql, o.params)}; },
          [&](const ops::BulkInsert& o) { return bulk_insert(o); },
      },
      op);
}

}  // namespace migtest::detail::pg
