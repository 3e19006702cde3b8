// Autogenerate: differences between the database at head and the models, as operations up
// and down, and as a revision file (SQL per dialect, or C++).
#include "migtest/autogenerate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <type_traits>
#include <variant>

#include "sql_quote.hpp"
#include "strings.hpp"

namespace migtest {

namespace {

using K = Difference::Kind;

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

using detail::join;

ReferentialAction action(const std::string& text) {
  if (text == "CASCADE") return ReferentialAction::cascade;
  if (text == "SET NULL") return ReferentialAction::set_null;
  if (text == "SET DEFAULT") return ReferentialAction::set_default;
  if (text == "RESTRICT") return ReferentialAction::restrict;
  return ReferentialAction::no_action;
}

ColumnDef column_def(const Column& c, Dialect dialect) {
  ColumnDef d;
  d.name = c.name;
  d.type = portable_type(c.type, dialect);
  d.nullable = c.nullable;
  d.server_default = c.default_value;
  d.autoincrement = c.autoincrement;
  return d;
}

ForeignKeyDef foreign_key_def(const ForeignKey& f) {
  ForeignKeyDef d;
  d.name = f.name;
  d.columns = f.columns;
  d.referred_schema = f.referred_schema == "public" ? "" : f.referred_schema;
  d.referred_table = f.referred_table;
  d.referred_columns = f.referred_columns;
  d.on_delete = action(f.on_delete);
  d.on_update = action(f.on_update);
  d.deferrable = f.deferrable;
  d.initially_deferred = f.initially_deferred;
  return d;
}

IndexDef index_def(const Index& i) {
  IndexDef d;
  d.name = i.name;
  d.columns = i.columns;
  d.unique = i.unique;
  d.where = i.where;
  d.method = i.method;
  return d;
}

// A reflected table as a declaration, for re-creating it on the way down.
TableDef table_def(const Table& t, Dialect dialect) {
  TableDef d;
  d.schema = t.schema;
  d.name = t.name;
  for (const auto& c : t.columns) d.columns.push_back(column_def(c, dialect));
  if (t.primary_key) d.primary_key = PrimaryKeyDef{t.primary_key->name, t.primary_key->columns};
  for (const auto& u : t.uniques) d.uniques.push_back(UniqueDef{u.name, u.columns});
  for (const auto& f : t.foreign_keys) d.foreign_keys.push_back(foreign_key_def(f));
  for (const auto& c : t.checks) d.checks.push_back(CheckDef{c.name, c.expression});
  for (const auto& i : t.indexes) d.indexes.push_back(index_def(i));
  d.without_rowid = t.without_rowid;
  d.strict = t.strict;
  return d;
}

// One change: its operation up and its inverse down, in a phase that orders the upgrade.
enum Phase {
  create_tables,
  drop_constraints,
  add_columns,
  alter_columns,
  add_constraints,
  drop_columns,
  drop_tables
};

struct Pair {
  Phase phase;
  int order;  // within the phase: tables by foreign-key dependency
  ops::Operation up, down;
};

// The operations that drop and create each kind of constraint or index, on `d`'s table.
ops::Operation drop_op(const Difference& d, const UniqueConstraint& u) {
  return ops::DropConstraint{
      d.table_schema, d.table_name, u.name, ops::ConstraintKind::unique, u.columns, ""};
}
ops::Operation create_op(const Difference& d, const UniqueConstraint& u) {
  return ops::CreateUniqueConstraint{d.table_schema, d.table_name, u.name, u.columns};
}
ops::Operation drop_op(const Difference& d, const ForeignKey& f) {
  return ops::DropConstraint{
      d.table_schema, d.table_name, f.name, ops::ConstraintKind::foreign_key, f.columns, ""};
}
ops::Operation create_op(const Difference& d, const ForeignKey& f) {
  return ops::CreateForeignKey{d.table_schema, d.table_name, foreign_key_def(f)};
}
ops::Operation drop_op(const Difference& d, const CheckConstraint& c) {
  return ops::DropConstraint{d.table_schema, d.table_name, c.name, ops::ConstraintKind::check, {},
                             c.expression};
}
ops::Operation create_op(const Difference& d, const CheckConstraint& c) {
  return ops::CreateCheckConstraint{d.table_schema, d.table_name, c.name, c.expression};
}
ops::Operation drop_op(const Difference& d, const Index& i) {
  return ops::DropIndex{d.table_schema, d.table_name, i.name};
}
ops::Operation create_op(const Difference& d, const Index& i) {
  return ops::CreateIndex{d.table_schema, d.table_name, index_def(i)};
}

// Where a new constraint goes among the others of its phase: a foreign key after the unique
// constraints it may refer to, an index last.
int create_order(const UniqueConstraint&) { return 0; }
int create_order(const CheckConstraint&) { return 0; }
int create_order(const ForeignKey&) { return 1; }
int create_order(const Index&) { return 2; }

std::string verb(K k) {
  switch (k) {
    case K::unique_added:
    case K::foreign_key_added:
    case K::check_added:
    case K::index_added:
      return "added";
    case K::unique_removed:
    case K::foreign_key_removed:
    case K::check_removed:
    case K::index_removed:
      return "removed";
    default:
      return "changed";
  }
}

std::string named(const std::string& object) { return object.empty() ? "" : "'" + object + "' "; }

// Alembic's "Detected ..." line for a constraint or index difference; `x` is its object.
std::string detected(const Difference& d, const UniqueConstraint& u) {
  return fmt::format("Detected {} unique constraint {}on '{}' ({})", verb(d.kind), named(d.object),
                     d.table, join(u.columns));
}
std::string detected(const Difference& d, const ForeignKey& f) {
  return fmt::format("Detected {} foreign key {}({}) -> {} on '{}'", verb(d.kind), named(d.object),
                     join(f.columns), qualified(f.referred_schema, f.referred_table), d.table);
}
std::string detected(const Difference& d, const CheckConstraint&) {
  return fmt::format("Detected {} check constraint {}on '{}'", verb(d.kind), named(d.object),
                     d.table);
}
std::string detected(const Difference& d, const Index&) {
  return fmt::format("Detected {} index '{}' on '{}'", verb(d.kind), d.object, d.table);
}

// A column the database cannot fill for the rows a table already has: NOT NULL, no server
// default, not generated, not an identity or autoincrement column.
bool needs_rows_filled(const Column& c) {
  return !c.nullable && !c.default_value && !c.generated && c.identity.empty() && !c.autoincrement;
}

class Generator {
 public:
  Generator(const Schema& db, const Metadata& md, const Schema& expected,
            const CompareOptions& options)
      : db_(db), md_(md), expected_(expected), options_(options) {}

