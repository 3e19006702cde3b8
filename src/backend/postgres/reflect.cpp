// PostgreSQL reflection from pg_catalog.
//
// One catalog query per object kind for all reflected schemas at once (never one per table),
// with fixed TimeZone and DateStyle so that constants deparse the same in every session. The
// server's own text (format_type, pg_get_expr, pg_get_indexdef, pg_get_constraintdef,
// pg_get_viewdef, pg_get_triggerdef) is the canonical form: an expected schema is reflected
// from a database the models were created in (expected.cpp), so both sides are the server's
// text; catalog_text.hpp holds the few rules applied on top of it.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "backend/postgres/catalog_text.hpp"
#include "backend/postgres/dialect.hpp"
#include "backend/postgres/postgres_connection.hpp"
#include "migtest/error.hpp"
#include "sql_quote.hpp"

namespace migtest::detail {

namespace {

using pg::parse_text_array;

// Runs the catalog queries with fixed output settings, inside the caller's transaction (a
// savepoint) or a transaction of its own, and leaves the session as it found it. The
// session's search_path stays: the schema it creates objects in is the default schema
// (Table::schema ""), and names print qualified exactly when it would need them.
class CatalogSession {
 public:
  explicit CatalogSession(Connection& c) : c_(c), own_(!c.in_transaction()) {
    if (own_)
      c_.begin();
    else
      c_.savepoint("migtest_reflect");
    // TimeZone, DateStyle, IntervalStyle and extra_float_digits: constants in defaults and
    // CHECKs deparse the same in every session. jit off: the catalog queries are cheap but
    // their estimates are not, and JIT compilation alone took seconds on 1,000 tables.
    // Generic plans (PostgreSQL 12 on): each prepared catalog query is planned once per
    // connection; planning it again for each of a verification's reads of a table or two
    // took longer than running it (0.5 ms a query). A plan made on a small catalog is not
    // kept once it grows: after 1,000 tables were created under one, the server had planned
    // again (the lookup of defaults went from a scan of pg_attrdef to its index).
    try {
      const Result r = c_.query(
          "SELECT pg_catalog.current_schema(), "
          "pg_catalog.current_setting('server_version_num')::integer, "
          "pg_catalog.set_config('TimeZone', 'UTC', true), "
          "pg_catalog.set_config('DateStyle', 'ISO, MDY', true), "
          "pg_catalog.set_config('IntervalStyle', 'postgres', true), "
          "pg_catalog.set_config('extra_float_digits', '1', true), "
          "pg_catalog.set_config('jit', 'off', true), "
          "pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true)");
      // No schema of the search_path exists: nothing can be created unqualified; public is
      // what such a database would have had.
      default_schema_ = r.rows[0][0].is_null() ? "public" : r.rows[0][0].as_text();
      version_ = static_cast<int>(r.rows[0][1].as_int());
    } catch (...) {
      end();  // no destructor runs for a constructor that throws
      throw;
    }
  }
  ~CatalogSession() { end(); }
  CatalogSession(const CatalogSession&) = delete;
  CatalogSession& operator=(const CatalogSession&) = delete;

  const std::string& default_schema() const { return default_schema_; }
  int version() const { return version_; }

 private:
  void end() noexcept {
    try {
      if (own_) {
        c_.rollback();
      } else {
        c_.rollback_to("migtest_reflect");
        c_.release("migtest_reflect");
      }
    } catch (...) {
    }
  }

  Connection& c_;
  bool own_;
  std::string default_schema_;
  int version_ = 0;
};

std::string text_or(const Value& v, std::string fallback = {}) {
  return v.is_null() ? fallback : v.as_text();
}

std::vector<std::string> text_array(const Value& v) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  for (auto& e : parse_text_array(v.as_text())) out.push_back(e ? *e : std::string());
  return out;
}

// {"public","app"} as an array literal for $1::text[].
std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ",";
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// Objects created by CREATE EXTENSION belong to the extension, not to the application.
std::string not_extension_member(const char* catalog, const char* oid) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND e.objid = {} AND e.deptype = 'e')",
      catalog, oid);
}

