// SQLite reflection: the catalog (sqlite_master and the table-valued PRAGMA functions) says
// which columns, keys and indexes exist; the stored CREATE texts, read with the tokenizer,
// say what the catalog does not (constraint names, CHECKs, generated columns, collations,
// deferrability, partial-index predicates, index expressions).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "backend/sqlite/dialect.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/connection.hpp"
#include "migtest/error.hpp"
#include "sql_quote.hpp"
#include "strings.hpp"

namespace migtest::detail {

namespace {

using namespace sqlite;

using CatalogObject = SqliteMasterRow;

// The columns of the PRAGMAs' rows, in SQLite's order.
enum ColumnField : std::size_t {  // table_xinfo
  col_cid,
  col_name,
  col_type,
  col_notnull,
  col_default,
  col_pk,      // position in the primary key, from 1; 0 if not in it
  col_hidden,  // 0 normal, 1 hidden (virtual tables), 2 virtual generated, 3 stored generated
};
enum IndexField : std::size_t {  // index_list
  il_seq,
  il_name,
  il_unique,
  il_origin,  // 'c' CREATE INDEX, 'u' UNIQUE, 'pk' PRIMARY KEY
  il_partial,
};
enum IndexColumnField : std::size_t {  // index_xinfo
  ix_seqno,
  ix_cid,     // -1 rowid, -2 an expression
  ix_column,  // NULL for an expression
  ix_desc,
  ix_coll,
  ix_key,  // 0 for the rowid or key columns every index carries
};
enum ForeignKeyField : std::size_t {  // foreign_key_list
  fk_id,
  fk_seq,
  fk_table,
  fk_from,
  fk_to,  // NULL: the parent's primary key
  fk_on_update,
  fk_on_delete,
};

// The catalog: sqlite_master's rows, and the PRAGMAs of its tables and indexes grouped by
// object. A PRAGMA statement per object costs less than joining sqlite_master with the
// table-valued PRAGMA functions (each of which SQLite sets up as a virtual table every time
// the schema changed): about 6 us for a table's foreign keys against 50 us.
struct Catalog {
  explicit Catalog(const std::vector<CatalogObject>& rows) : objects(rows) {}
  const std::vector<CatalogObject>& objects;              // sqlite_master, by rowid
  std::map<std::string, std::vector<Row>> columns;        // table -> table_xinfo rows, by cid
  std::map<std::string, std::vector<Row>> indexes;        // table -> index_list rows, by seq
  std::map<std::string, std::vector<Row>> index_columns;  // index -> index_xinfo rows, by seqno
  std::map<std::string, std::vector<Row>> foreign_keys;   // table -> foreign_key_list rows
  std::map<std::string, std::vector<std::string>> view_columns;  // view -> its column names
  std::set<std::string> all_names;  // lower case: every table, view and column name
  std::map<std::string, const CatalogObject*> tables;                 // lower(name) -> table
  std::map<std::string, const CatalogObject*> index_objects;          // index name -> object
  std::map<std::string, std::vector<const CatalogObject*>> triggers;  // lower(table) -> triggers
  mutable CanonicalCache canonical;