  Autogenerated run() {
    Autogenerated out;
    out.differences = compare(db_, expected_, options_);
    for (const Difference& d : out.differences) handle(d, out);
    guess_renames(out);
    std::stable_sort(pairs_.begin(), pairs_.end(), [](const Pair& a, const Pair& b) {
      return a.phase != b.phase ? a.phase < b.phase : a.order < b.order;
    });
    for (const auto& p : pairs_) out.upgrade.push_back(p.up);
    for (auto it = pairs_.rbegin(); it != pairs_.rend(); ++it) out.downgrade.push_back(it->down);
    return out;
  }

 private:
  void note(Autogenerated& out, const Difference& d, const std::string& what) {
    out.notes.push_back(fmt::format("{}: {}", d.describe(), what));
  }

  const TableDef* model_def(const Difference& d) const {
    if (const TableDef* t = md_.find_table(d.table_name, d.table_schema)) return t;
    return d.table_schema.empty() ? md_.find_table(d.table_name, "public") : nullptr;
  }
  const ColumnDef* model_column(const Difference& d) const {
    const TableDef* def = model_def(d);
    return def ? def->find_column(d.object) : nullptr;
  }
  // Indexes of a materialized view come as differences too: only a table's are generated.
  bool on_table(const Difference& d) const {
    return db_.find_table(d.table_name, d.table_schema) ||
           expected_.find_table(d.table_name, d.table_schema);
  }

  // Parents before children among the tables of one schema, by foreign keys.
  int depth(const Schema& s, const std::string& schema, const std::string& name,
            int guard = 0) const {
    const Table* t = s.find_table(name, schema);
    if (!t || guard > 32) return 0;
    int d = 0;
    for (const auto& f : t->foreign_keys)
      if (f.referred_table != name)
        d = std::max(d, 1 + depth(s, f.referred_schema.empty() ? schema : f.referred_schema,
                                  f.referred_table, guard + 1));
    return d;
  }

  void add(Phase phase, int order, ops::Operation up, ops::Operation down) {
    pairs_.push_back(Pair{phase, order, std::move(up), std::move(down)});
  }