// Every query also says `oid >= 16384`: objects made after initdb get OIDs from
// FirstNormalObjectId (16384) up, and the bound lets the planner use the catalogs' OID
// indexes instead of scanning their thousands of built-in rows.
const char* kNamespaces =
    "WITH ns AS (SELECT oid, nspname FROM pg_catalog.pg_namespace "
    "WHERE nspname = ANY ($1::text[])) ";

std::string action(const std::string& code) {
  if (code == "r") return "RESTRICT";
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  return "NO ACTION";
}

std::string match_type(const std::string& code) {
  if (code == "f") return "FULL";
  if (code == "p") return "PARTIAL";
  return "";
}

// Catalog queries run at every step of a verification: prepared once per connection.
Result catalog_query(Connection& connection, const std::string& sql, const Params& params) {
  if (auto* pg = dynamic_cast<PostgresConnection*>(&connection))
    return pg->query_prepared(sql, params);
  return connection.query(sql, params);
}

// The columns of the index `ix` (a pg_index row, or NULLs) past its key columns: its
// INCLUDE list; and whether it is NULLS NOT DISTINCT (PostgreSQL 15 on). No subquery for the
// common index without INCLUDE columns.
std::string include_columns(const std::string& ix) {
  return fmt::format(
      "CASE WHEN {0}.indnatts > {0}.indnkeyatts THEN ARRAY(SELECT (SELECT a.attname::text "
      "FROM pg_catalog.pg_attribute a WHERE a.attrelid = {0}.indrelid "
      "AND a.attnum = {0}.indkey[k - 1]) "
      "FROM pg_catalog.generate_series({0}.indnkeyatts + 1, {0}.indnatts) k ORDER BY k) END",
      ix);
}
std::string nulls_not_distinct(int version, const std::string& ix) {
  return version < 150000 ? "false" : ix + ".indnullsnotdistinct";
}

// The key columns of the index `ix` (pg_index) with access method `i.relam`, each marked for
// what pg_get_indexdef(index) prints of it: 'c' and the column's name when it prints the name
// alone; 's' and the name when it may print more after it: COLLATE (the index's collation is
// not the column's), the operator class (not the default one for the column's type and
// access method), DESC, NULLS FIRST / LAST, operator class options; 'e' for an expression.
// Only the indexes with an 's' or 'e' key need the server's printed text (printed_keys()),
// which costs as much as the rest of the index query.
std::string marked_key_columns() {
  // One lookup per column, the attribute of the table and the index's own; the default
  // operator classes are hashed once per query (a correlated lookup scanned pg_opclass per
  // column: 17 us each).
  return "ARRAY(SELECT CASE WHEN ix.indkey[n - 1] = 0 THEN 'e' "
         "ELSE (SELECT CASE WHEN ix.indoption[n - 1] = 0 "
         "AND ix.indcollation[n - 1] IN (0, a.attcollation) "
         "AND (ix.indclass[n - 1], a.atttypid, i.relam) IN (SELECT oc.oid, oc.opcintype, "
         "oc.opcmethod FROM pg_catalog.pg_opclass oc WHERE oc.opcdefault) "
         "AND ia.attoptions IS NULL THEN 'c' ELSE 's' END || a.attname "
         "FROM pg_catalog.pg_attribute a, pg_catalog.pg_attribute ia "
         "WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[n - 1] "
         "AND ia.attrelid = ix.indexrelid AND ia.attnum = n) END "
         "FROM pg_catalog.generate_series(1, ix.indnkeyatts) n ORDER BY n)";
}

// How pg_get_indexdef prints the key columns of some indexes (by OID): each alone (a name
// quoted where needed, or an expression's text) and in the full definition, where what
// follows it (COLLATE, operator class, ordering) is part of the key.
struct PrintedKeys {
  std::vector<std::string> alone, in_definition;
};
std::map<std::int64_t, PrintedKeys> printed_keys(Connection& c,
                                                 const std::vector<std::string>& oids) {
  std::map<std::int64_t, PrintedKeys> out;
  if (oids.empty()) return out;
  const std::string sql =
      "SELECT ix.indexrelid::pg_catalog.int8, "
      "ARRAY(SELECT CASE WHEN ix.indkey[n - 1] = 0 "
      "THEN pg_catalog.pg_get_indexdef(ix.indexrelid, n, false) "
      "ELSE (SELECT pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_attribute a "
      "WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[n - 1]) END "
      "FROM pg_catalog.generate_series(1, ix.indnkeyatts) n ORDER BY n), "
      "pg_catalog.pg_get_indexdef(ix.indexrelid) FROM pg_catalog.pg_index ix "
      "WHERE ix.indexrelid = ANY ($1::pg_catalog.oid[])";
  for (const auto& r : catalog_query(c, sql, {array_literal(oids)}).rows)
    out[r[0].as_int()] = PrintedKeys{text_array(r[1]), pg::first_list(text_or(r[2]))};
  return out;
}