  const CatalogObject* table(const std::string& name) const {
    auto it = tables.find(lower(name));
    return it == tables.end() ? nullptr : it->second;
  }
  const std::vector<Row>& rows(const std::map<std::string, std::vector<Row>>& m,
                               const std::string& key) const {
    static const std::vector<Row> none;
    auto it = m.find(key);
    return it == m.end() ? none : it->second;
  }
};

bool is_virtual(const CatalogObject& o) {
  return lower(std::string_view(o.sql).substr(0, 20)).rfind("create virtual", 0) == 0;
}

// The column names SQLite gives each view (what applications read its rows by), in one
// query; a view SQLite cannot read (its table is gone) has none, and is read alone so that
// it does not hide the others'.
void read_view_columns(Connection& c, Catalog& cat) {
  const char* all =
      "SELECT m.name, p.name FROM main.sqlite_master m JOIN pragma_table_info(m.name, 'main') p "
      "WHERE m.type = 'view' ORDER BY m.name, p.cid";
  try {
    for (const Row& r : c.query(all).rows)
      cat.view_columns[r[0].as_text()].push_back(r[1].as_text());
    return;
  } catch (const database_error&) {
    cat.view_columns.clear();
  }
  for (const auto& o : cat.objects) {
    if (o.type != "view") continue;
    try {
      for (const Row& r :
           c.query("SELECT name FROM pragma_table_info($1, 'main') ORDER BY cid", {o.name}).rows) {
        cat.view_columns[o.name].push_back(r[0].as_text());
      }
    } catch (const database_error&) {
      cat.view_columns.erase(o.name);
    }
  }
}

// What to read: everything, or the objects and columns views need (a reader that keeps
// tables it read before), or no views at all (only some tables).
enum class Read { all, views, tables };

// The names views reach and SQLite's names for their columns.
void read_view_names(Connection& c, Catalog& cat) {
  bool any = std::any_of(cat.objects.begin(), cat.objects.end(),
                         [](const CatalogObject& o) { return o.type == "view"; });
  if (!any) return;
  read_view_columns(c, cat);
  for (const auto& o : cat.objects) cat.all_names.insert(lower(o.name));
  for (const auto& [table, rows] : cat.columns) {
    for (const Row& r : rows) cat.all_names.insert(lower(r[col_name].as_text()));
  }
  for (const auto& [view, names] : cat.view_columns) {
    for (const auto& n : names) cat.all_names.insert(lower(n));
  }
}

// PRAGMA main.<pragma>('<name>'): SQLite's rows about one table or index.
std::vector<Row> pragma_rows(Connection& c, const char* pragma, const std::string& name) {
  return c.query(fmt::format("PRAGMA main.{}({})", pragma, quote_literal(name))).rows;
}

// The ordinary tables of `names` (any case) as stored, or every one without `names`. Virtual
// tables are left out: their columns cannot be read without their module, and there is
// nothing of theirs to compare.
std::vector<std::string> ordinary_tables(const Catalog& cat,
                                         const std::vector<std::string>* names) {
  std::vector<std::string> out;
  std::set<std::string> seen;  // a parent may be named twice; a linear search was quadratic
  auto add = [&](const CatalogObject& t) {
    if (!is_virtual(t) && seen.insert(t.name).second) out.push_back(t.name);
  };
  if (names) {
    for (const auto& n : *names) {
      if (const CatalogObject* t = cat.table(n)) add(*t);
    }
  } else {
    for (const auto& o : cat.objects) {
      if (o.type == "table") add(o);
    }
  }
  return out;
}

void read_indexes(Connection& c, Catalog& cat, const std::string& table) {
  std::vector<Row> list = pragma_rows(c, "index_list", table);
  if (list.empty()) return;
  for (const Row& ix : list) {
    const std::string name = ix[il_name].as_text();
    cat.index_columns[name] = pragma_rows(c, "index_xinfo", name);
  }
  cat.indexes[table] = std::move(list);
}

// `names`: when given, only these tables (any case) are read, and the columns of the tables
// their foreign keys name (a foreign key is reflected with its parent's spelling of the
// columns: spell_as_parent), which is what makes reflecting a few tables of a large schema
// cheap. `objects`: sqlite_master's rows, which the catalog refers to (they must outlive it).
Catalog read_catalog(Connection& c, Read what, const std::vector<CatalogObject>& objects,
                     const std::vector<std::string>* names = nullptr) {
  Catalog cat(objects);
  for (const auto& o : cat.objects) {
    if (o.type == "table") cat.tables[lower(o.name)] = &o;
    if (o.type == "index") cat.index_objects[o.name] = &o;
    if (o.type == "trigger") cat.triggers[lower(o.table)].push_back(&o);
  }
  const std::vector<std::string> tables = ordinary_tables(cat, names);
  std::vector<std::string> parents;
  if (what != Read::views) {
    for (const auto& t : tables) {
      std::vector<Row> fks = pragma_rows(c, "foreign_key_list", t);
      for (const Row& fk : fks) parents.push_back(fk[fk_table].as_text());
      if (!fks.empty()) cat.foreign_keys[t] = std::move(fks);
    }
  }
  for (const auto& t : tables) cat.columns[t] = pragma_rows(c, "table_xinfo", t);
  for (const auto& t : ordinary_tables(cat, &parents)) {
    if (!cat.columns.count(t)) cat.columns[t] = pragma_rows(c, "table_xinfo", t);
  }
  if (what != Read::tables) read_view_names(c, cat);
  if (what == Read::views) return cat;
  for (const auto& t : tables) read_indexes(c, cat, t);
  return cat;
}

bool excluded(const std::string& name, const ReflectOptions& options) {
  if (lower(name).rfind("sqlite_", 0) == 0) return true;  // sqlite_sequence, sqlite_stat1, ...
  return std::any_of(options.exclude_tables.begin(), options.exclude_tables.end(),
                     [&](const std::string& e) { return same_name(e, name); });
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same_name(a[i], b[i])) return false;
  }
  return true;
}