  // Each difference to its operations, by what it is about; nothing here reads its text.
  void handle(const Difference& d, Autogenerated& out) {
    switch (d.kind) {
      case K::table_added:
        return table_added(d, out);
      case K::table_removed:
        return table_removed(d, out);
      case K::column_added:
        return column_added(d, out);
      case K::column_removed:
        return column_removed(d, out);
      case K::type_changed:
      case K::nullable_changed:
      case K::default_changed:
        return column_changed(d, out);
      case K::unique_added:
      case K::unique_removed:
      case K::unique_changed:
        return constraint<UniqueConstraint>(d, out);
      case K::foreign_key_added:
      case K::foreign_key_removed:
      case K::foreign_key_changed:
        return constraint<ForeignKey>(d, out);
      case K::check_added:
      case K::check_removed:
      case K::check_changed:
        return constraint<CheckConstraint>(d, out);
      case K::index_added:
      case K::index_removed:
      case K::index_changed:
        if (!on_table(d)) return note(out, d, "not generated; write it by hand");
        return constraint<Index>(d, out);
      case K::sequence_added:
      case K::sequence_removed:
        // A serial column's own sequence comes and goes with its table or column.
        if (owned_by_changed_column(d)) return;
        return note(out, d, "not generated; write it by hand");
      case K::enum_added:
        return;  // PostgreSQL enum types are created with the tables and columns that use them.
      case K::enum_removed:
        return note(out, d, "the type is not dropped; drop it by hand if nothing uses it");
      default:
        return note(out, d, "not generated; write it by hand");
    }
  }

  void table_added(const Difference& d, Autogenerated& out) {
    const TableDef* def = model_def(d);
    if (!def) return note(out, d, "not in the models; not generated");
    add(create_tables, depth(expected_, d.table_schema, d.table_name), ops::CreateTable{*def},
        ops::DropTable{d.table_schema, d.table_name});
    out.detected.push_back(fmt::format("Detected added table '{}'", d.table));
  }

  void table_removed(const Difference& d, Autogenerated& out) {
    const Table& t = *d.actual_as<Table>();
    add(drop_tables, -depth(db_, d.table_schema, d.table_name),
        ops::DropTable{d.table_schema, d.table_name}, ops::CreateTable{table_def(t, db_dialect())});
    out.detected.push_back(fmt::format("Detected removed table '{}'", d.table));
  }

  void column_added(const Difference& d, Autogenerated& out) {
    const ColumnDef* c = model_column(d);
    if (!c) return note(out, d, "not in the models; not generated");
    ColumnDef col = *c;
    // Constraints and indexes on it come as differences of their own.
    col.unique = false;
    col.index = false;
    col.foreign_key.reset();
    col.primary_key = false;
    add(add_columns, 0, ops::AddColumn{d.table_schema, d.table_name, col},
        ops::DropColumn{d.table_schema, d.table_name, d.object});
    added_.push_back({d.table, d.object});
    out.detected.push_back(fmt::format("Detected added column '{}.{}'", d.table, d.object));
    if (needs_rows_filled(*d.expected_as<Column>())) {
      out.notes.push_back(fmt::format(
          "column {0}.{1} is added NOT NULL without a server default: the upgrade fails on a table "
          "that has rows. Give it a server default, or add it nullable, fill it, then make it NOT "
          "NULL",
          d.table, d.object));
    }
  }

  void column_removed(const Difference& d, Autogenerated& out) {
    const Column& c = *d.actual_as<Column>();
    add(drop_columns, 0, ops::DropColumn{d.table_schema, d.table_name, d.object},
        ops::AddColumn{d.table_schema, d.table_name, column_def(c, db_dialect())});
    removed_.push_back({d.table, d.object});
    out.detected.push_back(fmt::format("Detected removed column '{}.{}'", d.table, d.object));
  }

