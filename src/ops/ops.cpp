// The operation IR: descriptions, table names, folding column options, and the check of an
// operation against the live schema (done before any of its SQL runs).
#include "migtest/ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "migtest/error.hpp"
#include "ops/overloaded.hpp"
#include "schema/fold_column.hpp"
#include "strings.hpp"

namespace migtest::ops {

namespace {

using detail::overloaded;

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

using detail::join;
using detail::lower;

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto first = static_cast<unsigned char>(s[0]);
  if (!(std::isalpha(first) || first == '_' || first >= 0x80)) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
  });
}

// How the live schema names things: SQLite folds case, PostgreSQL compares exactly (the
// names given here are the stored, unquoted names).
struct Names {
  bool fold;
  bool same(std::string_view a, std::string_view b) const {
    return fold ? lower(a) == lower(b) : a == b;
  }
};

class Checker {
 public:
  Checker(const Schema& s, std::string what)
      : s_(s), names_{s.dialect != Dialect::postgresql}, what_(std::move(what)) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw schema_error(fmt::format("{}: {}", what_, problem));
  }

  const Table* find_table(const std::string& schema, const std::string& name) const {
    for (const auto& t : s_.tables) {
      std::string ts = t.schema == "public" ? "" : t.schema;
      std::string os = schema == "public" ? "" : schema;
      if (names_.same(ts, os) && names_.same(t.name, name)) return &t;
    }
    return nullptr;
  }
  const Table& table(const std::string& schema, const std::string& name) const {
    const Table* t = find_table(schema, name);
    if (!t) fail(fmt::format("table '{}' does not exist", qualified(schema, name)));
    return *t;
  }
  void no_table(const std::string& schema, const std::string& name) const {
    if (find_table(schema, name))
      fail(fmt::format("table '{}' already exists", qualified(schema, name)));
    for (const auto& v : s_.views) {
      if (names_.same(v.schema, schema) && names_.same(v.name, name))
        fail(fmt::format("a view named '{}' already exists", qualified(schema, name)));
    }
  }
  const Column* find_column(const Table& t, const std::string& name) const {
    for (const auto& c : t.columns)
      if (names_.same(c.name, name)) return &c;
    return nullptr;
  }
  void column(const Table& t, const std::string& name) const {
    if (!find_column(t, name))
      fail(fmt::format("table '{}' has no column '{}'", qualified(t.schema, t.name), name));
  }
  void columns(const Table& t, const std::vector<std::string>& names) const {
    for (const auto& n : names) column(t, n);
  }
  void no_column(const Table& t, const std::string& name) const {
    if (find_column(t, name))
      fail(fmt::format("table '{}' already has a column '{}'", qualified(t.schema, t.name), name));
  }
  const Table* index_owner(const std::string& schema, const std::string& name) const {
    for (const auto& t : s_.tables) {
      if (!names_.same(t.schema, schema)) continue;
      for (const auto& i : t.indexes)
        if (names_.same(i.name, name)) return &t;
    }
    return nullptr;
  }
  // A constraint name is unique per table on SQLite and per schema on PostgreSQL; checking
  // the table is what both need to fail early with a clear message.
  bool has_constraint(const Table& t, const std::string& name) const {
    if (name.empty()) return false;
    if (t.primary_key && names_.same(t.primary_key->name, name)) return true;
    for (const auto& u : t.uniques)
      if (names_.same(u.name, name)) return true;
    for (const auto& f : t.foreign_keys)
      if (names_.same(f.name, name)) return true;
    for (const auto& c : t.checks)
      if (names_.same(c.name, name)) return true;
    return false;
  }
  void referred(const ForeignKeyDef& fk, const TableDef* self) const {
    if (self && names_.same(fk.referred_table, self->name) &&
        names_.same(fk.referred_schema, self->schema)) {
      for (const auto& c : fk.referred_columns)
        if (!self->find_column(c) &&
            std::none_of(self->columns.begin(), self->columns.end(),
                         [&](const ColumnDef& d) { return names_.same(d.name, c); }))
          fail(fmt::format("foreign key refers to '{}.{}', which is not a column of the new table",
                           fk.referred_table, c));
      return;
    }
    const Table* parent = find_table(fk.referred_schema, fk.referred_table);
    if (!parent)
      fail(fmt::format("foreign key refers to table '{}', which does not exist",
                       qualified(fk.referred_schema, fk.referred_table)));
    for (const auto& c : fk.referred_columns)
      if (!find_column(*parent, c))
        fail(fmt::format("foreign key refers to '{}.{}', which does not exist",
                         qualified(parent->schema, parent->name), c));
  }
  bool same(std::string_view a, std::string_view b) const { return names_.same(a, b); }

 private:
  const Schema& s_;
  Names names_;
  std::string what_;
};