// An index's key entries: a column's name, or an expression's text, then what the full
// definition prints after it.
std::vector<std::string> index_keys(const std::vector<std::string>& marked,
                                    const PrintedKeys* printed) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < marked.size(); ++k) {
    const char mark = marked[k].empty() ? 'e' : marked[k][0];
    std::string entry = mark == 'e' ? std::string() : marked[k].substr(1);
    if (mark != 'c' && printed && k < printed->alone.size()) {
      const std::string& alone = printed->alone[k];
      if (mark == 'e') entry = alone;
      const auto& full = printed->in_definition;
      if (k < full.size() && full[k].compare(0, alone.size(), alone) == 0)
        entry += full[k].substr(alone.size());
    }
    out.push_back(std::move(entry));
  }
  return out;
}

// Reads one schema: the queries in the order the objects depend on each other. The tables
// are found first; the queries for their parts take their OIDs (`= ANY ($1)`, which the
// catalogs' indexes answer in any plan; a join to unnest($1) got a generic plan that scanned
// all of pg_attribute) and name columns by number, which the reader turns into names from
// the columns it has read: a subquery per key to look names up cost more than the rest of
// the constraints query.
class Reader {
 public:
  Reader(Connection& c, const ReflectOptions& o, const CatalogSession& session)
      : c_(c), version_(session.version()), default_(session.default_schema()) {
    std::vector<std::string> schemas = o.schemas;
    if (schemas.empty()) schemas.push_back("");
    for (auto& s : schemas)
      if (s.empty()) s = default_;
    some_ = !o.only_tables.empty();
    params_ = some_ ? Params{array_literal(schemas), array_literal(o.only_tables)}
                    : Params{array_literal(schemas)};
    only_ = some_ ? " AND c.relname = ANY ($2::text[])" : "";
    excluded_.insert(o.exclude_tables.begin(), o.exclude_tables.end());
  }

  Schema run() {
    Schema schema;
    schema.dialect = Dialect::postgresql;
    comments();
    tables();
    if (!order_.empty()) {
      columns();
      constraints();
      triggers();
    }
    if (!order_.empty() || !matview_indexes_.empty()) indexes();
    if (!some_) sequences(schema);  // before the tables move: an owner is named from them
    for (auto oid : order_) schema.tables.push_back(std::move(by_oid_.at(oid).table));
    if (!some_) {
      views(schema);
      enums(schema);
      functions(schema);
    }
    schema.sort();
    return schema;
  }

 private:
  // A table read, by OID: its columns by number, for the queries that name them so.
  struct TableRead {
    Table table;
    std::string nspname;
    std::map<long long, std::size_t> columns;  // attnum -> index into table.columns
  };

  std::string schema_of(const std::string& nspname) const {
    return nspname == default_ ? "" : nspname;
  }
  bool is_excluded(const std::string& nsp, const std::string& name) const {
    return excluded_.count(name) > 0 || excluded_.count(nsp + "." + name) > 0;
  }
  TableRead* read(const Value& oid) {
    auto it = by_oid_.find(oid.as_int());
    return it == by_oid_.end() ? nullptr : &it->second;
  }
  // COMMENT ON text of an object: its catalog ("pg_class"), OID and column number.
  std::string comment(const char* catalog, const Value& oid, long long sub = 0) const {
    auto it = comments_.find(fmt::format("{}:{}:{}", catalog, oid.as_int(), sub));
    return it == comments_.end() ? std::string() : it->second;
  }
  std::vector<std::string> column_names(const TableRead& t, const std::vector<long long>& nums,
                                        const std::string& object) const;
  // The OIDs of the tables read (and with `matviews`, of the materialized views) as $1.
  Params oids(bool matviews) const;