  // Type, nullability and default of one column change in one alter_column each way (as
  // Alembic writes it): on SQLite that is one table rebuild, not one per attribute.
  void column_changed(const Difference& d, Autogenerated& out) {
    const Column& was = *d.actual_as<Column>();
    const Column& now = *d.expected_as<Column>();
    const ColumnDef* want = model_column(d);
    if (!want) return note(out, d, "not generated");
    auto [up, down] = alter_pair(d);
    if (d.kind == K::type_changed) {
      up.type(want->type);
      down.type(portable_type(was.type, db_dialect()));
      out.detected.push_back(fmt::format("Detected type change from {} to {} on '{}.{}'", was.type,
                                         now.type, d.table, d.object));
    } else if (d.kind == K::nullable_changed) {
      up.nullable(now.nullable);
      down.nullable(was.nullable);
      out.detected.push_back(fmt::format("Detected {} on column '{}.{}'",
                                         now.nullable ? "NULL" : "NOT NULL", d.table, d.object));
    } else {
      if (want->server_default)
        up.server_default(*want->server_default);
      else
        up.drop_server_default();
      if (was.default_value)
        down.server_default(*was.default_value);
      else
        down.drop_server_default();
      out.detected.push_back(fmt::format("Detected {} server default on column '{}.{}'",
                                         want->server_default ? "changed" : "removed", d.table,
                                         d.object));
    }
  }

  // The changes up and down of d's column, in the alter_column pair made for its first change.
  std::pair<ColumnChange&, ColumnChange&> alter_pair(const Difference& d) {
    for (auto& p : pairs_) {
      auto* up = std::get_if<ops::AlterColumn>(&p.up);
      if (up && up->schema == d.table_schema && up->table == d.table_name && up->column == d.object)
        return {up->change, std::get<ops::AlterColumn>(p.down).change};
    }
    add(alter_columns, 0, ops::AlterColumn{d.table_schema, d.table_name, d.object, {}},
        ops::AlterColumn{d.table_schema, d.table_name, d.object, {}});
    return {std::get<ops::AlterColumn>(pairs_.back().up).change,
            std::get<ops::AlterColumn>(pairs_.back().down).change};
  }

  // A constraint or index added, removed or changed: the old one dropped, the new one made.
  template <class T>
  void constraint(const Difference& d, Autogenerated& out) {
    const T* old = d.actual_as<T>();
    const T* now = d.expected_as<T>();
    if (old) add(drop_constraints, 0, drop_op(d, *old), create_op(d, *old));
    if (now) add(add_constraints, create_order(*now), create_op(d, *now), drop_op(d, *now));
    out.detected.push_back(detected(d, now ? *now : *old));
  }

  // A sequence owned by a column ("table.column", as Sequence::owned_by stores it) whose
  // table or column the other side lacks: it comes and goes with that column.
  bool owned_by_changed_column(const Difference& d) const {
    const Sequence* s =
        d.kind == K::sequence_added ? d.expected_as<Sequence>() : d.actual_as<Sequence>();
    if (!s || s->owned_by.empty()) return false;
    const Schema& other = d.kind == K::sequence_added ? db_ : expected_;
    auto dot = s->owned_by.rfind('.');
    const Table* t = other.find_table(s->owned_by.substr(0, dot), s->schema);
    return !t || dot == std::string::npos || !t->find_column(s->owned_by.substr(dot + 1));
  }

  // A rename shows as a column removed and one added in the same table: say so.
  void guess_renames(Autogenerated& out) {
    for (const auto& [table, removed] : removed_) {
      for (const auto& [t2, added] : added_) {
        if (t2 != table) continue;
        out.notes.push_back(
            fmt::format("column {0}.{1} was removed and {0}.{2} added: if it was renamed, replace "
                        "the drop and the "
                        "add with a rename (ALTER TABLE ... RENAME COLUMN {1} TO {2}, or "
                        "op.rename_column) so the "
                        "rows are kept",
                        table, removed, added));
      }
    }
  }

  // A schema built by hand names no dialect: its types read as PostgreSQL's, as before.
  Dialect db_dialect() const { return db_.dialect.value_or(Dialect::postgresql); }

