#include "backend/sqlite/ddl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "backend/sqlite/dialect.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/connection.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "strings.hpp"

namespace migtest::detail {

namespace sqlite {

namespace {

std::string constraint_prefix(const std::string& name) {
  return name.empty() ? std::string() : "CONSTRAINT " + quote_ident(name) + " ";
}

// A canonical default that is one literal can follow DEFAULT bare; anything else needs
// parentheses. Both reflect to the same canonical text.
std::string render_default(const std::string& d) {
  Tokens t = tokenize(d);
  auto literal = [](const Token& k) {
    return k.kind == TokenKind::string || k.kind == TokenKind::number ||
           k.kind == TokenKind::blob || k.is_keyword("NULL") || k.is_keyword("CURRENT_TIMESTAMP") ||
           k.is_keyword("CURRENT_DATE") || k.is_keyword("CURRENT_TIME");
  };
  bool bare =
      (t.size() == 1 && literal(t[0])) ||
      (t.size() == 2 && (t[0].is_op("-") || t[0].is_op("+")) && t[1].kind == TokenKind::number);
  return bare ? d : "(" + d + ")";
}

// Canonical types are lower case; DDL reads better in upper case and reflects the same.
std::string render_type_text(const std::string& canonical) { return upper(canonical); }

std::string render_foreign_key(const ForeignKey& fk) {
  std::string out = constraint_prefix(fk.name) + "FOREIGN KEY (" + quote_ident_list(fk.columns) +
                    ") REFERENCES " + quote_ident(fk.referred_table);
  if (!fk.referred_columns.empty()) out += " (" + quote_ident_list(fk.referred_columns) + ")";
  if (fk.on_delete != "NO ACTION") out += " ON DELETE " + fk.on_delete;
  if (fk.on_update != "NO ACTION") out += " ON UPDATE " + fk.on_update;
  if (fk.deferrable || fk.initially_deferred) {
    out += fk.initially_deferred ? " DEFERRABLE INITIALLY DEFERRED"
                                 : " DEFERRABLE INITIALLY IMMEDIATE";
  }
  return out;
}

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

}  // namespace

std::string render_type(const Type& type) {
  using K = Type::Kind;
  switch (type.kind) {
    case K::integer:
      return "INTEGER";
    case K::big_integer:
      return "BIGINT";
    case K::small_integer:
      return "SMALLINT";
    case K::boolean:
      return "BOOLEAN";
    case K::string:
      return type.length ? fmt::format("VARCHAR({})", *type.length) : "VARCHAR";
    case K::text:
      return "TEXT";
    case K::float32:
      return "FLOAT";
    case K::float64:
      return "DOUBLE";
    case K::numeric:
      if (type.precision && type.scale)
        return fmt::format("NUMERIC({}, {})", *type.precision, *type.scale);
      if (type.precision) return fmt::format("NUMERIC({})", *type.precision);
      return "NUMERIC";
    case K::date:
      return "DATE";
    case K::datetime:
      return "DATETIME";  // SQLite keeps no time zone either way
    case K::time:
      return "TIME";
    case K::blob:
      return "BLOB";
    case K::json:
      return "JSON";
    case K::uuid:
      return "CHAR(32)";  // 32 hex digits, as SQLAlchemy's Uuid stores it
    case K::enumeration: {
      std::size_t n = 1;
      for (const auto& v : type.enum_values) n = std::max(n, v.size());
      return fmt::format("VARCHAR({})", n);
    }
    case K::raw: {
      auto r = type.raw_for(Dialect::sqlite);
      if (!r) throw schema_error(fmt::format("type {} gives no SQLite type", to_string(type)));
      return *r;
    }
  }
  throw schema_error("unknown column type kind");
}

std::string render_strict_type(const Type& type) {
  using K = Type::Kind;
  switch (type.kind) {
    case K::integer:
    case K::big_integer:
    case K::small_integer:
    case K::boolean:
      return "INTEGER";
    case K::float32:
    case K::float64:
      return "REAL";
    case K::blob:
      return "BLOB";
    case K::numeric:
      throw schema_error(
          "a STRICT table has no NUMERIC type: declare the column Double (REAL), String (TEXT) or "
          "Raw({{\"sqlite\", \"ANY\"}})");
    case K::raw: {
      std::string r = render_type(type);
      std::string c = canonical_type(r);
      if (c != "int" && c != "integer" && c != "real" && c != "text" && c != "blob" && c != "any") {
        throw schema_error(fmt::format(
            "a STRICT table allows only INT, INTEGER, REAL, TEXT, BLOB and ANY, not \"{}\"", r));
      }
      return r;
    }
    default:
      return "TEXT";  // strings, dates and times (SQLite's date functions read ISO text), JSON,
                      // UUID, enums
  }
}

bool has_rowid_alias(const Table& t) {
  if (t.without_rowid || !t.primary_key || t.primary_key->columns.size() != 1) return false;
  const Column* c = t.find_column(t.primary_key->columns[0]);
  return c && c->type == "integer";
}

std::string render_column(const Column& c, bool inline_primary_key,
                          const std::string& primary_key_name) {
  std::string out = quote_ident(c.name);
  if (!c.type.empty()) out += " " + render_type_text(c.type);
  if (inline_primary_key) {
    out += " " + constraint_prefix(primary_key_name) + "PRIMARY KEY";
    if (c.autoincrement) out += " AUTOINCREMENT";
  }
  if (!c.nullable) out += " NOT NULL";
  if (c.default_value) out += " DEFAULT " + render_default(*c.default_value);
  if (!c.collation.empty()) out += " COLLATE " + identifier_text(c.collation);
  if (c.generated) {
    out += " GENERATED ALWAYS AS (" + *c.generated + ")" +
           (c.generated_stored ? " STORED" : " VIRTUAL");
  }
  return out;
}

std::string render_create_table(const Table& t) {
  bool inline_pk = has_rowid_alias(t);
  std::vector<std::string> parts;
  for (const Column& c : t.columns) {
    bool is_pk = inline_pk && c.name == t.primary_key->columns[0];
    parts.push_back(render_column(c, is_pk, is_pk ? t.primary_key->name : ""));
  }
  if (t.primary_key && !inline_pk) {
    parts.push_back(constraint_prefix(t.primary_key->name) + "PRIMARY KEY (" +
                    quote_ident_list(t.primary_key->columns) + ")");
  }
  for (const auto& u : t.uniques) {
    parts.push_back(constraint_prefix(u.name) + "UNIQUE (" + quote_ident_list(u.columns) + ")");
  }
  for (const auto& ck : t.checks) {
    parts.push_back(constraint_prefix(ck.name) + "CHECK (" + ck.expression + ")");
  }
  for (const auto& fk : t.foreign_keys) parts.push_back(render_foreign_key(fk));
  std::string out = "CREATE TABLE " + quote_ident(t.name) + " (\n  " + join(parts, ",\n  ") + "\n)";
  if (t.without_rowid) out += " WITHOUT ROWID";
  if (t.strict) out += t.without_rowid ? ", STRICT" : " STRICT";
  return out;
}

std::string render_create_index(const Table& t, const Index& ix) {
  std::vector<std::string> entries;
  for (const auto& e : ix.columns) {
    entries.push_back(t.find_column(e) ? quote_ident(e) : e);
  }
  std::string out = std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " +
                    quote_ident(ix.name) + " ON " + quote_ident(t.name) + " (" +
                    join(entries, ", ") + ")";
  if (!ix.where.empty()) out += " WHERE " + ix.where;
  return out;
}

std::string render_create_view(const View& v) {
  return "CREATE VIEW " + quote_ident(v.name) + " AS " + v.definition;
}

std::vector<std::string> render_create_all(const Schema& s) {
  // Parents before children; a cycle is cut where it is met (SQLite checks foreign keys
  // when rows change, not when tables are created).
  std::vector<const Table*> order;
  std::set<std::string> done;
  std::vector<const Table*> pending;
  for (const auto& t : s.tables) pending.push_back(&t);
  auto ready = [&](const Table* t) {
    for (const auto& fk : t->foreign_keys) {
      if (same_name(fk.referred_table, t->name)) continue;
      bool known = s.find_table(fk.referred_table) != nullptr;
      if (known && !done.count(lower(fk.referred_table))) return false;
    }
    return true;
  };
  while (!pending.empty()) {
    auto it = std::find_if(pending.begin(), pending.end(), ready);
    if (it == pending.end()) it = pending.begin();
    order.push_back(*it);
    done.insert(lower((*it)->name));
    pending.erase(it);
  }
  std::vector<std::string> out;
  for (const Table* t : order) out.push_back(render_create_table(*t));
  for (const Table* t : order) {
    for (const auto& ix : t->indexes) out.push_back(render_create_index(*t, ix));
  }
  for (const auto& v : s.views) out.push_back(render_create_view(v));
  for (const Table* t : order) {
    for (const auto& tr : t->triggers) out.push_back(tr.definition);
  }
  return out;
}

namespace {

const ColumnDef* find_column_ci(const TableDef& td, const std::string& name) {
  for (const auto& c : td.columns) {
    if (same_name(c.name, name)) return &c;
  }
  return nullptr;
}

const TableDef* find_table_ci(const Metadata& md, const std::string& name) {
  for (const auto& t : md.tables()) {
    if (t.schema.empty() && same_name(t.name, name)) return &t;
  }
  return nullptr;
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same_name(a[i], b[i])) return false;
  }
  return true;
}

// One index entry of the model as reflection spells it: a column's own name, or the
// canonical expression; COLLATE (when not the column's own) and DESC appended.
std::string index_entry(const Table& t, const std::string& entry, const NameScope& scope) {
  // A column's name as it is ("my total", "a-b") before anything is read as SQL.
  for (const auto& c : t.columns) {
    if (same_name(c.name, entry)) return c.name;
  }
  Tokens tk = tokenize(entry);
  while (!tk.empty() && tk.back().is_op(";")) tk.pop_back();
  if (tk.empty()) throw sql_syntax_error(0, "empty index entry");
  ParsedIndexTerm term = parse_index_term(tk, Span{0, tk.size()});
  Span e = term.expression;
  while (e.size() >= 2 && tk[e.begin].is_op("(") && matching_paren(tk, e.begin) == e.end - 1) {
    ++e.begin;
    --e.end;
  }
  const Column* col = nullptr;
  if (e.size() == 1 && tk[e.begin].is_name() && tk[e.begin].kind != TokenKind::string) {
    for (const auto& c : t.columns) {
      if (same_name(c.name, tk[e.begin].name())) col = &c;
    }
  }
  std::string collation = canonical_collation(term.collation);
  std::string base;
  if (col) {
    // Only an explicit COLLATE other than the column's own says anything (BINARY included,
    // over a NOCASE column).
    if (term.collation.empty() || collation == col->collation)
      collation.clear();
    else if (collation.empty())
      collation = "BINARY";
    base = col->name;
  } else {
    base = canonical_expression(tk, e, scope);
  }
  std::string suffix;
  if (!collation.empty()) suffix += " COLLATE " + identifier_text(collation);
  if (term.desc) suffix += " DESC";
  if (suffix.empty()) return base;
  return (col ? identifier_text(base) : base) + suffix;
}

Column column_from_def(const TableDef& td, const ColumnDef& cd, const std::vector<std::string>& pk,
                       CanonicalCache& canonical, const std::string& where) {
  const std::string cwhere = fmt::format("{} column '{}'", where, cd.name);
  Column c;
  c.name = cd.name;
  Type::Kind k = cd.type.kind;
  bool integral =
      k == Type::Kind::integer || k == Type::Kind::big_integer || k == Type::Kind::small_integer;
  if (cd.autoincrement) {
    if (pk.size() != 1 || !same_name(pk[0], cd.name) || td.without_rowid || !integral) {
      throw schema_error(fmt::format(
          "{}: SQLite allows AUTOINCREMENT only on the single-column integer primary key of a "
          "rowid table",
          cwhere));
    }
    // SQLite integers are 64-bit: an autoincrement BigInteger key is INTEGER PRIMARY KEY.
    c.type = "integer";
    c.autoincrement = true;
  } else {
    try {
      c.type = canonical.type(td.strict ? render_strict_type(cd.type) : render_type(cd.type));
    } catch (const schema_error& e) {
      throw schema_error(fmt::format("{}: {}", cwhere, e.what()));
    }
  }
  bool in_pk = std::any_of(pk.begin(), pk.end(),
                           [&](const std::string& p) { return same_name(p, cd.name); });
  c.nullable = cd.nullable && !in_pk;
  if (cd.server_default) {
    try {
      c.default_value = canonical.default_value(*cd.server_default);
    } catch (const sql_syntax_error& e) {
      throw schema_error(
          fmt::format("{}: server_default \"{}\": {}", cwhere, *cd.server_default, e.describe()));
    }
  }
  return c;
}

// An Enum column is a CHECK of its values on SQLite.
void add_enum_checks(const TableDef& td, const NameScope& scope, Table& t) {
  for (const ColumnDef& cd : td.columns) {
    if (cd.type.kind != Type::Kind::enumeration) continue;
    std::vector<std::string> values;
    for (const auto& v : cd.type.enum_values) values.push_back(quote_literal(v));
    t.checks.push_back(CheckConstraint{
        "", canonical_expression(identifier_text(cd.name) + " IN (" + join(values, ", ") + ")",
                                 scope)});
  }
}

// SQLite creates no second index for a UNIQUE that repeats the primary key's index or
// another UNIQUE: such a constraint is not in the database, so it is not expected either.
void add_uniques(const TableDef& td, Table& t) {
  bool pk_has_index = t.primary_key && !has_rowid_alias(t);
  for (const UniqueDef& ud : td.uniques) {
    std::vector<std::string> cols;
    for (const auto& c : ud.columns) cols.push_back(find_column_ci(td, c)->name);
    if (pk_has_index && same_names(cols, t.primary_key->columns)) continue;
    bool repeated = std::any_of(t.uniques.begin(), t.uniques.end(), [&](const UniqueConstraint& u) {
      return same_names(u.columns, cols);
    });
    if (repeated) continue;
    t.uniques.push_back(UniqueConstraint{ud.name, cols});
  }
}

// Column and table names as the declarations spell them; no referred columns means the
// parent's primary key.
ForeignKey foreign_key_from_def(const Metadata& md, const TableDef& td, const ForeignKeyDef& fd,
                                const std::string& where) {
  if (!fd.referred_schema.empty()) {
    throw schema_error(fmt::format("{}: foreign key to '{}.{}': SQLite has no schemas", where,
                                   fd.referred_schema, fd.referred_table));
  }
  ForeignKey fk;
  fk.name = fd.name;
  for (const auto& c : fd.columns) fk.columns.push_back(find_column_ci(td, c)->name);
  const TableDef* parent = find_table_ci(md, fd.referred_table);
  fk.referred_table = parent ? parent->name : fd.referred_table;
  std::vector<std::string> refs = fd.referred_columns;
  if (refs.empty() && parent && parent->primary_key) refs = parent->primary_key->columns;
  for (const auto& r : refs) {
    const ColumnDef* rc = parent ? find_column_ci(*parent, r) : nullptr;
    fk.referred_columns.push_back(rc ? rc->name : r);
  }
  fk.on_delete = to_string(fd.on_delete);
  fk.on_update = to_string(fd.on_update);
  fk.deferrable = fd.deferrable || fd.initially_deferred;
  fk.initially_deferred = fd.initially_deferred;
  return fk;
}

Index index_from_def(const Table& t, const IndexDef& id, const NameScope& scope,
                     const std::string& where) {
  Index ix;
  ix.name = id.name;
  ix.unique = id.unique;
  try {
    for (const auto& e : id.columns) ix.columns.push_back(index_entry(t, e, scope));
    if (!id.where.empty()) ix.where = canonical_expression(id.where, scope);
  } catch (const sql_syntax_error& e) {
    throw schema_error(fmt::format("{} index '{}': {}", where, id.name, e.describe()));
  }
  // method: PostgreSQL's access method; SQLite has one kind of index.
  return ix;
}

void add_primary_key(const TableDef& td, CanonicalCache& canonical, Table& t) {
  if (td.primary_key) {
    PrimaryKey key;
    key.name = td.primary_key->name;
    for (const auto& c : td.primary_key->columns)
      key.columns.push_back(find_column_ci(td, c)->name);
    t.primary_key = std::move(key);
  }
  const bool alias = has_rowid_alias(t);
  for (Column& c : t.columns) {
    c.type_key = canonical.key(c.type, t.strict, alias && c.name == t.primary_key->columns[0]);
  }
}

Table table_from_metadata(const Metadata& md, const TableDef& td, CanonicalCache& canonical) {
  const std::string where = fmt::format("table '{}'", qualified(td.schema, td.name));
  if (!td.schema.empty()) {
    throw schema_error(
        fmt::format("{}: SQLite has no schemas; declare the table without one", where));
  }
  Table t;
  t.name = td.name;
  t.without_rowid = td.without_rowid;
  t.strict = td.strict;
  std::vector<std::string> pk =
      td.primary_key ? td.primary_key->columns : std::vector<std::string>{};
  if (td.without_rowid && pk.empty()) {
    throw schema_error(fmt::format("{}: a WITHOUT ROWID table needs a PRIMARY KEY", where));
  }
  for (const ColumnDef& cd : td.columns)
    t.columns.push_back(column_from_def(td, cd, pk, canonical, where));
  std::vector<std::string> column_names;
  for (const auto& c : t.columns) column_names.push_back(c.name);
  const std::set<std::string> names = table_scope(column_names);
  const NameScope scope{&names, true};
  add_enum_checks(td, scope, t);
  add_primary_key(td, canonical, t);
  add_uniques(td, t);
  for (const ForeignKeyDef& fd : td.foreign_keys)
    t.foreign_keys.push_back(foreign_key_from_def(md, td, fd, where));
  for (const CheckDef& cd : td.checks) {
    try {
      t.checks.push_back(CheckConstraint{cd.name, canonical_expression(cd.expression, scope)});
    } catch (const sql_syntax_error& e) {
      throw schema_error(fmt::format("{} check \"{}\": {}", where, cd.expression, e.describe()));
    }
  }
  for (const IndexDef& id : td.indexes) t.indexes.push_back(index_from_def(t, id, scope, where));
  return t;
}

View view_from_def(const ViewDef& vd) {
  if (!vd.schema.empty()) {
    throw schema_error(fmt::format("view '{}.{}': SQLite has no schemas", vd.schema, vd.name));
  }
  View v;
  v.name = vd.name;
  // A materialized view is a plain view on SQLite: the same rows, computed on read.
  try {
    v.definition = canonical_sql(vd.definition);
  } catch (const sql_syntax_error& e) {
    throw schema_error(fmt::format("view '{}': {}", vd.name, e.describe()));
  }
  return v;
}

}  // namespace