  void comments();
  void tables();
  void columns();
  Column column(const Row& r);
  void constraints();
  void indexes();
  void triggers();
  void sequences(Schema& schema);
  void views(Schema& schema);
  void enums(Schema& schema);
  void functions(Schema& schema);

  Connection& c_;
  int version_;
  std::string default_;
  bool some_ = false;
  Params params_;
  std::string only_;
  std::set<std::string> excluded_;
  std::map<std::string, std::string> comments_;  // "catalog:oid:sub" -> text
  std::map<std::int64_t, TableRead> by_oid_;
  std::vector<std::int64_t> order_;  // the tables by schema and name
  // The materialized views of the schemas read, by OID, with their indexes (read with the
  // tables', before the views).
  std::map<std::int64_t, std::vector<Index>> matview_indexes_;
};

// Comments: few in most databases, so one query for all of them beats a join per object.
void Reader::comments() {
  const std::string sql =
      "SELECT d.classoid::pg_catalog.regclass::text, d.objoid::pg_catalog.int8, d.objsubid, "
      "d.description FROM pg_catalog.pg_description d WHERE d.objoid >= 16384";
  for (const auto& r : catalog_query(c_, sql, {}).rows)
    comments_[fmt::format("{}:{}:{}", r[0].as_text(), r[1].as_int(), r[2].as_int())] =
        r[3].as_text();
}

Params Reader::oids(bool matviews) const {
  std::string out = "{";
  auto add = [&](std::int64_t oid) {
    if (out.size() > 1) out += ',';
    out += std::to_string(oid);
  };
  for (const auto& entry : by_oid_) add(entry.first);
  if (matviews)
    for (const auto& entry : matview_indexes_) add(entry.first);
  return {out + "}"};
}

// Names of the columns numbered `nums` of a table read. A number that is not one of its
// columns would be a catalog this reader does not understand: an error, never a wrong name.
std::vector<std::string> Reader::column_names(const TableRead& t,
                                              const std::vector<long long>& nums,
                                              const std::string& object) const {
  std::vector<std::string> out;
  for (long long n : nums) {
    auto it = t.columns.find(n);
    if (it == t.columns.end())
      throw schema_error(
          fmt::format("reflect: {} on table {} names column number {}, which was not read", object,
                      t.table.name, n));
    out.push_back(t.table.columns[it->second].name);
  }
  return out;
}

// The tables of the schemas read (only_tables, excluded and extension tables left out), with
// what is their own: persistence, partitioning. Materialized views too when the whole schema
// is read, for their indexes.
void Reader::tables() {
  const std::string sql =
      std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, c.oid::pg_catalog.int8, c.relkind = 'm', "
      "c.relpersistence = 'u', "
      "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
      "CASE WHEN c.relispartition THEN (SELECT i.inhparent::pg_catalog.regclass::text "
      "FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END, "
      "CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END "
      "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace WHERE c.relkind IN " +
      std::string(some_ ? "('r', 'p')" : "('r', 'p', 'm')") + " AND c.oid >= 16384 AND " +
      not_extension_member("pg_class", "c.oid") + only_ + " ORDER BY n.nspname, c.relname";
  for (const auto& r : catalog_query(c_, sql, params_).rows) {
    std::string nsp = r[0].as_text(), rel = r[1].as_text();
    if (is_excluded(nsp, rel)) continue;
    const std::int64_t oid = r[2].as_int();
    if (r[3].as_bool()) {
      matview_indexes_.emplace(oid, std::vector<Index>{});
      continue;
    }
    TableRead& t = by_oid_[oid];
    t.nspname = nsp;
    t.table.schema = schema_of(nsp);
    t.table.name = rel;
    t.table.comment = comment("pg_class", r[2]);
    t.table.unlogged = r[4].as_bool();
    t.table.partition_by = text_or(r[5]);
    t.table.partition_of = text_or(r[6]);
    t.table.partition_bound = text_or(r[7]);
    order_.push_back(oid);
  }
}