bool same_list(const std::vector<std::string>& a, const std::vector<std::string>& b,
               const Checker& k) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!k.same(a[i], b[i])) return false;
  return true;
}

void check_create_index(const Checker& k, const CreateIndex& o) {
  const Table& t = k.table(o.schema, o.table);
  if (o.index.name.empty()) k.fail("an index needs a name");
  if (o.index.columns.empty()) k.fail("an index needs at least one column or expression");
  if (const Table* owner = k.index_owner(o.schema, o.index.name))
    k.fail(fmt::format("an index named '{}' already exists on '{}'", o.index.name, owner->name));
  for (std::size_t i = 0; i < o.index.columns.size(); ++i)
    if (is_identifier(o.index.columns[i])) k.column(t, o.index.columns[i]);
}

void check_drop_index(const Checker& k, const DropIndex& o) {
  if (!o.table.empty()) {
    const Table& t = k.table(o.schema, o.table);
    bool found = std::any_of(t.indexes.begin(), t.indexes.end(),
                             [&](const Index& i) { return k.same(i.name, o.name); });
    if (!found)
      k.fail(fmt::format("table '{}' has no index '{}'", qualified(o.schema, o.table), o.name));
  } else if (!k.index_owner(o.schema, o.name)) {
    k.fail(fmt::format("index '{}' does not exist", o.name));
  }
}

void check_create_foreign_key(const Checker& k, const CreateForeignKey& o) {
  const Table& t = k.table(o.schema, o.table);
  const ForeignKeyDef& f = o.foreign_key;
  if (f.columns.empty() || f.columns.size() != f.referred_columns.size())
    k.fail("a foreign key needs as many referred columns as columns");
  k.columns(t, f.columns);
  k.referred(f, nullptr);
  if (k.has_constraint(t, f.name)) k.fail(fmt::format("constraint '{}' already exists", f.name));
}

// A named constraint of the kind asked (any kind for ConstraintKind::any).
bool has_named_constraint(const Checker& k, const Table& t, const DropConstraint& o) {
  auto kind_ok = [&](ConstraintKind want) {
    return o.kind == ConstraintKind::any || o.kind == want;
  };
  bool found = false;
  if (kind_ok(ConstraintKind::primary_key) && t.primary_key && k.same(t.primary_key->name, o.name))
    found = true;
  for (const auto& u : t.uniques)
    if (kind_ok(ConstraintKind::unique) && k.same(u.name, o.name)) found = true;
  for (const auto& f : t.foreign_keys)
    if (kind_ok(ConstraintKind::foreign_key) && k.same(f.name, o.name)) found = true;
  for (const auto& c : t.checks)
    if (kind_ok(ConstraintKind::check) && k.same(c.name, o.name)) found = true;
  return found;
}

// An unnamed constraint is found by its kind and its columns (a CHECK by its expression).
bool has_unnamed_constraint(const Checker& k, const Table& t, const DropConstraint& o) {
  bool found = false;
  switch (o.kind) {
    case ConstraintKind::primary_key:
      found = t.primary_key.has_value();
      break;
    case ConstraintKind::unique:
      for (const auto& u : t.uniques) found = found || same_list(u.columns, o.columns, k);
      break;
    case ConstraintKind::foreign_key:
      for (const auto& f : t.foreign_keys) found = found || same_list(f.columns, o.columns, k);
      break;
    case ConstraintKind::check:
      for (const auto& c : t.checks) found = found || c.expression == o.expression;
      break;
    case ConstraintKind::any:
      k.fail("an unnamed constraint is dropped by kind and columns");
  }
  return found;
}

void check_drop_constraint(const Checker& k, const DropConstraint& o) {
  const Table& t = k.table(o.schema, o.table);
  if (!o.name.empty()) {
    if (!has_named_constraint(k, t, o))
      k.fail(fmt::format("table '{}' has no {} named '{}'", qualified(o.schema, o.table),
                         to_string(o.kind), o.name));
    return;
  }
  if (!has_unnamed_constraint(k, t, o))
    k.fail(
        fmt::format("table '{}' has no such {}", qualified(o.schema, o.table), to_string(o.kind)));
}

void check_bulk_insert(const Checker& k, const BulkInsert& o) {
  const Table& t = k.table(o.schema, o.table);
  k.columns(t, o.columns);
  for (const auto& r : o.rows)
    if (r.size() != o.columns.size())
      k.fail(fmt::format("a row has {} values for {} columns", r.size(), o.columns.size()));
}

}  // namespace