[[noreturn]] void unreadable(const char* kind, const std::string& name, const sql_syntax_error& e) {
  throw schema_error(
      fmt::format("cannot read the CREATE text of SQLite {} '{}': {}", kind, name, e.describe()));
}

// Shadow tables (FTS5's x_data, ...) belong to their virtual table; PRAGMA table_list
// names them (SQLite 3.37+). Without a virtual table there are none, and no query.
std::set<std::string> shadow_tables(Connection& c, const Catalog& cat) {
  std::set<std::string> out;
  if (std::none_of(cat.objects.begin(), cat.objects.end(), is_virtual)) return out;
  try {
    for (const Row& r :
         c.query("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")
             .rows) {
      out.insert(lower(r[0].as_text()));
    }
  } catch (const database_error&) {
    // Older SQLite: shadow tables are reported as the ordinary tables they are.
  }
  return out;
}

const ParsedColumn* parsed_column(const ParsedTable& p, const std::string& name) {
  for (const auto& c : p.columns) {
    if (same_name(c.name, name)) return &c;
  }
  return nullptr;
}

std::vector<std::string> key_columns(const Catalog& cat, const std::string& index) {
  std::vector<std::string> out;
  for (const Row& r : cat.rows(cat.index_columns, index)) {
    if (r[ix_key].as_int() == 0) continue;
    out.push_back(r[ix_column].is_null() ? "rowid" : r[ix_column].as_text());
  }
  return out;
}

std::vector<Index> reflect_indexes(const Catalog& cat, const Table& t, const NameScope& scope) {
  std::vector<Index> out;
  for (const Row& row : cat.rows(cat.indexes, t.name)) {
    if (row[il_origin].as_text() != "c") continue;
    std::string name = row[il_name].as_text();
    auto it = cat.index_objects.find(name);
    if (it == cat.index_objects.end() || it->second->sql.empty()) continue;
    ParsedIndex pi;
    try {
      pi = parse_create_index(it->second->sql);
    } catch (const sql_syntax_error& e) {
      unreadable("index", name, e);
    }
    Index ix;
    ix.name = name;
    ix.unique = row[il_unique].as_int() != 0;
    if (row[il_partial].as_int() != 0 && !pi.where.empty())
      ix.where = canonical_expression(pi.tokens, pi.where, scope);
    for (const Row& k : cat.rows(cat.index_columns, name)) {
      if (k[ix_key].as_int() == 0) continue;  // the rowid or key columns every index carries
      auto seq = static_cast<std::size_t>(k[ix_seqno].as_int());
      std::int64_t cid = k[ix_cid].as_int();
      std::string base;
      std::string collation;
      bool plain = cid >= 0;
      if (cid >= 0) {
        base = k[ix_column].as_text();
        // The index's collation only says something when it differs from the column's own.
        const Column* col = t.find_column(base);
        std::string own = col ? col->collation : std::string();
        std::string coll = canonical_collation(k[ix_coll].is_null() ? "" : k[ix_coll].as_text());
        if (coll != own) collation = coll.empty() ? "BINARY" : coll;
      } else if (cid == -1) {
        base = "rowid";
      } else {
        if (seq >= pi.terms.size()) {
          throw schema_error(fmt::format(
              "SQLite index '{}': expression {} is not in its CREATE INDEX", name, seq));
        }
        base = canonical_expression(pi.tokens, pi.terms[seq].expression, scope);
        collation = canonical_collation(pi.terms[seq].collation);
      }
      std::string suffix;
      if (!collation.empty()) suffix += " COLLATE " + identifier_text(collation);
      if (k[ix_desc].as_int() != 0) suffix += " DESC";
      ix.columns.push_back(suffix.empty() ? base : (plain ? identifier_text(base) : base) + suffix);
    }
    out.push_back(std::move(ix));
  }
  return out;
}

