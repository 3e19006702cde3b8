#include "verify/snapshot.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "backend/backend.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "strings.hpp"

namespace migtest::detail {

Schema SchemaReader::full(Connection& connection) {
  ReflectOptions ro;
  ro.exclude_tables = {version_table_};
  ro.schemas = schemas_;
  Schema s = reflect(connection, ro);
  ++reflections_;
  tables_reflected_ += static_cast<long>(s.tables.size());
  s.sort();
  return s;
}

const Schema& SchemaReader::read(Connection& connection) {
  if (!incremental_) {
    last_full_ = full(connection);
    return last_full_;
  }
  if (connection.dialect() == Dialect::sqlite) return sqlite_incremental(connection);
  return postgres_incremental(connection);
}

// One PostgreSQL read: the tables now (the version table aside), each one's key, and what
// changed since the last read.
struct SchemaReader::PgRead {
  std::map<std::int64_t, const CatalogKeys::TableKey*> by_oid;
  std::map<std::int64_t, std::string> key_of;  // own key, then the referred tables' own keys
  std::vector<std::int64_t> changed;
  std::map<std::int64_t, std::string> prints;      // changed table -> its fingerprint
  std::map<std::int64_t, const Reflected*> known;  // changed tables reflected before
};

SchemaReader::PgRead SchemaReader::pg_changes(const CatalogKeys& now, bool& removed) const {
  PgRead r;
  for (const auto& t : now.tables) {
    if (t.name != version_table_) r.by_oid[t.oid] = &t;
  }
  // Each table's key: its own rows', then those of the tables it refers to.
  for (const auto& [oid, t] : r.by_oid) {
    std::string& k = r.key_of[oid];
    k = t->key;
    for (std::int64_t ref : t->referred) {
      auto it = r.by_oid.find(ref);
      k += "\x1e" + std::to_string(ref) + "=" +
           (it == r.by_oid.end() ? std::string("?") : it->second->key);
    }
  }
  // A foreign key to a table outside the schema: its text names a table whose rows are
  // not read here, so the table is read again every time.
  auto outside = [&](const CatalogKeys::TableKey& t) {
    return std::any_of(t.referred.begin(), t.referred.end(),
                       [&](std::int64_t ref) { return !r.by_oid.count(ref); });
  };
  for (const auto& [oid, t] : r.by_oid) {
    auto it = pg_tables_.find(oid);
    if (it == pg_tables_.end() || it->second.key != r.key_of[oid] || outside(*t)) {
      r.changed.push_back(oid);
    }
  }
  removed = false;
  for (const auto& [oid, t] : pg_tables_) removed = removed || !r.by_oid.count(oid);
  return r;
}

// Reflects the changed tables that no earlier reflection has the fingerprint of, and forgets
// the tables dropped since the last read.
Schema SchemaReader::pg_read_changed(Connection& c, PgRead& r) {
  Schema fresh;
  ReflectOptions ro;
  ro.exclude_tables = {version_table_};
  ro.schemas = schemas_;
  // A bound on memory, cleared before `known` points into it.
  if (pg_by_fingerprint_.size() >= 4096) pg_by_fingerprint_.clear();
  r.prints = postgres_table_fingerprints(c, r.changed);
  for (std::int64_t oid : r.changed) {
    auto p = r.prints.find(oid);
    auto hit = p == r.prints.end() ? pg_by_fingerprint_.end() : pg_by_fingerprint_.find(p->second);
    if (hit == pg_by_fingerprint_.end()) {
      ro.only_tables.push_back(r.by_oid.at(oid)->name);
    } else {
      r.known[oid] = &hit->second;
    }
  }
  if (!ro.only_tables.empty()) {
    fresh = reflect(c, ro);
    ++reflections_;
    tables_reflected_ += static_cast<long>(fresh.tables.size());
  }
  for (auto it = pg_tables_.begin(); it != pg_tables_.end();) {
    it = r.by_oid.count(it->first) ? std::next(it) : pg_tables_.erase(it);
  }
  return fresh;
}

// Remembers the tables read now under their OIDs, with the keys they had.
void SchemaReader::pg_remember(PgRead& r, Schema& fresh) {
  std::map<std::pair<std::string, std::string>, Table*> by_name;
  for (Table& t : fresh.tables) by_name[{t.schema, t.name}] = &t;
  for (std::int64_t oid : r.changed) {
    const auto* t = r.by_oid.at(oid);
    auto it = by_name.find({t->schema, t->name});
    PgTable& entry = pg_tables_[oid];
    entry.key = r.key_of[oid];
    if (auto k = r.known.find(oid); k != r.known.end()) {
      entry.reflected = k->second->reflected;
      entry.table = k->second->table;
      continue;
    }
    entry.reflected = it != by_name.end();  // false: an extension's table, never reflected
    entry.table = entry.reflected ? std::move(*it->second) : Table{};
    if (auto p = r.prints.find(oid); p != r.prints.end())
      pg_by_fingerprint_[p->second] = Reflected{entry.table, entry.reflected};
  }
}

void SchemaReader::probe(Connection& c) {
  if (!incremental_ || c.dialect() != Dialect::postgresql) return;
  std::optional<std::string> token = pg_writes_.token(c);
  probed_clean_ = token && token == pg_token_;
  // Compared at the next probe. A SET LOCAL shows here and is gone after COMMIT: the next
  // probe differs, and reads.
  pg_token_ = std::move(token);
}

void SchemaReader::step_ends(bool ok) {
  if (!ok) pg_token_.reset();  // rolled back: what it showed is not where the session is
  if (pg_since_ != Since::other)
    pg_since_ = ok && probed_clean_ ? Since::clean_steps : Since::other;
}

const Schema& SchemaReader::postgres_incremental(Connection& c) {
  if (pg_valid_ && pg_since_ == Since::clean_steps) {
    ++reads_skipped_;
    return pg_last_;
  }
  // Until this read succeeds, nothing vouches for pg_last_: a read that throws leaves the
  // next one to read too.
  pg_since_ = Since::other;
  const CatalogKeys now = postgres_catalog_keys(c, schemas_);
  bool removed = false;
  PgRead r = pg_changes(now, removed);
  const bool same_others = pg_valid_ && now.others == pg_others_;
  if (same_others && r.changed.empty() && !removed) {
    pg_since_ = Since::nothing;
    return pg_last_;
  }

  // Views and sequences name tables: with any of them, a table change re-reads everything.
  const bool whole = !same_others || !pg_last_.sequences.empty() || !pg_last_.views.empty();
  Schema fresh;
  if (whole) {
    fresh = full(c);
    pg_tables_.clear();
    r.changed.clear();
    for (const auto& [oid, t] : r.by_oid) r.changed.push_back(oid);
  } else {
    fresh = pg_read_changed(c, r);
  }
  pg_remember(r, fresh);
  // Built in place (the caller gets a reference): a copy of every table per read was a
  // good part of the reads' own time.
  pg_valid_ = false;
  if (whole) pg_last_ = std::move(fresh);
  pg_last_.tables.clear();
  for (const auto& [oid, entry] : pg_tables_) {
    if (entry.reflected) pg_last_.tables.push_back(entry.table);
  }
  pg_last_.sort();
  pg_others_ = now.others;
  pg_valid_ = true;
  pg_since_ = Since::nothing;
  return pg_last_;
}

// Catalog rows grouped by the table they belong to (a view is its own group).
struct SchemaReader::SqliteCatalog {
  std::vector<SqliteMasterRow> rows;         // sqlite_master, by rowid
  std::map<std::string, std::string> keys;   // lower-case table/view -> its rows
  std::map<std::string, std::string> names;  // lower-case table -> name as stored
  std::string view_rows;
  std::string whole;  // every row: the state of the whole catalog

