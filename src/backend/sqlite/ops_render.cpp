// SQLite rendering of the operation IR. ALTER TABLE does RENAME TABLE, ADD COLUMN (within
// its rules), RENAME COLUMN and DROP COLUMN (of an unconstrained column); everything else on
// an existing table is a rebuild of it (rebuild.cpp).
#include "backend/sqlite/ops_render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "backend/backend.hpp"
#include "backend/sqlite/ddl.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/error.hpp"
#include "ops/overloaded.hpp"

namespace migtest::detail::sqlite {

namespace {

const Table& live_table(const Schema& s, const std::string& name) {
  const Table* t = s.find_table(name);
  if (!t) {
    for (const auto& x : s.tables)
      if (same_name(x.name, name)) return x;
    throw schema_error(fmt::format("table '{}' does not exist", name));
  }
  return *t;
}

const Column* column_of(const Table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (same_name(c.name, name)) return &c;
  return nullptr;
}

Column* column_of(Table& t, const std::string& name) {
  for (auto& c : t.columns)
    if (same_name(c.name, name)) return &c;
  return nullptr;
}

// The live spelling of a column name (SQLite names are case-insensitive).
std::string live_column(const Table& t, const std::string& name) {
  const Column* c = column_of(t, name);
  return c ? c->name : name;
}

std::vector<std::string> live_columns(const Table& t, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(live_column(t, n));
  return out;
}

bool mentions(const std::vector<std::string>& names, const std::string& column) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return same_name(n, column); });
}

// Whether an expression (CHECK, index entry, generated column) names `column`.
bool expression_mentions(const std::string& expression, const std::string& column) {
  try {
    for (const Token& t : tokenize(expression))
      if ((t.kind == TokenKind::identifier || t.kind == TokenKind::quoted_identifier ||
           t.kind == TokenKind::keyword) &&
          same_name(t.name(), column))
        return true;
  } catch (const sql_syntax_error&) {
    return expression.find(column) != std::string::npos;
  }
  return false;
}

Rebuild start_rebuild(const Table& live, std::string reason) {
  Rebuild r;
  r.desired = live;
  r.reason = std::move(reason);
  for (const auto& c : live.columns)
    if (!c.generated) r.copy_columns.push_back(c.name);
  for (const auto& i : live.indexes) r.keep_indexes.push_back(i.name);
  return r;
}

Action rebuild_action(Rebuild r) {
  Action a;
  a.rebuild = std::move(r);
  return a;
}

Action statement(std::string sql, Params params = {}) {
  return Action{std::move(sql), std::move(params), std::nullopt};
}

// What a column declaration gives on SQLite: the column in canonical form and the
// constraints and indexes its options bring, exactly as expected_schema() would have them.
struct Converted {
  Column column;
  Table table;  // the one-column table it came from (checks, uniques, foreign keys, indexes)
};

Converted convert_column(const Table& live, const ColumnDef& def) {
  TableDef td = ops::table_def("", live.name, {def});
  Table t = table_from_def(td);
  Converted c{t.columns.front(), t};
  // The column's own constraints only: a one-column table gave it its primary key too.
  c.table.primary_key.reset();
  return c;
}

// SQLite's rules for ALTER TABLE ADD COLUMN (lang_altertable.html, "ADD COLUMN").
bool can_add_in_place(const Converted& c) {
  const Column& col = c.column;
  if (!c.table.uniques.empty() || !c.table.foreign_keys.empty() || !c.table.checks.empty())
    return false;
  if (col.generated && col.generated_stored) return false;
  if (!col.nullable && !col.default_value && !col.generated) return false;
  if (col.default_value) {
    std::string d = upper(*col.default_value);
    if (d == "CURRENT_TIME" || d == "CURRENT_DATE" || d == "CURRENT_TIMESTAMP") return false;
    try {
      Tokens t = tokenize(*col.default_value);
      bool literal =
          (t.size() == 1 && (t[0].kind == TokenKind::string || t[0].kind == TokenKind::number ||
                             t[0].kind == TokenKind::blob || t[0].is_keyword("NULL") ||
                             t[0].is_keyword("TRUE") || t[0].is_keyword("FALSE"))) ||
          (t.size() == 2 && (t[0].is_op("-") || t[0].is_op("+")) && t[1].kind == TokenKind::number);
      if (!literal) return false;
    } catch (const sql_syntax_error&) {
      return false;
    }
  }
  return true;
}

std::string insert_sql(const std::string& table, const std::vector<std::string>& columns) {
  std::string cols, vals;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    cols += (i ? ", " : "") + quote_ident(columns[i]);
    vals += fmt::format("{}${}", i ? ", " : "", i + 1);
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", quote_ident(table), cols, vals);
}