  const Schema& db_;
  const Metadata& md_;
  const Schema& expected_;
  const CompareOptions& options_;
  std::vector<Pair> pairs_;
  std::vector<std::pair<std::string, std::string>> added_, removed_;
};

using detail::lower;

// ---------------------------------------------------------------------------
// C++ rendering

std::string cpp_string(std::string_view s) { return detail::c_string_literal(s); }

std::string cpp_strings(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& s : v) q.push_back(cpp_string(s));
  return "{" + join(q) + "}";
}

std::string cpp_type(const Type& t) {
  using TK = Type::Kind;
  switch (t.kind) {
    case TK::integer:
      return "migtest::Integer{}";
    case TK::big_integer:
      return "migtest::BigInteger{}";
    case TK::small_integer:
      return "migtest::SmallInteger{}";
    case TK::boolean:
      return "migtest::Boolean{}";
    case TK::string:
      return t.length ? fmt::format("migtest::String({})", *t.length) : "migtest::String{}";
    case TK::text:
      return "migtest::Text{}";
    case TK::float32:
      return "migtest::Float{}";
    case TK::float64:
      return "migtest::Double{}";
    case TK::numeric:
      if (t.precision && t.scale)
        return fmt::format("migtest::Numeric({}, {})", *t.precision, *t.scale);
      if (t.precision) return fmt::format("migtest::Numeric({})", *t.precision);
      return "migtest::Numeric{}";
    case TK::date:
      return "migtest::Date{}";
    case TK::datetime:
      return t.timezone ? "migtest::DateTime{migtest::with_timezone}" : "migtest::DateTime{}";
    case TK::time:
      return t.timezone ? "migtest::Time{migtest::with_timezone}" : "migtest::Time{}";
    case TK::blob:
      return "migtest::Type(migtest::Blob{})";
    case TK::json:
      return "migtest::Json{}";
    case TK::uuid:
      return "migtest::Uuid{}";
    case TK::enumeration:
      return fmt::format("migtest::Type(migtest::Enum({}{}, {}))",
                         t.enum_schema.empty() ? "" : cpp_string(t.enum_schema) + ", ",
                         cpp_string(t.enum_name), cpp_strings(t.enum_values));
    case TK::raw: {
      std::vector<std::string> entries;
      for (const auto& [k, v] : t.raw)
        entries.push_back("{" + cpp_string(k) + ", " + cpp_string(v) + "}");
      return "migtest::Raw({" + join(entries) + "})";
    }
  }
  return "migtest::Integer{}";
}

std::string cpp_column_options(const ColumnDef& c) {
  std::string out;
  if (c.nullable) out += ", migtest::nullable";
  if (c.autoincrement) out += ", migtest::autoincrement";
  if (c.server_default) out += ", migtest::server_default(" + cpp_string(*c.server_default) + ")";
  return out;
}

// `migtest::ReferentialAction::cascade`: an action as an argument of op.create_foreign_key.
std::string cpp_enumerator(ReferentialAction a) {
  switch (a) {
    case ReferentialAction::no_action:
      return "migtest::ReferentialAction::no_action";
    case ReferentialAction::restrict:
      return "migtest::ReferentialAction::restrict";
    case ReferentialAction::cascade:
      return "migtest::ReferentialAction::cascade";
    case ReferentialAction::set_null:
      return "migtest::ReferentialAction::set_null";
    case ReferentialAction::set_default:
      return "migtest::ReferentialAction::set_default";
  }
  return "migtest::ReferentialAction::no_action";
}

std::string cpp_action(ReferentialAction a, const char* which) {
  switch (a) {
    case ReferentialAction::no_action:
      return "";
    case ReferentialAction::restrict:
      return fmt::format(", migtest::{}::restrict", which);
    case ReferentialAction::cascade:
      return fmt::format(", migtest::{}::cascade", which);
    case ReferentialAction::set_null:
      return fmt::format(", migtest::{}::set_null", which);
    case ReferentialAction::set_default:
      return fmt::format(", migtest::{}::set_default", which);
  }
  return "";
}

std::string cpp_table_name(const std::string& schema, const std::string& table) {
  return cpp_string(qualified(schema, table));
}

// The TableBuilder call declaring a foreign key: `.foreign_key(columns, parent, ...)`.
std::string cpp_foreign_key_call(const ForeignKeyDef& f) {
  return "\n        .foreign_key(" + cpp_strings(f.columns) + ", " +
         cpp_table_name(f.referred_schema, f.referred_table) + ", " +
         cpp_strings(f.referred_columns) + cpp_action(f.on_delete, "on_delete") +
         cpp_action(f.on_update, "on_update") +
         (f.name.empty() ? "" : ", migtest::named(" + cpp_string(f.name) + ")") +
         (f.deferrable || f.initially_deferred
              ? std::string(f.initially_deferred
                                ? ", migtest::deferrable(migtest::Initially::deferred)"
                                : ", migtest::deferrable()")
              : "") +
         ")";
}

std::string cpp_index_call(const IndexDef& i) {
  return "\n        .index(" + cpp_string(i.name) + ", " + cpp_strings(i.columns) +
         (i.unique ? ", migtest::unique" : "") +
         (i.where.empty() ? "" : ", migtest::where(" + cpp_string(i.where) + ")") +
         (i.method.empty() ? "" : ", migtest::index_method(" + cpp_string(i.method) + ")") + ")";
}

// One C++ statement per operation: what a C++ revision would call for it.
struct CppOperation {
  std::string operator()(const ops::CreateTable& o) const {
    const TableDef& t = o.table;
    std::string out = "op.create_table(" + cpp_table_name(t.schema, t.name) +
                      ", [](migtest::TableBuilder& t) {\n    t";
    for (const auto& c : t.columns)
      out += "\n        .column(" + cpp_string(c.name) + ", " + cpp_type(c.type) +
             cpp_column_options(c) + ")";
    if (t.primary_key)
      out += "\n        .primary_key(" + cpp_strings(t.primary_key->columns) +
             (t.primary_key->name.empty() ? "" : ", " + cpp_string(t.primary_key->name)) + ")";
    for (const auto& u : t.uniques)
      out += "\n        .unique_constraint(" + (u.name.empty() ? "" : cpp_string(u.name) + ", ") +
             cpp_strings(u.columns) + ")";
    for (const auto& f : t.foreign_keys) out += cpp_foreign_key_call(f);
    for (const auto& c : t.checks)
      out += "\n        .check(" + (c.name.empty() ? "" : cpp_string(c.name) + ", ") +
             cpp_string(c.expression) + ")";
    for (const auto& i : t.indexes) out += cpp_index_call(i);
    if (t.without_rowid) out += "\n        .without_rowid()";
    if (t.strict) out += "\n        .strict()";
    return out + ";\n  });";
  }
  std::string operator()(const ops::DropTable& o) const {
    return "op.drop_table(" + cpp_table_name(o.schema, o.table) + ");";
  }
  std::string operator()(const ops::RenameTable& o) const {
    return "op.rename_table(" + cpp_table_name(o.schema, o.table) + ", " + cpp_string(o.new_name) +
           ");";
  }
  std::string operator()(const ops::AddColumn& o) const {
    return "op.add_column(" + cpp_table_name(o.schema, o.table) + ", migtest::column(" +
           cpp_string(o.column.name) + ", " + cpp_type(o.column.type) +
           cpp_column_options(o.column) + "));";
  }
  std::string operator()(const ops::DropColumn& o) const {
    return "op.drop_column(" + cpp_table_name(o.schema, o.table) + ", " + cpp_string(o.column) +
           ");";
  }
  std::string operator()(const ops::AlterColumn& o) const {
    std::string c = "migtest::alter()";
    const ColumnChange& ch = o.change;
    if (ch.new_type()) c += ".type(" + cpp_type(*ch.new_type()) + ")";
    if (ch.new_nullable()) c += fmt::format(".nullable({})", *ch.new_nullable());
    if (ch.new_server_default())
      c += *ch.new_server_default()
               ? ".server_default(" + cpp_string(**ch.new_server_default()) + ")"
               : ".drop_server_default()";
    if (ch.new_name()) c += ".rename(" + cpp_string(*ch.new_name()) + ")";
    if (!ch.using_expression().empty())
      c += ".postgresql_using(" + cpp_string(ch.using_expression()) + ")";
    return "op.alter_column(" + cpp_table_name(o.schema, o.table) + ", " + cpp_string(o.column) +
           ", " + c + ");";
  }
  std::string operator()(const ops::CreateIndex& o) const {
    const IndexDef& i = o.index;
    if (i.method.empty()) {
      return "op.create_index(" + cpp_string(i.name) + ", " + cpp_table_name(o.schema, o.table) +
             ", " + cpp_strings(i.columns) +
             (i.unique || !i.where.empty() ? fmt::format(", {}", i.unique) : "") +
             (i.where.empty() ? "" : ", " + cpp_string(i.where)) + ");";
    }
    return "{\n    migtest::IndexDef i;\n    i.name = " + cpp_string(i.name) +
           ";\n    i.columns = " + cpp_strings(i.columns) +
           ";\n    i.unique = " + (i.unique ? "true" : "false") +
           ";\n    i.where = " + cpp_string(i.where) + ";\n    i.method = " + cpp_string(i.method) +
           ";\n    op.create_index(" + cpp_table_name(o.schema, o.table) + ", i);\n  }";
  }
  std::string operator()(const ops::DropIndex& o) const {
    return "op.drop_index(" + cpp_string(o.name) + ", " + cpp_table_name(o.schema, o.table) + ");";
  }
  std::string operator()(const ops::CreateUniqueConstraint& o) const {
    return "op.create_unique_constraint(" + cpp_string(o.name) + ", " +
           cpp_table_name(o.schema, o.table) + ", " + cpp_strings(o.columns) + ");";
  }
  std::string operator()(const ops::CreateForeignKey& o) const {
    const ForeignKeyDef& f = o.foreign_key;
    // The actions are trailing arguments: ON UPDATE is written only when it is not NO ACTION,
    // and then ON DELETE too.
    std::string actions;
    if (f.on_delete != ReferentialAction::no_action ||
        f.on_update != ReferentialAction::no_action) {
      actions = ", " + cpp_enumerator(f.on_delete);
    }
    if (f.on_update != ReferentialAction::no_action) actions += ", " + cpp_enumerator(f.on_update);
    return "op.create_foreign_key(" + cpp_string(f.name) + ", " +
           cpp_table_name(o.schema, o.table) + ", " +
           cpp_table_name(f.referred_schema, f.referred_table) + ", " + cpp_strings(f.columns) +
           ", " + cpp_strings(f.referred_columns) + actions + ");";
  }
  std::string operator()(const ops::CreateCheckConstraint& o) const {
    return "op.create_check_constraint(" + cpp_string(o.name) + ", " +
           cpp_table_name(o.schema, o.table) + ", " + cpp_string(o.expression) + ");";
  }
  std::string operator()(const ops::DropConstraint& o) const {
    static const char* kinds[] = {"any", "primary_key", "unique", "foreign_key", "check"};
    std::string kind =
        std::string("migtest::ops::ConstraintKind::") + kinds[static_cast<int>(o.kind)];
    if (!o.name.empty())
      return "op.drop_constraint(" + cpp_string(o.name) + ", " + cpp_table_name(o.schema, o.table) +
             ", " + kind + ");";
    return "op.run(migtest::ops::DropConstraint{" + cpp_string(o.schema) + ", " +
           cpp_string(o.table) + ", \"\", " + kind + ", " + cpp_strings(o.columns) + ", " +
           cpp_string(o.expression) + "});";
  }
  std::string operator()(const ops::Execute& o) const {
    return "op.execute(" + cpp_string(o.sql) + ");";
  }
  std::string operator()(const ops::BulkInsert& o) const {
    return "// bulk insert into " + qualified(o.schema, o.table) + ": not rendered";
  }
};

std::string cpp_operation(const ops::Operation& op) { return std::visit(CppOperation{}, op); }

// Whether `operations` change one existing table more than once: on SQLite each change may be
// a rebuild of it, and op.batch makes them one.
bool changes_a_table_twice(const std::vector<ops::Operation>& operations) {
  std::map<std::pair<std::string, std::string>, int> changes;
  for (const auto& op : operations) {
    bool twice = std::visit(
        [&](const auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, ops::CreateTable> || std::is_same_v<T, ops::DropTable> ||
                        std::is_same_v<T, ops::Execute> || std::is_same_v<T, ops::BulkInsert>)
            return false;
          else
            return ++changes[{o.schema, o.table}] > 1;
        },
        op);
    if (twice) return true;
  }
  return false;
}