  SqliteCatalog(Connection& c, const std::string& version) : rows(sqlite_master_rows(c)) {
    // In (table, type, name) order, which a catalog re-created in another order keeps:
    // sorted here, as SQLite would sort whole CREATE texts for an ORDER BY.
    std::vector<const SqliteMasterRow*> sorted;
    for (const auto& r : rows) sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](const SqliteMasterRow* a, const SqliteMasterRow* b) {
      return std::tie(a->table, a->type, a->name) < std::tie(b->table, b->type, b->name);
    });
    for (const SqliteMasterRow* r : sorted) {
      std::string key = lower(r->table);  // a table's own row names itself (tbl_name)
      if (key.rfind("sqlite_", 0) == 0 || key == version) continue;
      std::string row = r->type + '\x1f' + r->name + '\x1f' + r->sql + '\x1e';
      if (r->type == "view") {
        view_rows += row;
        continue;
      }
      keys[key] += row;
      if (r->type == "table") names[key] = r->name;
    }
    whole = view_rows + '\x1d';
    for (const auto& [k, v] : keys) whole += v;
  }

  std::string key_of(const std::string& table) const {
    auto it = keys.find(lower(table));
    return it == keys.end() ? std::string("\x1f(absent)") : it->second;
  }
};

// The table reflected before with the same own rows and the same rows of the tables it refers
// to, if any.
const SchemaReader::Entry* SchemaReader::sqlite_cached(const SqliteCatalog& cat,
                                                       const std::string& key) const {
  auto it = tables_.find(cat.keys.at(key));
  if (it == tables_.end()) return nullptr;
  for (const Entry& e : it->second) {
    bool same = std::all_of(e.referred.begin(), e.referred.end(),
                            [&](const auto& ref) { return cat.key_of(ref.first) == ref.second; });
    if (same) return &e;
  }
  return nullptr;
}