// Columns of the tables read. A default is printed without its table (relid 0: it cannot
// refer to columns, and the table's deparse context cost more than the rest of the column);
// a generated column's expression does refer to them. The collation is looked up only when
// it may not be the type's: 100 is the database's default collation (DEFAULT_COLLATION_OID),
// the one of every collatable type but those in the hashed list. A column is serial when its
// default is exactly nextval() of a sequence it owns (OWNED BY, deptype 'a'); an identity
// column takes the options of its sequence ('i'). Each looked up only for the columns that
// can have one, which is fewer queries than reading the sequences apart.
void Reader::columns() {
  // The sequence the column owns with `deptype`, joined as `join`.
  auto owned = [](const char* join, char deptype) {
    return fmt::format(
        "FROM pg_catalog.pg_depend sd JOIN {} "
        "WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND sd.refobjid = "
        "a.attrelid AND sd.refobjsubid = a.attnum AND sd.deptype = '{}' LIMIT 1",
        join, deptype);
  };
  const std::string sql =
      "SELECT a.attrelid::pg_catalog.int8, a.attname, "
      "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, dx.expr, "
      "a.attidentity::text, a.attgenerated::text, "
      "CASE WHEN a.attcollation <> 0 AND (a.attcollation <> 100 OR a.atttypid IN "
      "(SELECT t.oid FROM pg_catalog.pg_type t WHERE t.typcollation NOT IN (0, 100))) "
      "THEN (SELECT co.collname::text FROM pg_catalog.pg_collation co, pg_catalog.pg_type t "
      "WHERE co.oid = a.attcollation AND t.oid = a.atttypid "
      "AND t.typcollation <> a.attcollation) END, "
      "CASE WHEN dx.expr LIKE 'nextval(%' THEN (SELECT s.oid::pg_catalog.regclass::text " +
      owned("pg_catalog.pg_class s ON s.oid = sd.objid AND s.relkind = 'S'", 'a') +
      ") END, a.attnum, "
      "CASE WHEN a.attidentity <> '' THEN (SELECT ARRAY[q.seqstart::text, q.seqincrement::text, "
      "q.seqmin::text, q.seqmax::text, q.seqcache::text, q.seqcycle::text, "
      "pg_catalog.format_type(q.seqtypid, NULL)] " +
      owned("pg_catalog.pg_sequence q ON q.seqrelid = sd.objid", 'i') +
      ") END "
      "FROM pg_catalog.pg_attribute a "
      // The default once (OFFSET 0: not inlined into each use).
      "CROSS JOIN LATERAL (SELECT CASE WHEN a.atthasdef THEN (SELECT pg_catalog.pg_get_expr("
      "d.adbin, CASE WHEN a.attgenerated = '' THEN 0::pg_catalog.oid ELSE d.adrelid END) "
      "FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum) END "
      "AS expr OFFSET 0) dx "
      "WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped";
  std::map<std::int64_t, std::map<long long, Column>> by_table;  // in attnum order
  for (const auto& r : catalog_query(c_, sql, oids(false)).rows) {
    if (read(r[0])) by_table[r[0].as_int()].emplace(r[9].as_int(), column(r));
  }
  for (auto& [oid, cols] : by_table) {
    TableRead& t = by_oid_.at(oid);
    for (auto& [num, col] : cols) {
      t.columns[num] = t.table.columns.size();
      t.table.columns.push_back(std::move(col));
    }
  }
}

Column Reader::column(const Row& r) {
  Column c;
  c.name = r[1].as_text();
  c.type = r[2].as_text();
  c.nullable = !r[3].as_bool();
  const std::string identity = text_or(r[5]);
  if (identity == "a") c.identity = "always";
  if (identity == "d") c.identity = "by default";
  if (text_or(r[6]) == "s") {
    c.generated = pg::strip_outer_parens(text_or(r[4]));
    c.generated_stored = true;
  } else if (!r[8].is_null() && !r[4].is_null() &&
             r[4].as_text() == "nextval(" + quote_literal(r[8].as_text()) + "::regclass)") {
    c.autoincrement = true;  // serial: the nextval() default is the serial itself
  } else if (!r[4].is_null()) {
    c.default_value = pg::column_default(r[4].as_text());
  }
  c.collation = text_or(r[7]);
  c.comment = comment("pg_class", r[0], r[9].as_int());
  const std::vector<std::string> q = text_array(r[10]);
  if (q.size() == 7) {
    pg::SequenceParameters p;
    p.start = std::stoll(q[0]);
    p.increment = std::stoll(q[1]);
    p.min = std::stoll(q[2]);
    p.max = std::stoll(q[3]);
    p.cache = std::stoll(q[4]);
    p.cycle = q[5] == "true";
    p.type = q[6];
    c.identity_options = pg::sequence_options(p, true);
  }
  return c;
}

