// SQLite reflection: the catalog (sqlite_master and the table-valued PRAGMA functions) says
// which columns, keys and indexes exist; the stored CREATE texts, read with the tokenizer,
// say what the catalog does not (constraint names, CHECKs, generated columns, collations,
// deferrability, partial-index predicates, index expressions).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "backend/sqlite/dialect.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/tokenizer.hpp"
#include "migtest/error.hpp"

namespace migtest::detail {

namespace {

using namespace sqlite;

struct CatalogObject {
  std::string type, name, table, sql;
};

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

[[noreturn]] void unreadable(const char* kind, const std::string& name, const std::exception& e) {
  throw schema_error(fmt::format("cannot read the CREATE text of SQLite {} '{}': {}", kind, name, e.what()));
}

// Virtual tables and their shadow tables (FTS5's x_data, ...) have no CREATE TABLE of
// their own to compare; PRAGMA table_list names them (SQLite 3.37+).
std::set<std::string> virtual_and_shadow_tables(Connection& c) {
  std::set<std::string> out;
  try {
    for (const Row& r : c.query("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").rows) {
      std::string type = r[1].as_text();
      if (type == "virtual" || type == "shadow") out.insert(lower(r[0].as_text()));
    }
  } catch (const database_error&) {
    // Older SQLite: virtual tables are still recognised by their CREATE VIRTUAL TABLE text.
  }
  return out;
}

std::vector<std::string> index_key_columns(Connection& c, const std::string& index) {
  std::vector<std::string> out;
  for (const Row& r :
       c.query("SELECT name FROM pragma_index_info($1) ORDER BY seqno", {index}).rows) {
    out.push_back(r[0].is_null() ? "rowid" : r[0].as_text());
  }
  return out;
}

std::vector<std::string> primary_key_columns(Connection& c, const std::string& table) {
  std::vector<std::string> out;
  for (const Row& r :
       c.query("SELECT name FROM pragma_table_xinfo($1) WHERE pk > 0 ORDER BY pk", {table}).rows) {
    out.push_back(r[0].as_text());
  }
  return out;
}

const ParsedColumn* parsed_column(const ParsedTable& p, const std::string& name) {
  for (const auto& c : p.columns) {
    if (same_name(c.name, name)) return &c;
  }
  return nullptr;
}

// Names as the referred table spells them, so `REFERENCES User(ID)` equals the model's
// `user.id`; unknown names stay as written.
std::string resolve_table(const std::vector<CatalogObject>& objects, const std::string& name) {
  for (const auto& o : objects) {
    if (o.type == "table" && same_name(o.name, name)) return o.name;
  }
  return name;
}

std::vector<Index> reflect_indexes(Connection& c, const Table& t,
                                   const std::vector<CatalogObject>& objects,
                                   const Result& index_list) {
  std::vector<Index> out;
  for (const Row& row : index_list.rows) {
    if (row["origin"].as_text() != "c") continue;
    std::string name = row["name"].as_text();
    auto it = std::find_if(objects.begin(), objects.end(),
                           [&](const CatalogObject& o) { return o.type == "index" && o.name == name; });
    if (it == objects.end() || it->sql.empty()) continue;
    ParsedIndex pi;
    try {
      pi = parse_create_index(it->sql);
    } catch (const parse_error& e) {
      unreadable("index", name, e);
    }
    Index ix;
    ix.name = name;
    ix.unique = row["unique"].as_int() != 0;
    if (row["partial"].as_int() != 0 && !pi.where.empty()) {
      ix.where = canonical_expression(pi.tokens, pi.where);
    }
    Result xinfo = c.query(
        "SELECT seqno, cid, name, \"desc\", coll FROM pragma_index_xinfo($1) WHERE key = 1 "
        "ORDER BY seqno",
        {name});
    for (const Row& k : xinfo.rows) {
      auto seq = static_cast<std::size_t>(k[0].as_int());
      std::int64_t cid = k[1].as_int();
      const ParsedIndexTerm* term = seq < pi.terms.size() ? &pi.terms[seq] : nullptr;
      std::string base;
      std::string collation;
      bool plain = cid >= 0;
      if (cid >= 0) {
        base = k[2].as_text();
        // The index's collation only says something when it differs from the column's own.
        const Column* col = t.find_column(base);
        std::string own = col ? col->collation : std::string();
        std::string coll = canonical_collation(k[4].is_null() ? "" : k[4].as_text());
        if (coll != own) collation = coll.empty() ? "BINARY" : coll;
      } else if (cid == -1) {
        base = "rowid";
      } else {
        if (!term) throw schema_error(fmt::format("SQLite index '{}': expression {} not in its CREATE INDEX", name, seq));
        base = canonical_expression(pi.tokens, term->expression);
        collation = canonical_collation(term->collation);
      }
      std::string suffix;
      if (!collation.empty()) suffix += " COLLATE " + identifier_text(collation);
      if (k[3].as_int() != 0) suffix += " DESC";
      if (suffix.empty()) {
        ix.columns.push_back(base);
      } else {
        ix.columns.push_back((plain ? identifier_text(base) : base) + suffix);
      }
    }
    out.push_back(std::move(ix));
  }
  return out;
}

Table reflect_table(Connection& c, const CatalogObject& obj, const std::vector<CatalogObject>& objects) {
  ParsedTable p;
  try {
    p = parse_create_table(obj.sql);
  } catch (const parse_error& e) {
    unreadable("table", obj.name, e);
  }
  Table t;
  t.name = obj.name;
  t.without_rowid = p.without_rowid;

  // Columns, in table order. hidden: 0 normal, 1 hidden (virtual tables), 2 virtual
  // generated, 3 stored generated.
  std::vector<std::pair<long long, std::string>> pk;
  std::map<std::string, std::string> declared_type;  // as declared, for the rowid-alias rule
  for (const Row& r : c.query("SELECT * FROM pragma_table_xinfo($1) ORDER BY cid", {obj.name}).rows) {
    std::int64_t hidden = r["hidden"].as_int();
    if (hidden == 1) continue;
    Column col;
    col.name = r["name"].as_text();
    std::string type = r["type"].is_null() ? "" : r["type"].as_text();
    declared_type[col.name] = type;
    col.type = canonical_type(type);
    col.nullable = r["notnull"].as_int() == 0;
    if (!r["dflt_value"].is_null()) {
      try {
        col.default_value = canonical_default(r["dflt_value"].as_text());
      } catch (const parse_error& e) {
        unreadable("table", obj.name, e);
      }
    }
    if (const ParsedColumn* pc = parsed_column(p, col.name)) {
      col.collation = canonical_collation(pc->collation);
      if (pc->generated) col.generated = canonical_expression(p.tokens, *pc->generated);
    }
    col.generated_stored = hidden == 3;
    if (hidden == 2 || hidden == 3) {
      if (!col.generated) {
        throw schema_error(fmt::format("SQLite table '{}': generated column '{}' has no AS (...) in its CREATE TABLE",
                                       obj.name, col.name));
      }
    }
    if (r["pk"].as_int() > 0) pk.emplace_back(r["pk"].as_int(), col.name);
    t.columns.push_back(std::move(col));
  }

  Result index_list = c.query("SELECT * FROM pragma_index_list($1)", {obj.name});
  bool pk_index = std::any_of(index_list.rows.begin(), index_list.rows.end(),
                              [](const Row& r) { return r["origin"].as_text() == "pk"; });

  if (!pk.empty()) {
    std::sort(pk.begin(), pk.end());
    PrimaryKey key;
    if (p.primary_key) key.name = p.primary_key->name;
    for (auto& [pos, name] : pk) key.columns.push_back(name);
    // A rowid alias (INTEGER PRIMARY KEY of a rowid table, whose key needs no index) can
    // never hold NULL although PRAGMA says notnull = 0: the false positive Alembic reports.
    if (key.columns.size() == 1 && !t.without_rowid && !pk_index &&
        lower(declared_type[key.columns[0]]) == "integer") {
      Column* col = t.find_column(key.columns[0]);
      col->nullable = false;
      col->autoincrement = p.primary_key && p.primary_key->autoincrement;
    }
    t.primary_key = std::move(key);
  }

  // UNIQUE constraints are their autoindexes (origin 'u'); their names come from the text.
  std::vector<bool> used(p.uniques.size(), false);
  for (const Row& row : index_list.rows) {
    if (row["origin"].as_text() != "u") continue;
    UniqueConstraint u;
    u.columns = index_key_columns(c, row["name"].as_text());
    for (std::size_t i = 0; i < p.uniques.size(); ++i) {
      if (!used[i] && same_names(p.uniques[i].columns, u.columns)) {
        used[i] = true;
        u.name = p.uniques[i].name;
        break;
      }
    }
    t.uniques.push_back(std::move(u));
  }

  // Foreign keys: actions from PRAGMA, names and deferrability from the text.
  std::map<std::int64_t, ForeignKey> fks;
  for (const Row& r : c.query("SELECT * FROM pragma_foreign_key_list($1) ORDER BY id, seq", {obj.name}).rows) {
    ForeignKey& fk = fks[r["id"].as_int()];
    fk.referred_table = resolve_table(objects, r["table"].as_text());
    fk.columns.push_back(r["from"].as_text());
    if (!r["to"].is_null()) fk.referred_columns.push_back(r["to"].as_text());
    fk.on_delete = r["on_delete"].as_text();
    fk.on_update = r["on_update"].as_text();
  }
  std::vector<bool> fk_used(p.foreign_keys.size(), false);
  for (auto& [id, fk] : fks) {
    for (std::size_t i = 0; i < p.foreign_keys.size(); ++i) {
      const ParsedForeignKey& pf = p.foreign_keys[i];
      if (!fk_used[i] && same_names(pf.columns, fk.columns) && same_name(pf.referred_table, fk.referred_table)) {
        fk_used[i] = true;
        fk.name = pf.name;
        fk.deferrable = pf.deferrable;
        fk.initially_deferred = pf.initially_deferred;
        break;
      }
    }
    bool referred_exists = std::any_of(objects.begin(), objects.end(), [&](const CatalogObject& o) {
      return o.type == "table" && o.name == fk.referred_table;
    });
    if (referred_exists) {
      // `REFERENCES parent` means the parent's primary key; and names as the parent spells them.
      if (fk.referred_columns.empty()) {
        fk.referred_columns = primary_key_columns(c, fk.referred_table);
      } else {
        std::vector<std::string> parent_cols;
        for (const Row& r : c.query("SELECT name FROM pragma_table_xinfo($1)", {fk.referred_table}).rows) {
          parent_cols.push_back(r[0].as_text());
        }
        for (auto& rc : fk.referred_columns) {
          for (const auto& pcn : parent_cols) {
            if (same_name(pcn, rc)) rc = pcn;
          }
        }
      }
    }
    t.foreign_keys.push_back(std::move(fk));
  }

  for (const ParsedCheck& ck : p.checks) {
    t.checks.push_back(CheckConstraint{ck.name, canonical_expression(p.tokens, ck.expression)});
  }

  t.indexes = reflect_indexes(c, t, objects, index_list);

  for (const auto& o : objects) {
    if (o.type != "trigger" || !same_name(o.table, obj.name)) continue;
    Trigger tr;
    tr.name = o.name;
    tr.table = obj.name;
    try {
      tr.definition = canonical_trigger(o.sql);
    } catch (const parse_error& e) {
      unreadable("trigger", o.name, e);
    }
    t.triggers.push_back(std::move(tr));
  }
  return t;
}

}  // namespace

Schema sqlite_reflect(Connection& connection, const ReflectOptions& options) {
  Schema s;
  s.dialect = "sqlite";
  std::vector<CatalogObject> objects;
  for (const Row& r : connection.query("SELECT type, name, tbl_name, sql FROM main.sqlite_master").rows) {
    objects.push_back(CatalogObject{r[0].as_text(), r[1].as_text(), r[2].is_null() ? "" : r[2].as_text(),
                                    r[3].is_null() ? "" : r[3].as_text()});
  }
  std::set<std::string> skip = virtual_and_shadow_tables(connection);
  for (const auto& o : objects) {
    if (excluded(o.name, options)) continue;
    if (o.type == "table") {
      if (skip.count(lower(o.name))) continue;
      if (lower(std::string_view(o.sql).substr(0, 20)).rfind("create virtual", 0) == 0) continue;
      s.tables.push_back(reflect_table(connection, o, objects));
    } else if (o.type == "view") {
      View v;
      v.name = o.name;
      try {
        Tokens tk;
        Span select = parse_create_view(o.sql, tk);
        v.definition = canonical_sql(tk, select);
      } catch (const parse_error& e) {
        unreadable("view", o.name, e);
      }
      s.views.push_back(std::move(v));
    }
  }
  canonical_order(s);
  return s;
}

}  // namespace migtest::detail