ForeignKey convert_foreign_key(const Table& live, const Schema& s, const ForeignKeyDef& f) {
  ForeignKey fk;
  fk.name = f.name;
  fk.columns = live_columns(live, f.columns);
  const Table* parent =
      same_name(f.referred_table, live.name) ? &live : s.find_table(f.referred_table);
  if (!parent)
    for (const auto& t : s.tables)
      if (same_name(t.name, f.referred_table)) parent = &t;
  fk.referred_table = parent ? parent->name : f.referred_table;
  fk.referred_columns = parent ? live_columns(*parent, f.referred_columns) : f.referred_columns;
  fk.on_delete = to_string(f.on_delete);
  fk.on_update = to_string(f.on_update);
  fk.deferrable = f.deferrable || f.initially_deferred;
  fk.initially_deferred = f.initially_deferred;
  return fk;
}

using Actions = std::vector<Action>;

// The erase-remove idiom, written once.
template <class T, class Pred>
void erase_where(std::vector<T>& v, Pred drop) {
  v.erase(std::remove_if(v.begin(), v.end(), drop), v.end());
}

Actions create_table(const ops::CreateTable& o) {
  if (!o.table.schema.empty())
    throw schema_error(
        fmt::format("create table {}.{}: SQLite has no schemas", o.table.schema, o.table.name));
  Table t = table_from_def(o.table);
  Actions out{statement(render_create_table(t))};
  for (const auto& ix : t.indexes) out.push_back(statement(render_create_index(t, ix)));
  return out;
}

Actions add_column(const ops::AddColumn& o, const Schema& s, const ops::Operation& op) {
  const Table& live = live_table(s, o.table);
  Converted c = convert_column(live, o.column);
  Actions out;
  if (can_add_in_place(c)) {
    out.push_back(statement("ALTER TABLE " + quote_ident(live.name) + " ADD COLUMN " +
                            render_column(c.column, false)));
    for (const auto& ix : c.table.indexes)
      out.push_back(statement(render_create_index(c.table, ix)));
    return out;
  }
  Rebuild r = start_rebuild(live, ops::describe(op));
  r.desired.columns.push_back(c.column);
  for (const auto& u : c.table.uniques) r.desired.uniques.push_back(u);
  for (const auto& ck : c.table.checks) r.desired.checks.push_back(ck);
  for (const auto& f : c.table.foreign_keys) {
    ForeignKey fk = f;
    fk.referred_table = convert_foreign_key(live, s, *o.column.foreign_key).referred_table;
    r.desired.foreign_keys.push_back(fk);
  }
  for (const auto& ix : c.table.indexes) r.new_indexes.push_back(ix);
  return Actions{rebuild_action(std::move(r))};
}

// Whether an index names the column in an entry or in its WHERE.
bool index_uses(const Index& ix, const std::string& column) {
  bool uses = !ix.where.empty() && expression_mentions(ix.where, column);
  for (const auto& e : ix.columns) uses = uses || expression_mentions(e, column);
  return uses;
}

// Whether anything besides the column involves it (a key, a constraint, an index, a generated
// column, another table's foreign key): ALTER TABLE DROP COLUMN refuses such a column.
bool column_is_involved(const Table& live, const Schema& s, const std::string& col) {
  if (live.primary_key && mentions(live.primary_key->columns, col)) return true;
  for (const auto& u : live.uniques)
    if (mentions(u.columns, col)) return true;
  for (const auto& f : live.foreign_keys)
    if (mentions(f.columns, col)) return true;
  for (const auto& ck : live.checks)
    if (expression_mentions(ck.expression, col)) return true;
  for (const auto& ix : live.indexes)
    if (index_uses(ix, col)) return true;
  for (const auto& c : live.columns)
    if (c.generated && expression_mentions(*c.generated, col)) return true;
  for (const auto& t : s.tables)
    for (const auto& f : t.foreign_keys)
      if (same_name(f.referred_table, live.name) && mentions(f.referred_columns, col)) return true;
  return false;
}