// Column numbers from a catalog int2[] ("{1,2}": conkey, confkey).
std::vector<long long> attnums(const Value& v) {
  std::vector<long long> out;
  for (const auto& n : text_array(v)) out.push_back(std::stoll(n));
  return out;
}

// Constraints: primary keys, unique, foreign keys, checks, exclusions. A foreign key's
// referred columns are named by the server only when its table is not one read.
void Reader::constraints() {
  const std::string sql =
      "SELECT con.conrelid::pg_catalog.int8, fc.relnamespace = con.connamespace, con.conname, "
      "con.contype::text, con.conkey, fn.nspname, fc.relname, con.confrelid::pg_catalog.int8, "
      "con.confkey, CASE WHEN con.contype = 'f' AND NOT (con.confrelid = ANY "
      "($1::pg_catalog.oid[])) THEN ARRAY(SELECT a.attname::text "
      "FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(num, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num "
      "ORDER BY k.ord) END, "
      "con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred, "
      "CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END, "
      "con.oid::pg_catalog.int8, con.convalidated, con.connoinherit, con.confmatchtype::text, "
      "CASE WHEN con.contype = 'x' THEN pg_catalog.pg_get_constraintdef(con.oid) END, " +
      include_columns("pi") + ", CASE WHEN con.contype = 'u' THEN " +
      nulls_not_distinct(version_, "pi") +
      " END FROM pg_catalog.pg_constraint con "
      // A key's own index (a foreign key's conindid is its parent's).
      "LEFT JOIN pg_catalog.pg_index pi ON pi.indexrelid = con.conindid "
      "AND con.contype IN ('p', 'u') "
      "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid "
      "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
      "WHERE con.conrelid = ANY ($1::pg_catalog.oid[]) "
      "AND con.contype IN ('p', 'u', 'f', 'c', 'x')";
  for (const auto& r : catalog_query(c_, sql, oids(false)).rows) {
    TableRead* owner = read(r[0]);
    if (!owner) continue;
    Table* t = &owner->table;
    const std::string name = r[2].as_text(), type = r[3].as_text();
    const std::string note = comment("pg_constraint", r[15]);
    const std::string object = "constraint " + name;
    if (type == "p") {
      PrimaryKey pk{name, column_names(*owner, attnums(r[4]), object)};
      pk.include = text_array(r[20]);
      pk.deferrable = r[12].as_bool();
      pk.initially_deferred = r[13].as_bool();
      pk.comment = note;
      t->primary_key = std::move(pk);
    } else if (type == "u") {
      UniqueConstraint u{name, column_names(*owner, attnums(r[4]), object)};
      u.include = text_array(r[20]);
      u.nulls_not_distinct = !r[21].is_null() && r[21].as_bool();
      u.deferrable = r[12].as_bool();
      u.initially_deferred = r[13].as_bool();
      u.comment = note;
      t->uniques.push_back(std::move(u));
    } else if (type == "f") {
      ForeignKey fk;
      fk.name = name;
      fk.columns = column_names(*owner, attnums(r[4]), object);
      fk.referred_schema = !r[1].is_null() && r[1].as_bool() ? "" : text_or(r[5]);
      fk.referred_table = text_or(r[6]);
      const TableRead* parent = read(r[7]);
      fk.referred_columns =
          parent ? column_names(*parent, attnums(r[8]), object) : text_array(r[9]);
      fk.on_update = action(text_or(r[10]));
      fk.on_delete = action(text_or(r[11]));
      fk.deferrable = r[12].as_bool();
      fk.initially_deferred = r[13].as_bool();
      fk.match = match_type(text_or(r[18]));
      fk.not_valid = !r[16].as_bool();
      fk.comment = note;
      t->foreign_keys.push_back(std::move(fk));
    } else if (type == "c") {
      CheckConstraint ck{name, pg::strip_outer_parens(text_or(r[14]))};
      ck.not_valid = !r[16].as_bool();
      ck.no_inherit = r[17].as_bool();
      ck.comment = note;
      t->checks.push_back(std::move(ck));
    } else {
      t->exclusions.push_back(ExclusionConstraint{name, text_or(r[19]), note});
    }
  }
}