// One direction's operations as C++ statements, in op.batch where that spares rebuilds.
std::string cpp_body(const std::vector<ops::Operation>& operations) {
  bool batch = changes_a_table_twice(operations);
  std::string body;
  for (const auto& op : operations) body += (batch ? "    " : "  ") + cpp_operation(op) + "\n";
  return batch ? "  op.batch([&] {\n" + body + "  });\n" : body;
}

std::string comment_lines(const std::vector<std::string>& notes, const char* prefix) {
  std::string out;
  for (const auto& n : notes) out += std::string(prefix) + n + "\n";
  return out;
}

std::string header(const Revision& r, const char* prefix) {
  auto list = [](const std::vector<std::string>& ids) {
    return ids.empty() ? std::string("none") : join(ids);
  };
  std::string message = r.message;
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  std::string out = fmt::format("{0}revision: {1}\n{0}down_revision: {2}\n", prefix, r.id,
                                list(r.down_revisions));
  if (!message.empty()) out += fmt::format("{}message: {}\n", prefix, message);
  if (!r.created.empty()) out += fmt::format("{}created: {}\n", prefix, r.created);
  return out;
}

// Statements as file text: comments as they are, statements ended with ';'. A SQLite body
// with a rebuild that needs foreign keys off runs in its own transaction with them off.
std::string body(const std::vector<std::string>& statements) {
  bool fk_off = std::find(statements.begin(), statements.end(), "PRAGMA foreign_keys = OFF") !=
                statements.end();
  std::string out;
  if (fk_off) {
    out +=
        "-- A table others refer to is rebuilt: foreign keys must be off, which SQLite allows "
        "only\n"
        "-- outside a transaction, so this section runs its own.\n"
        "PRAGMA foreign_keys = OFF;\nBEGIN;\n";
  }
  for (const auto& s : statements) {
    if (s == "PRAGMA foreign_keys = OFF") continue;
    out += s.rfind("--", 0) == 0 ? s + "\n" : s + ";\n";
  }
  if (fk_off) out += "COMMIT;\nPRAGMA foreign_keys = ON;\n";
  return out;
}

}  // namespace