// As PostgreSQL does: the constraints and indexes that involve the column go with it.
Rebuild rebuild_without_column(const Table& live, const std::string& col, std::string reason) {
  Rebuild r = start_rebuild(live, std::move(reason));
  Table& d = r.desired;
  erase_where(d.columns, [&](const Column& c) { return same_name(c.name, col); });
  erase_where(r.copy_columns, [&](const std::string& c) { return same_name(c, col); });
  if (d.primary_key && mentions(d.primary_key->columns, col)) d.primary_key.reset();
  erase_where(d.uniques, [&](const UniqueConstraint& u) { return mentions(u.columns, col); });
  erase_where(d.foreign_keys, [&](const ForeignKey& f) { return mentions(f.columns, col); });
  erase_where(d.checks,
              [&](const CheckConstraint& c) { return expression_mentions(c.expression, col); });
  erase_where(d.indexes, [&](const Index& ix) { return index_uses(ix, col); });
  r.keep_indexes.clear();
  for (const auto& ix : d.indexes) r.keep_indexes.push_back(ix.name);
  return r;
}

Actions drop_column(const ops::DropColumn& o, const Schema& s, const ops::Operation& op) {
  const Table& live = live_table(s, o.table);
  const std::string col = live_column(live, o.column);
  if (!column_is_involved(live, s, col)) {
    return Actions{
        statement("ALTER TABLE " + quote_ident(live.name) + " DROP COLUMN " + quote_ident(col))};
  }
  return Actions{rebuild_action(rebuild_without_column(live, col, ops::describe(op)))};
}

// The column `col` of the rebuild's table as the change leaves it (type, nullability, default).
void apply_column_change(Rebuild& r, const Table& live, const std::string& col,
                         const ColumnChange& ch) {
  Column* c = column_of(r.desired, col);
  if (ch.new_type()) {
    ColumnDef def;
    def.name = col;
    def.type = *ch.new_type();
    def.nullable = true;
    Converted conv = convert_column(live, def);
    c->type = conv.column.type;
    for (const auto& ck : conv.table.checks) r.desired.checks.push_back(ck);
  }
  if (ch.new_nullable()) {
    c->nullable = *ch.new_nullable();
    if (!c->nullable) r.not_null.push_back(col);
  }
  if (ch.new_server_default()) {
    c->default_value = *ch.new_server_default() ? canonical_default(**ch.new_server_default())
                                                : std::optional<std::string>();
  }
}

Actions alter_column(const ops::AlterColumn& o, const Schema& s, const ops::Operation& op) {
  const Table& live = live_table(s, o.table);
  const std::string col = live_column(live, o.column);
  const ColumnChange& ch = o.change;
  Actions out;
  if (ch.new_name() && *ch.new_name() != col) {
    out.push_back(statement("ALTER TABLE " + quote_ident(live.name) + " RENAME COLUMN " +
                            quote_ident(col) + " TO " + quote_ident(*ch.new_name())));
  }
  if (!ch.new_type() && !ch.new_nullable() && !ch.new_server_default()) return out;
  if (ch.new_name() && *ch.new_name() != col)
    throw schema_error(ops::describe(op) + ": split it first (internal)");
  Rebuild r = start_rebuild(live, ops::describe(op));
  apply_column_change(r, live, col, ch);
  out.push_back(rebuild_action(std::move(r)));
  return out;
}

Actions create_index(const ops::CreateIndex& o, const Schema& s) {
  const Table& live = live_table(s, o.table);
  Index ix;
  ix.name = o.index.name;
  ix.unique = o.index.unique;
  ix.where = o.index.where;
  for (const auto& e : o.index.columns)
    ix.columns.push_back(column_of(live, e) ? live_column(live, e) : e);
  return Actions{statement(render_create_index(live, ix))};
}

// Whether a constraint is the one a DropConstraint means: by name when it gives one, else
// by kind and columns (a CHECK by its expression, as written or canonical).
struct DroppedConstraint {
  using K = ops::ConstraintKind;
  const ops::DropConstraint& o;

  bool same_columns(const std::vector<std::string>& a) const {
    if (a.size() != o.columns.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_name(a[i], o.columns[i])) return false;
    return true;
  }

  bool is(const std::string& name, K kind, const std::vector<std::string>* cols,
          const std::string* expr) const {
    if (o.kind != K::any && o.kind != kind) return false;
    if (!o.name.empty()) return same_name(name, o.name);
    if (kind == K::primary_key) return true;
    if (cols) return same_columns(*cols);
    return expr && (*expr == o.expression || *expr == canonical_expression(o.expression));
  }
};

Actions drop_constraint(const ops::DropConstraint& o, const Schema& s, const ops::Operation& op) {
  using K = ops::ConstraintKind;
  Rebuild r = start_rebuild(live_table(s, o.table), ops::describe(op));
  Table& d = r.desired;
  const DroppedConstraint dropped{o};
  if (d.primary_key &&
      dropped.is(d.primary_key->name, K::primary_key, &d.primary_key->columns, nullptr))
    d.primary_key.reset();
  erase_where(d.uniques, [&](const UniqueConstraint& u) {
    return dropped.is(u.name, K::unique, &u.columns, nullptr);
  });
  erase_where(d.foreign_keys, [&](const ForeignKey& f) {
    return dropped.is(f.name, K::foreign_key, &f.columns, nullptr);
  });
  erase_where(d.checks, [&](const CheckConstraint& c) {
    return dropped.is(c.name, K::check, nullptr, &c.expression);
  });
  return Actions{rebuild_action(std::move(r))};
}