std::string_view to_string(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::any:
      return "constraint";
    case ConstraintKind::primary_key:
      return "primary key";
    case ConstraintKind::unique:
      return "unique constraint";
    case ConstraintKind::foreign_key:
      return "foreign key";
    case ConstraintKind::check:
      return "check constraint";
  }
  return "constraint";
}

std::pair<std::string, std::string> split_table(std::string_view table) {
  auto dot = table.find('.');
  if (dot == std::string_view::npos) return {"", std::string(table)};
  return {std::string(table.substr(0, dot)), std::string(table.substr(dot + 1))};
}

std::string describe(const Operation& op) {
  return std::visit(
      overloaded{
          [](const CreateTable& o) {
            return "create table " + qualified(o.table.schema, o.table.name);
          },
          [](const DropTable& o) { return "drop table " + qualified(o.schema, o.table); },
          [](const RenameTable& o) {
            return fmt::format("rename table {} to {}", qualified(o.schema, o.table), o.new_name);
          },
          [](const AddColumn& o) {
            return fmt::format("add column {}.{}", qualified(o.schema, o.table), o.column.name);
          },
          [](const DropColumn& o) {
            return fmt::format("drop column {}.{}", qualified(o.schema, o.table), o.column);
          },
          [](const AlterColumn& o) {
            std::vector<std::string> what;
            const ColumnChange& c = o.change;
            if (c.new_type()) what.push_back("type " + to_string(*c.new_type()));
            if (c.new_nullable()) what.push_back(*c.new_nullable() ? "nullable" : "not null");
            if (c.new_server_default())
              what.push_back(*c.new_server_default() ? "default " + **c.new_server_default()
                                                     : std::string("drop default"));
            if (c.new_name()) what.push_back("rename to " + *c.new_name());
            return fmt::format("alter column {}.{} ({})", qualified(o.schema, o.table), o.column,
                               join(what));
          },
          [](const CreateIndex& o) {
            return fmt::format("create index {} on {}", o.index.name, qualified(o.schema, o.table));
          },
          [](const DropIndex& o) {
            return o.table.empty()
                       ? "drop index " + o.name
                       : fmt::format("drop index {} on {}", o.name, qualified(o.schema, o.table));
          },
          [](const CreateUniqueConstraint& o) {
            return fmt::format("create unique constraint {}on {} ({})",
                               o.name.empty() ? "" : o.name + " ", qualified(o.schema, o.table),
                               join(o.columns));
          },
          [](const CreateForeignKey& o) {
            return fmt::format(
                "create foreign key {}on {} ({}) -> {}",
                o.foreign_key.name.empty() ? "" : o.foreign_key.name + " ",
                qualified(o.schema, o.table), join(o.foreign_key.columns),
                qualified(o.foreign_key.referred_schema, o.foreign_key.referred_table));
          },
          [](const CreateCheckConstraint& o) {
            return fmt::format("create check constraint {}on {}",
                               o.name.empty() ? "" : o.name + " ", qualified(o.schema, o.table));
          },
          [](const DropConstraint& o) {
            std::string which = !o.name.empty()      ? o.name
                                : !o.columns.empty() ? "(" + join(o.columns) + ")"
                                                     : o.expression;
            return fmt::format("drop {} {} on {}", to_string(o.kind), which,
                               qualified(o.schema, o.table));
          },
          [](const Execute& o) {
            std::string one = o.sql;
            for (char& c : one)
              if (c == '\n' || c == '\r' || c == '\t') c = ' ';
            if (one.size() > 60) one = one.substr(0, 57) + "...";
            return "execute " + one;
          },
          [](const BulkInsert& o) {
            return fmt::format("bulk insert {} row{} into {}", o.rows.size(),
                               o.rows.size() == 1 ? "" : "s", qualified(o.schema, o.table));
          },
      },
      op);
}

TableDef table_def(std::string schema, std::string name, std::vector<ColumnDef> columns) {
  // The folding TableBuilder::add_column uses, so a table created from columns equals
  // the one Metadata declares from the same columns.
  TableDef t;
  t.schema = std::move(schema);
  t.name = std::move(name);
  for (ColumnDef& c : columns) detail::fold_column(t, std::move(c));
  return t;
}