using KeyColumns = std::vector<std::pair<std::int64_t, std::string>>;  // (position, name)

// The columns in table order, with what the primary key needs: its columns by position, and
// each column's type as declared (for the rowid-alias rule).
struct ReflectedColumns {
  std::vector<Column> columns;
  KeyColumns pk;
  std::map<std::string, std::string> declared_type;
};

ReflectedColumns reflect_columns(const Catalog& cat, const CatalogObject& obj, const ParsedTable& p,
                                 const NameScope& scope) {
  ReflectedColumns out;
  for (const Row& r : cat.rows(cat.columns, obj.name)) {
    std::int64_t hidden = r[col_hidden].as_int();
    if (hidden == 1) continue;
    Column col;
    col.name = r[col_name].as_text();
    std::string type = r[col_type].is_null() ? "" : r[col_type].as_text();
    out.declared_type[col.name] = type;
    col.type = cat.canonical.type(type);
    col.nullable = r[col_notnull].as_int() == 0;
    if (!r[col_default].is_null()) {
      try {
        col.default_value = cat.canonical.default_value(r[col_default].as_text());
      } catch (const sql_syntax_error& e) {
        unreadable("table", obj.name, e);
      }
    }
    if (const ParsedColumn* pc = parsed_column(p, col.name)) {
      col.collation = canonical_collation(pc->collation);
      if (pc->generated) col.generated = canonical_expression(p.tokens, *pc->generated, scope);
    }
    col.generated_stored = hidden == 3;
    if ((hidden == 2 || hidden == 3) && !col.generated) {
      throw schema_error(fmt::format(
          "SQLite table '{}': generated column '{}' has no AS (...) in its CREATE TABLE", obj.name,
          col.name));
    }
    if (r[col_pk].as_int() > 0) out.pk.emplace_back(r[col_pk].as_int(), col.name);
    out.columns.push_back(std::move(col));
  }
  return out;
}

// Sets t's primary key from the columns' key positions; returns the rowid alias column, if
// any. `pk_index`: the key has an index of its own (so it is no rowid alias).
std::string reflect_primary_key(Table& t, const ParsedTable& p, ReflectedColumns& rc,
                                bool pk_index) {
  std::string rowid_alias;
  if (rc.pk.empty()) return rowid_alias;
  std::sort(rc.pk.begin(), rc.pk.end());
  PrimaryKey key;
  if (p.primary_key) key.name = p.primary_key->name;
  for (auto& [pos, name] : rc.pk) key.columns.push_back(name);
  // A rowid alias (INTEGER PRIMARY KEY of a rowid table, whose key needs no index) can
  // never hold NULL although PRAGMA says notnull = 0: the false positive Alembic reports.
  if (key.columns.size() == 1 && !t.without_rowid && !pk_index &&
      lower(rc.declared_type[key.columns[0]]) == "integer") {
    Column* col = t.find_column(key.columns[0]);
    col->nullable = false;
    col->autoincrement = p.primary_key && p.primary_key->autoincrement;
    rowid_alias = col->name;
  }
  t.primary_key = std::move(key);
  return rowid_alias;
}

// UNIQUE constraints are their autoindexes (origin 'u'); their names come from the text.
std::vector<UniqueConstraint> reflect_uniques(const Catalog& cat, const ParsedTable& p,
                                              const std::vector<Row>& index_list) {
  std::vector<UniqueConstraint> out;
  std::vector<bool> used(p.uniques.size(), false);
  for (const Row& row : index_list) {
    if (row[il_origin].as_text() != "u") continue;
    UniqueConstraint u;
    u.columns = key_columns(cat, row[il_name].as_text());
    for (std::size_t i = 0; i < p.uniques.size(); ++i) {
      if (!used[i] && same_names(p.uniques[i].columns, u.columns)) {
        used[i] = true;
        u.name = p.uniques[i].name;
        break;
      }
    }
    out.push_back(std::move(u));
  }
  return out;
}