Type portable_type(std::string_view canonical_in, Dialect dialect) {
  std::string c = lower(canonical_in);
  std::smatch m;
  static const std::regex sized(R"(^(varchar|character varying|numeric)\((\d+)(?:,(\d+))?\)$)");
  if (std::regex_match(c, m, sized)) {
    if (m[1] == "numeric") {
      if (m[3].matched) return Numeric(std::stoi(m[2]), std::stoi(m[3]));
      return Numeric(std::stoi(m[2]));
    }
    return String(std::stoi(m[2]));
  }
  static const std::map<std::string, Type> sqlite = {
      {"integer", Integer{}}, {"bigint", BigInteger{}}, {"smallint", SmallInteger{}},
      {"boolean", Boolean{}}, {"varchar", String{}},    {"text", Text{}},
      {"float", Float{}},     {"double", Double{}},     {"numeric", Numeric{}},
      {"date", Date{}},       {"datetime", DateTime{}}, {"time", Time{}},
      {"blob", Type(Blob{})}, {"json", Json{}},         {"char(32)", Uuid{}},
  };
  static const std::map<std::string, Type> pg = {
      {"integer", Integer{}},
      {"bigint", BigInteger{}},
      {"smallint", SmallInteger{}},
      {"boolean", Boolean{}},
      {"character varying", String{}},
      {"text", Text{}},
      {"real", Float{}},
      {"double precision", Double{}},
      {"numeric", Numeric{}},
      {"date", Date{}},
      {"timestamp without time zone", DateTime{}},
      {"timestamp with time zone", DateTime(with_timezone)},
      {"time without time zone", Time{}},
      {"time with time zone", Time(with_timezone)},
      {"bytea", Type(Blob{})},
      {"jsonb", Json{}},
      {"uuid", Uuid{}},
  };
  const auto& table = dialect == Dialect::sqlite ? sqlite : pg;
  auto it = table.find(c);
  if (it != table.end()) return it->second;
  return Raw(std::map<std::string, std::string>{{to_string(dialect), std::string(canonical_in)}});
}