Schema schema_from_metadata(const Metadata& md) {
  CanonicalCache canonical;
  md.validate();
  Schema s;
  s.dialect = Dialect::sqlite;
  for (const TableDef& td : md.tables()) s.tables.push_back(table_from_metadata(md, td, canonical));
  for (const ViewDef& vd : md.views()) s.views.push_back(view_from_def(vd));
  return s;
}

}  // namespace sqlite

namespace {

// CREATE VIEW with the SELECT as the model wrote it: SQLite names a view's columns after
// the text of their expressions (`SELECT a+1` has a column "a+1"), so a rewritten text would
// make another view.
std::string create_view_sql(const ViewDef& v) {
  sqlite::Tokens t;
  try {
    t = sqlite::tokenize(v.definition);
  } catch (const sqlite::sql_syntax_error& e) {
    throw schema_error(fmt::format("view '{}': {}", v.name, e.describe()));
  }
  std::size_t end = t.size();
  while (end > 0 && t[end - 1].is_op(";")) --end;
  for (std::size_t i = 0; i < end; ++i) {
    if (t[i].is_op(";")) {
      throw schema_error(
          fmt::format("view '{}': its definition holds more than one statement", v.name));
    }
  }
  std::string select =
      end == 0 ? std::string() : v.definition.substr(0, t[end - 1].offset + t[end - 1].text.size());
  return "CREATE VIEW " + quote_ident(v.name) + " AS " + select;
}

// The views of `md` as SQLite reads them (their canonical text and their column names): the
// models' tables and views created in an in-memory database and reflected there, so that
// SQLite itself names the columns.
std::vector<View> views_from_sqlite(const Metadata& md, Schema tables) {
  tables.views.clear();
  auto db = connect("sqlite:///:memory:");
  for (const auto& sql : sqlite::render_create_all(tables)) {
    try {
      db->execute(sql);
    } catch (const database_error& e) {
      throw schema_error(fmt::format("the models cannot be created on SQLite: {} ({})",
                                     e.db_message(), sql.substr(0, sql.find('\n'))));
    }
  }
  for (const ViewDef& v : md.views()) {
    try {
      db->execute(create_view_sql(v));
      // SQLite creates a view it cannot read (a missing column); reading its columns tells.
      db->query("SELECT name FROM pragma_table_info($1)", {v.name});
    } catch (const database_error& e) {
      throw schema_error(fmt::format("view '{}': {}", v.name, e.db_message()));
    }
  }
  ReflectOptions ro;
  ro.exclude_tables.clear();
  return sqlite_reflect(*db, ro).views;
}

}  // namespace

Schema sqlite_expected_schema(const Metadata& metadata) {
  Schema s = sqlite::schema_from_metadata(metadata);
  if (!metadata.views().empty()) s.views = views_from_sqlite(metadata, s);
  sqlite::canonical_order(s);
  return s;
}

std::vector<std::string> sqlite_create_all_sql(const Metadata& metadata) {
  Schema s = sqlite::schema_from_metadata(metadata);
  s.views.clear();
  std::vector<std::string> out = sqlite::render_create_all(s);
  for (const ViewDef& v : metadata.views()) out.push_back(create_view_sql(v));
  return out;
}

}  // namespace migtest::detail