// A rebuild of the live table that adds one constraint to it (SQLite's ALTER TABLE cannot).
template <class Add>
Actions rebuild_adding(const std::string& table, const Schema& s, const ops::Operation& op,
                       Add add) {
  const Table& live = live_table(s, table);
  Rebuild r = start_rebuild(live, ops::describe(op));
  add(live, r.desired);
  return Actions{rebuild_action(std::move(r))};
}

Actions bulk_insert(const ops::BulkInsert& o, const Schema& s) {
  const Table& live = live_table(s, o.table);
  std::string sql = insert_sql(live.name, live_columns(live, o.columns));
  Actions out;
  for (const auto& row : o.rows) out.push_back(statement(sql, row));
  return out;
}

}  // namespace

Table table_from_def(const TableDef& def) {
  Schema s = schema_from_metadata(ops::single_table_metadata(def));
  for (auto& t : s.tables)
    if (t.name == def.name) return t;
  throw schema_error(fmt::format("table '{}': not converted", def.name));
}

std::string literal(const Value& v) { return value_literal(v, "X'", true, "'"); }

std::vector<ops::Operation> split_operation(const ops::Operation& op) {
  if (const auto* a = std::get_if<ops::AlterColumn>(&op)) {
    const ColumnChange& c = a->change;
    bool more = c.new_type() || c.new_nullable() || c.new_server_default();
    if (c.new_name() && more) {
      ops::AlterColumn rename{a->schema, a->table, a->column, alter().rename(*c.new_name())};
      ColumnChange rest = c;
      ColumnChange without_name;
      if (rest.new_type()) without_name.type(*rest.new_type());
      if (rest.new_nullable()) without_name.nullable(*rest.new_nullable());
      if (rest.new_server_default()) {
        if (*rest.new_server_default())
          without_name.server_default(**rest.new_server_default());
        else
          without_name.drop_server_default();
      }
      if (!rest.using_expression().empty()) without_name.postgresql_using(rest.using_expression());
      ops::AlterColumn others{a->schema, a->table, *c.new_name(), without_name};
      return {rename, others};
    }
  }
  return {op};
}

std::vector<Action> render_operation(const ops::Operation& op, const Schema& s) {
  return std::visit(
      overloaded{
          [&](const ops::CreateTable& o) { return create_table(o); },
          [&](const ops::DropTable& o) {
            return Actions{statement("DROP TABLE " + quote_ident(live_table(s, o.table).name))};
          },
          [&](const ops::RenameTable& o) {
            return Actions{statement("ALTER TABLE " + quote_ident(live_table(s, o.table).name) +
                                     " RENAME TO " + quote_ident(o.new_name))};
          },
          [&](const ops::AddColumn& o) { return add_column(o, s, op); },
          [&](const ops::DropColumn& o) { return drop_column(o, s, op); },
          [&](const ops::AlterColumn& o) { return alter_column(o, s, op); },
          [&](const ops::CreateIndex& o) { return create_index(o, s); },
          [&](const ops::DropIndex& o) {
            return Actions{statement("DROP INDEX " + quote_ident(o.name))};
          },
          [&](const ops::CreateUniqueConstraint& o) {
            return rebuild_adding(o.table, s, op, [&](const Table& live, Table& d) {
              d.uniques.push_back(UniqueConstraint{o.name, live_columns(live, o.columns)});
            });
          },
          [&](const ops::CreateForeignKey& o) {
            return rebuild_adding(o.table, s, op, [&](const Table& live, Table& d) {
              d.foreign_keys.push_back(convert_foreign_key(live, s, o.foreign_key));
            });
          },
          [&](const ops::CreateCheckConstraint& o) {
            return rebuild_adding(o.table, s, op, [&](const Table&, Table& d) {
              d.checks.push_back(CheckConstraint{o.name, canonical_expression(o.expression)});
            });
          },
          [&](const ops::DropConstraint& o) { return drop_constraint(o, s, op); },
          [&](const ops::Execute& o) { return Actions{statement(o.sql, o.params)}; },
          [&](const ops::BulkInsert& o) { return bulk_insert(o, s); },
      },
      op);
}

}  // namespace migtest::detail::sqlite