// Names as the parent spells them, so `REFERENCES User(ID)` equals the model's user.id;
// and `REFERENCES parent` means the parent's primary key.
void spell_as_parent(const Catalog& cat, ForeignKey& fk) {
  const CatalogObject* parent = cat.table(fk.referred_table);
  if (!parent) return;
  fk.referred_table = parent->name;
  const std::vector<Row>& parent_cols = cat.rows(cat.columns, parent->name);
  if (fk.referred_columns.empty()) {
    KeyColumns ppk;
    for (const Row& r : parent_cols) {
      if (r[col_pk].as_int() > 0) ppk.emplace_back(r[col_pk].as_int(), r[col_name].as_text());
    }
    std::sort(ppk.begin(), ppk.end());
    for (auto& [pos, name] : ppk) fk.referred_columns.push_back(name);
  } else {
    for (auto& rc : fk.referred_columns) {
      for (const Row& r : parent_cols) {
        if (same_name(r[col_name].as_text(), rc)) rc = r[col_name].as_text();
      }
    }
  }
}

// Foreign keys: actions from PRAGMA, names and deferrability from the text.
std::vector<ForeignKey> reflect_foreign_keys(const Catalog& cat, const CatalogObject& obj,
                                             const ParsedTable& p) {
  std::map<std::int64_t, ForeignKey> fks;
  for (const Row& r : cat.rows(cat.foreign_keys, obj.name)) {
    ForeignKey& fk = fks[r[fk_id].as_int()];
    fk.referred_table = r[fk_table].as_text();
    fk.columns.push_back(r[fk_from].as_text());
    if (!r[fk_to].is_null()) fk.referred_columns.push_back(r[fk_to].as_text());
    fk.on_update = r[fk_on_update].as_text();
    fk.on_delete = r[fk_on_delete].as_text();
  }
  std::vector<ForeignKey> out;
  std::vector<bool> fk_used(p.foreign_keys.size(), false);
  for (auto& [id, fk] : fks) {
    for (std::size_t i = 0; i < p.foreign_keys.size(); ++i) {
      const ParsedForeignKey& pf = p.foreign_keys[i];
      if (!fk_used[i] && same_names(pf.columns, fk.columns) &&
          same_name(pf.referred_table, fk.referred_table)) {
        fk_used[i] = true;
        fk.name = pf.name;
        fk.deferrable = pf.deferrable;
        fk.initially_deferred = pf.initially_deferred;
        break;
      }
    }
    spell_as_parent(cat, fk);
    out.push_back(std::move(fk));
  }
  return out;
}

std::vector<Trigger> reflect_triggers(const Catalog& cat, const CatalogObject& obj,
                                      const std::set<std::string>& names) {
  std::vector<Trigger> out;
  auto trig = cat.triggers.find(lower(obj.name));
  if (trig == cat.triggers.end()) return out;
  for (const CatalogObject* o : trig->second) {
    Trigger tr;
    tr.name = o->name;
    tr.table = obj.name;
    try {
      // A trigger's statements reach other tables too: names it cannot be shown to
      // reach keep their double quotes and case (never a string by guess).
      tr.definition = canonical_trigger(o->sql, NameScope{&names, false});
    } catch (const sql_syntax_error& e) {
      unreadable("trigger", o->name, e);
    }
    out.push_back(std::move(tr));
  }
  return out;
}