Autogenerated autogenerate(const Schema& database, const Metadata& models, const Schema& expected,
                           const CompareOptions& options) {
  return Generator(database, models, expected, options).run();
}

std::string render_sql_revision(const Revision& revision, const std::vector<DialectSql>& sections,
                                const std::vector<std::string>& notes) {
  std::string out = header(revision, "-- ");
  out += "-- Generated by migtest revision --autogenerate: review it before applying.\n";
  out += comment_lines(notes, "-- NOTE: ");
  for (const auto& s : sections)
    out += "\n-- migrate:up " + to_string(s.dialect) + "\n" + body(s.up);
  for (const auto& s : sections)
    out += "\n-- migrate:down " + to_string(s.dialect) + "\n" + body(s.down);
  return out;
}

std::string render_cpp_revision(const Revision& revision, const Autogenerated& g) {
  std::string parents = join(revision.down_revisions);
  std::string out = comment_lines({revision.message}, "// ");
  out +=
      "// Generated by migtest revision --autogenerate --cpp: review it, then compile it into the\n"
      "// program that runs your migrations (migtest::cli::main with your registry).\n";
  out += comment_lines(g.notes, "// NOTE: ");
  out += "#include <migtest/ops.hpp>\n#include <migtest/registry.hpp>\n\n";
  out += fmt::format("MIGTEST_REVISION({}, {}, {}) {{\n", revision.id, cpp_string(parents),
                     cpp_string(revision.message));
  out += cpp_body(g.upgrade) + "}\n\n";
  out += fmt::format("MIGTEST_DOWNGRADE({}) {{\n", revision.id);
  out += cpp_body(g.downgrade) + "}\n";
  return out;
}

}  // namespace migtest