// Indexes of the tables and materialized views read that are not the implementation of a
// PRIMARY KEY, UNIQUE or EXCLUDE constraint. Each key entry is the column's name or the
// expression's text (pg_get_indexdef(index, k)), then what pg_get_indexdef(index) prints
// after it: COLLATE, the operator class, DESC, NULLS FIRST / LAST where not the defaults.
void Reader::indexes() {
  const std::string sql =
      "SELECT ix.indrelid::pg_catalog.int8, i.relname AS index_name, ix.indisunique, "
      "am.amname::text, " +
      marked_key_columns() +
      " AS keys, pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate, " +
      include_columns("ix") + ", " + nulls_not_distinct(version_, "ix") +
      ", i.oid::pg_catalog.int8 FROM pg_catalog.pg_index ix "
      "JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
      "JOIN pg_catalog.pg_am am ON am.oid = i.relam "
      "WHERE ix.indrelid = ANY ($1::pg_catalog.oid[]) AND NOT EXISTS (SELECT 1 FROM "
      "pg_catalog.pg_constraint con "
      "WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid "
      "AND con.contype IN ('p', 'u', 'x'))";
  const Result rows = catalog_query(c_, sql, oids(true));
  std::vector<std::string> to_print;  // indexes with a key pg_get_indexdef prints more of
  for (const auto& r : rows.rows) {
    const std::vector<std::string> marked = text_array(r[4]);
    if (std::any_of(marked.begin(), marked.end(),
                    [](const std::string& m) { return m.empty() || m[0] != 'c'; }))
      to_print.push_back(std::to_string(r[8].as_int()));
  }
  const std::map<std::int64_t, PrintedKeys> printed = printed_keys(c_, to_print);
  for (const auto& r : rows.rows) {
    TableRead* t = read(r[0]);
    auto view = matview_indexes_.find(r[0].as_int());
    if (!t && view == matview_indexes_.end()) continue;
    Index ix;
    ix.name = r[1].as_text();
    ix.unique = r[2].as_bool();
    ix.method = r[3].as_text() == "btree" ? "" : r[3].as_text();
    auto p = printed.find(r[8].as_int());
    ix.columns = index_keys(text_array(r[4]), p == printed.end() ? nullptr : &p->second);
    if (!r[5].is_null()) ix.where = pg::strip_outer_parens(r[5].as_text());
    ix.include = text_array(r[6]);
    ix.nulls_not_distinct = !r[7].is_null() && r[7].as_bool();
    ix.comment = comment("pg_class", r[8]);
    if (t)
      t->table.indexes.push_back(std::move(ix));
    else
      view->second.push_back(std::move(ix));
  }
}

// Triggers (not the internal ones behind foreign keys), printed as psql prints them: the
// table and function qualified only where the search_path would need it.
void Reader::triggers() {
  const std::string sql =
      "SELECT tg.tgrelid::pg_catalog.int8, tg.tgname, "
      "pg_catalog.pg_get_triggerdef(tg.oid, true), tg.oid::pg_catalog.int8 "
      "FROM pg_catalog.pg_trigger tg "
      "WHERE tg.tgrelid = ANY ($1::pg_catalog.oid[]) AND NOT tg.tgisinternal";
  for (const auto& r : catalog_query(c_, sql, oids(false)).rows) {
    TableRead* t = read(r[0]);
    if (!t) continue;
    t->table.triggers.push_back(Trigger{r[1].as_text(), t->table.name, pg::one_line(r[2].as_text()),
                                        comment("pg_trigger", r[3])});
  }
}

// Views and materialized views.
void Reader::views(Schema& schema) {
  const std::string sql = std::string(kNamespaces) +
                          "SELECT n.nspname, c.relname, c.relkind = 'm' AS materialized, "
                          "pg_catalog.pg_get_viewdef(c.oid) AS definition, c.oid::pg_catalog.int8 "
                          "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace "
                          "WHERE c.relkind IN ('v', 'm') AND c.oid >= 16384 AND " +
                          not_extension_member("pg_class", "c.oid") +
                          " ORDER BY n.nspname, c.relname";
  for (const auto& r : catalog_query(c_, sql, params_).rows) {
    if (is_excluded(r[0].as_text(), r[1].as_text())) continue;
    View v;
    v.schema = schema_of(r[0].as_text());
    v.name = r[1].as_text();
    v.materialized = r[2].as_bool();
    v.definition = pg::one_line(text_or(r[3]));
    v.comment = comment("pg_class", r[4]);
    auto it = matview_indexes_.find(r[4].as_int());
    if (it != matview_indexes_.end()) v.indexes = std::move(it->second);
    schema.views.push_back(std::move(v));
  }
}