// The changed tables, reflected on their own (ReflectOptions::only_tables: SQLite's PRAGMAs
// read them and the tables their foreign keys name, nothing else). They go to `out` and to
// the cache.
void SchemaReader::sqlite_reflect_changed(Connection& c, const SqliteCatalog& cat,
                                          const std::vector<std::string>& cached_names,
                                          Schema& out) {
  std::set<std::string> wanted;  // lower-case tables to reflect
  ReflectOptions ro;             // only those: the PRAGMAs read them and their parents alone
  ro.exclude_tables = {version_table_};
  for (const auto& [k, name] : cat.names) {
    bool cached = std::find(cached_names.begin(), cached_names.end(), name) != cached_names.end();
    if (cached) continue;
    wanted.insert(k);
    ro.only_tables.push_back(name);
  }
  Schema fresh = sqlite_reflect(c, ro, cat.rows);
  ++reflections_;
  tables_reflected_ += static_cast<long>(fresh.tables.size());
  for (Table& t : fresh.tables) {
    auto own = cat.keys.find(lower(t.name));
    if (own == cat.keys.end() || !wanted.count(own->first)) continue;
    Entry e;
    for (const auto& fk : t.foreign_keys)
      e.referred[lower(fk.referred_table)] = cat.key_of(fk.referred_table);
    e.table = t;
    auto& versions = tables_[own->second];
    versions.insert(versions.begin(), std::move(e));
    out.tables.push_back(std::move(t));
  }
  out.sequences = std::move(fresh.sequences);
  out.enums = std::move(fresh.enums);
  out.functions = std::move(fresh.functions);
}

const Schema& SchemaReader::sqlite_incremental(Connection& c) {
  // SQLite adds one to the schema version with every change to sqlite_master (a rollback
  // restores it): the same version as at the last read is the same catalog, without
  // reading it. A revision that writes no schema (its data alone) costs one PRAGMA.
  const std::int64_t version = c.scalar("PRAGMA schema_version").as_int();
  if (!recent_.empty() && version == sqlite_version_) {
    ++reads_skipped_;
    return recent_.front().second;
  }
  // Forgotten until this read succeeds: a read that throws must not leave the version
  // vouching for the schema of an earlier one.
  sqlite_version_ = -1;
  SqliteCatalog cat(c, lower(version_table_));
  for (auto it = recent_.begin(); it != recent_.end(); ++it) {
    if (it->first != cat.whole) continue;
    // First: the schema of the last read, which an unchanged schema version returns.
    if (it != recent_.begin()) std::rotate(recent_.begin(), it, std::next(it));
    sqlite_version_ = version;
    return recent_.front().second;
  }
  Schema s;
  s.dialect = Dialect::sqlite;
  std::vector<std::string> cached_names;
  for (const auto& [k, name] : cat.names) {
    if (const Entry* hit = sqlite_cached(cat, k)) {
      s.tables.push_back(hit->table);
      cached_names.push_back(name);
    }
  }
  if (cached_names.size() < cat.names.size()) sqlite_reflect_changed(c, cat, cached_names, s);
  if (!cat.view_rows.empty()) {
    // A view's columns come from the tables it reads, so any change may change them: the
    // views are read from the database itself, once per state of the whole catalog.
    auto cached_views = views_.find(cat.whole);
    if (cached_views == views_.end()) {
      ReflectOptions ro;
      ro.exclude_tables = {version_table_};
      cached_views = views_.emplace(cat.whole, sqlite_reflect_views(c, ro, cat.rows)).first;
    }
    s.views = cached_views->second;
  }
  s.sort();
  // A round trip visits two states; three remembered states cover it with room to spare.
  recent_.emplace_front(std::move(cat.whole), std::move(s));
  if (recent_.size() > 3) recent_.pop_back();
  sqlite_version_ = version;
  return recent_.front().second;
}

}  // namespace migtest::detail