Metadata single_table_metadata(const TableDef& td) {
  Metadata md;
  auto qualified_name = [](const std::string& s, const std::string& n) {
    return s.empty() ? n : s + "." + n;
  };
  TableBuilder tb = md.table(qualified_name(td.schema, td.name));
  for (const ColumnDef& c : td.columns) {
    // Only the options that change the column itself: constraints are replayed below from
    // the table's complete lists.
    auto with_default = [&](const auto&... opts) {
      if (c.server_default)
        tb.column(c.name, c.type, opts..., server_default(*c.server_default));
      else
        tb.column(c.name, c.type, opts...);
    };
    auto with_auto = [&](const auto&... opts) {
      if (c.autoincrement)
        with_default(opts..., autoincrement);
      else
        with_default(opts...);
    };
    if (c.nullable)
      with_auto(nullable);
    else
      with_auto();
  }
  if (td.primary_key) tb.primary_key(td.primary_key->columns, td.primary_key->name);
  for (const auto& u : td.uniques) tb.unique_constraint(u.name, u.columns);
  for (const auto& i : td.indexes) {
    if (i.unique)
      tb.index(i.name, i.columns, unique, where(i.where), index_method(i.method));
    else
      tb.index(i.name, i.columns, where(i.where), index_method(i.method));
  }
  for (const auto& f : td.foreign_keys) {
    std::string target = qualified_name(f.referred_schema, f.referred_table);
    if (f.deferrable || f.initially_deferred) {
      tb.foreign_key(f.columns, target, f.referred_columns, OnDelete{f.on_delete},
                     OnUpdate{f.on_update}, named(f.name),
                     deferrable(f.initially_deferred ? Initially::deferred : Initially::immediate));
    } else {
      tb.foreign_key(f.columns, target, f.referred_columns, OnDelete{f.on_delete},
                     OnUpdate{f.on_update}, named(f.name));
    }
  }
  for (const auto& c : td.checks) tb.check(c.name, c.expression);
  if (td.without_rowid) tb.without_rowid();
  if (td.strict) tb.strict();
  // Stand-ins for the tables the foreign keys refer to: only their names and referred
  // columns matter to the conversion.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> stub_columns;
  for (const auto& f : td.foreign_keys) {
    if (f.referred_schema == td.schema && f.referred_table == td.name) continue;
    auto& cols = stub_columns[{f.referred_schema, f.referred_table}];
    for (const auto& c : f.referred_columns)
      if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  }
  for (const auto& [key, cols] : stub_columns) {
    TableBuilder sb = md.table(qualified_name(key.first, key.second));
    for (const auto& c : cols) sb.column(c, Integer{});
  }
  return md;
}

void check(const Operation& op, const Schema& s) {
  Checker k(s, describe(op));
  std::visit(
      overloaded{
          [&](const CreateTable& o) {
            k.no_table(o.table.schema, o.table.name);
            if (o.table.columns.empty()) k.fail("a table needs at least one column");
            for (const auto& f : o.table.foreign_keys) k.referred(f, &o.table);
          },
          [&](const DropTable& o) { k.table(o.schema, o.table); },
          [&](const RenameTable& o) {
            k.table(o.schema, o.table);
            k.no_table(o.schema, o.new_name);
          },
          [&](const AddColumn& o) {
            const Table& t = k.table(o.schema, o.table);
            k.no_column(t, o.column.name);
            if (o.column.primary_key)
              k.fail("a primary key column cannot be added to an existing table");
            if (o.column.foreign_key) k.referred(*o.column.foreign_key, nullptr);
          },
          [&](const DropColumn& o) {
            const Table& t = k.table(o.schema, o.table);
            k.column(t, o.column);
            if (t.columns.size() == 1)
              k.fail(fmt::format("'{}' is the table's only column", o.column));
          },
          [&](const AlterColumn& o) {
            const Table& t = k.table(o.schema, o.table);
            k.column(t, o.column);
            const ColumnChange& c = o.change;
            if (!c.new_type() && !c.new_nullable() && !c.new_server_default() && !c.new_name())
              k.fail("nothing to change");
            if (c.new_name() && !k.same(*c.new_name(), o.column)) k.no_column(t, *c.new_name());
          },
          [&](const CreateIndex& o) { check_create_index(k, o); },
          [&](const DropIndex& o) { check_drop_index(k, o); },
          [&](const CreateUniqueConstraint& o) {
            const Table& t = k.table(o.schema, o.table);
            if (o.columns.empty()) k.fail("a unique constraint needs columns");
            k.columns(t, o.columns);
            if (k.has_constraint(t, o.name))
              k.fail(fmt::format("constraint '{}' already exists", o.name));
          },
          [&](const CreateForeignKey& o) { check_create_foreign_key(k, o); },
          [&](const CreateCheckConstraint& o) {
            const Table& t = k.table(o.schema, o.table);
            if (o.expression.empty()) k.fail("a check constraint needs an expression");
            if (k.has_constraint(t, o.name))
              k.fail(fmt::format("constraint '{}' already exists", o.name));
          },
          [&](const DropConstraint& o) { check_drop_constraint(k, o); },
          [&](const Execute&) {},
          [&](const BulkInsert& o) { check_bulk_insert(k, o); },
      },
      op);
}

}  // namespace migtest::ops