// Sequences: free-standing ones, and serial ones with their owner (a column of a table read).
// Identity sequences belong to their column (Column::identity, identity_options) and are
// left out.
void Reader::sequences(Schema& schema) {
  const std::string sql =
      std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, c.oid::pg_catalog.int8, d.refobjid::pg_catalog.int8, "
      "d.refobjsubid::pg_catalog.int8, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, "
      "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle "
      "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
      "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
      // An owned sequence is an extension's only with its table, which is not read.
      "WHERE c.relkind = 'S' AND c.oid >= 16384 AND d.deptype IS DISTINCT FROM 'i' "
      "AND (d.objid IS NOT NULL OR " +
      not_extension_member("pg_class", "c.oid") + ")";
  for (const auto& r : catalog_query(c_, sql, params_).rows) {
    Sequence q;
    q.schema = schema_of(r[0].as_text());
    q.name = r[1].as_text();
    if (is_excluded(r[0].as_text(), q.name)) continue;
    if (!r[3].is_null()) {
      // A sequence goes with its table: left out with an excluded or extension table.
      const TableRead* t = read(r[3]);
      if (!t) continue;
      q.owned_by = (t->nspname == r[0].as_text() ? "" : t->nspname + ".") + t->table.name + "." +
                   column_names(*t, {r[4].as_int()}, "sequence " + q.name).front();
    }
    pg::SequenceParameters p;
    p.type = q.type = r[5].as_text();
    p.start = q.start = r[6].as_int();
    p.increment = q.increment = r[7].as_int();
    p.min = r[8].as_int();
    p.max = r[9].as_int();
    p.cache = r[10].as_int();
    p.cycle = r[11].as_bool();
    q.options = pg::sequence_options(p, false);
    q.comment = comment("pg_class", r[2]);
    schema.sequences.push_back(std::move(q));
  }
}

// Enum types with their labels in sort order.
void Reader::enums(Schema& schema) {
  const std::string sql =
      std::string(kNamespaces) +
      "SELECT n.nspname, t.typname::text, ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e "
      "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels, t.oid::pg_catalog.int8 "
      "FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace "
      "WHERE t.typtype = 'e' AND t.oid >= 16384 AND " +
      not_extension_member("pg_type", "t.oid");
  for (const auto& r : catalog_query(c_, sql, params_).rows) {
    Enum e(schema_of(r[0].as_text()), r[1].as_text(), text_array(r[2]));
    e.comment = comment("pg_type", r[3]);
    schema.enums.push_back(std::move(e));
  }
}

// Functions and procedures by signature (argument types only).
void Reader::functions(Schema& schema) {
  const std::string sql =
      std::string(kNamespaces) +
      "SELECT n.nspname, p.proname::text, pg_catalog.oidvectortypes(p.proargtypes) AS args, "
      "pg_catalog.pg_get_functiondef(p.oid) AS definition, p.oid::pg_catalog.int8 "
      "FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace "
      "WHERE p.prokind IN ('f', 'p') AND p.oid >= 16384 AND " +
      not_extension_member("pg_proc", "p.oid");
  for (const auto& r : catalog_query(c_, sql, params_).rows) {
    Function f;
    f.schema = schema_of(r[0].as_text());
    f.signature = r[1].as_text() + "(" + text_or(r[2]) + ")";
    std::string def = text_or(r[3]);
    while (!def.empty() && (def.back() == '\n' || def.back() == ' ')) def.pop_back();
    f.definition = def;
    f.comment = comment("pg_proc", r[4]);
    schema.functions.push_back(std::move(f));
  }
}

}  // namespace

Schema postgres_reflect(Connection& connection, const ReflectOptions& options) {
  CatalogSession session(connection);
  return Reader(connection, options, session).run();
}

}  // namespace migtest::detail