Table reflect_table(const Catalog& cat, const CatalogObject& obj) {
  ParsedTable p;
  try {
    p = parse_create_table(obj.sql);
  } catch (const sql_syntax_error& e) {
    unreadable("table", obj.name, e);
  }
  Table t;
  t.name = obj.name;
  t.without_rowid = p.without_rowid;
  t.strict = p.strict;
  std::vector<std::string> column_names;
  for (const Row& r : cat.rows(cat.columns, obj.name))
    column_names.push_back(r[col_name].as_text());
  const std::set<std::string> names = table_scope(column_names);
  const NameScope scope{&names, true};

  ReflectedColumns columns = reflect_columns(cat, obj, p, scope);
  t.columns = std::move(columns.columns);
  const std::vector<Row>& index_list = cat.rows(cat.indexes, obj.name);
  bool pk_index = std::any_of(index_list.begin(), index_list.end(),
                              [](const Row& r) { return r[il_origin].as_text() == "pk"; });
  const std::string rowid_alias = reflect_primary_key(t, p, columns, pk_index);
  for (Column& col : t.columns)
    col.type_key = cat.canonical.key(col.type, t.strict, col.name == rowid_alias);

  t.uniques = reflect_uniques(cat, p, index_list);
  t.foreign_keys = reflect_foreign_keys(cat, obj, p);
  for (const ParsedCheck& ck : p.checks) {
    t.checks.push_back(
        CheckConstraint{ck.name, canonical_expression(p.tokens, ck.expression, scope)});
  }
  t.indexes = reflect_indexes(cat, t, scope);
  t.triggers = reflect_triggers(cat, obj, names);
  return t;
}

}  // namespace

namespace {

// A view: its canonical SELECT (which may name any table, view or column: a double-quoted
// word none of them has is a string) and SQLite's names for its columns.
View reflect_view(const Catalog& cat, const CatalogObject& o) {
  View v;
  v.name = o.name;
  try {
    Tokens tk;
    Span select = parse_create_view(o.sql, tk);
    v.definition = canonical_sql(tk, select, NameScope{&cat.all_names, true});
  } catch (const sql_syntax_error& e) {
    unreadable("view", o.name, e);
  }
  auto cols = cat.view_columns.find(o.name);
  if (cols != cat.view_columns.end()) v.columns = cols->second;
  return v;
}

}  // namespace

std::vector<SqliteMasterRow> sqlite_master_rows(Connection& connection) {
  std::vector<SqliteMasterRow> out;
  for (const Row& r :
       connection.query("SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY rowid")
           .rows) {
    out.push_back(SqliteMasterRow{r[0].as_text(), r[1].as_text(),
                                  r[2].is_null() ? "" : r[2].as_text(),
                                  r[3].is_null() ? "" : r[3].as_text()});
  }
  return out;
}

Schema sqlite_reflect(Connection& connection, const ReflectOptions& options) {
  // One transaction for the whole reading when the caller has none: SQLite then takes its
  // shared lock and checks the file once, not for each of the thousands of PRAGMAs (a
  // quarter of a reflection's time), and every PRAGMA sees the same state of the file.
  std::optional<Transaction> reading;
  if (!connection.in_transaction()) reading.emplace(connection);
  return sqlite_reflect(connection, options, sqlite_master_rows(connection));
}

Schema sqlite_reflect(Connection& connection, const ReflectOptions& options,
                      const std::vector<SqliteMasterRow>& catalog) {
  Schema s;
  s.dialect = Dialect::sqlite;
  const bool some = !options.only_tables.empty();
  Catalog cat = some ? read_catalog(connection, Read::tables, catalog, &options.only_tables)
                     : read_catalog(connection, Read::all, catalog);
  std::set<std::string> shadows = shadow_tables(connection, cat);
  auto wanted = [&](const std::string& name) {
    return std::any_of(options.only_tables.begin(), options.only_tables.end(),
                       [&](const std::string& w) { return same_name(w, name); });
  };
  for (const auto& o : cat.objects) {
    if (excluded(o.name, options)) continue;
    if (some && (o.type != "table" || !wanted(o.name))) continue;
    if (o.type == "table") {
      if (is_virtual(o) || shadows.count(lower(o.name))) continue;
      s.tables.push_back(reflect_table(cat, o));
    } else if (o.type == "view") {
      s.views.push_back(reflect_view(cat, o));
    }
  }
  canonical_order(s);
  return s;
}

std::vector<View> sqlite_reflect_views(Connection& connection, const ReflectOptions& options,
                                       const std::vector<SqliteMasterRow>& catalog) {
  Catalog cat = read_catalog(connection, Read::views, catalog);
  std::vector<View> out;
  for (const auto& o : cat.objects) {
    if (o.type == "view" && !excluded(o.name, options)) out.push_back(reflect_view(cat, o));
  }
  std::sort(out.begin(), out.end(), [](const View& a, const View& b) { return a.name < b.name; });
  return out;
}

}  // namespace migtest::detail
