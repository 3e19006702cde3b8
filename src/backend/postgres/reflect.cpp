// PostgreSQL reflection from pg_catalog, and the dialect's expected_schema / create_all_sql.
//
// One catalog query per object kind for all reflected schemas at once (never one per table),
// under a fixed search_path, TimeZone and DateStyle so that the server's deparsed text does
// not depend on the session; then every type, default and expression goes through the
// canonical forms of normalize.hpp, as expected_schema() does with the model's text.
#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

#include "backend/postgres/ddl.hpp"
#include "backend/postgres/dialect.hpp"
#include "backend/postgres/normalize.hpp"
#include "backend/postgres/postgres_connection.hpp"
#include "migtest/error.hpp"
#include "migtest/metadata.hpp"

namespace migtest::detail {

namespace {

using pg::canonical_default;
using pg::canonical_expression;
using pg::canonical_index_entry;
using pg::canonical_type;
using pg::canonical_view;

// Runs the catalog queries with a fixed search_path and output settings, inside the
// caller's transaction (a savepoint) or a transaction of its own, and leaves the session
// as it found it.
class CatalogSession {
 public:
  explicit CatalogSession(Connection& c) : c_(c), own_(!c.in_transaction()) {
    if (own_)
      c_.begin();
    else
      c_.savepoint("migtest_reflect");
    // search_path public: the canonical spelling leaves public (and pg_catalog) unqualified.
    // TimeZone, DateStyle, IntervalStyle and extra_float_digits: constants in defaults and
    // CHECKs deparse the same in every session. jit off: the catalog queries are cheap but
    // their estimates are not, and JIT compilation alone took seconds on 1,000 tables.
    try {
      c_.execute(
          "SELECT pg_catalog.set_config('search_path', 'public', true), "
          "pg_catalog.set_config('TimeZone', 'UTC', true), "
          "pg_catalog.set_config('DateStyle', 'ISO, MDY', true), "
          "pg_catalog.set_config('IntervalStyle', 'postgres', true), "
          "pg_catalog.set_config('extra_float_digits', '1', true), "
          "pg_catalog.set_config('jit', 'off', true)");
    } catch (...) {
      end();  // no destructor runs for a constructor that throws
      throw;
    }
  }
  ~CatalogSession() { end(); }
  CatalogSession(const CatalogSession&) = delete;
  CatalogSession& operator=(const CatalogSession&) = delete;

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
};

std::string text_or(const Value& v, std::string fallback = {}) {
  return v.is_null() ? fallback : v.as_text();
}

std::vector<std::string> text_array(const Value& v) {
  std::vector<std::string> out;
  if (v.is_null()) return out;
  for (auto& e : pg::parse_text_array(v.as_text())) out.push_back(e ? *e : std::string());
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

std::string schema_of(const std::string& nspname) { return nspname == "public" ? "" : nspname; }

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

// " DESC", " NULLS FIRST", " DESC NULLS LAST" from pg_index.indoption (1 DESC, 2 NULLS FIRST).
std::string order_suffix(int option) {
  bool desc = option & 1;
  bool nulls_first = option & 2;
  if (desc) return nulls_first ? " DESC" : " DESC NULLS LAST";
  return nulls_first ? " NULLS FIRST" : "";
}

// Catalog queries run at every step of a verification: prepared once per connection.
Result catalog_query(Connection& connection, const std::string& sql, const Params& params) {
  if (auto* pg = dynamic_cast<PostgresConnection*>(&connection)) return pg->query_prepared(sql, params);
  return connection.query(sql, params);
}

}  // namespace

Schema postgres_reflect(Connection& connection, const ReflectOptions& options) {
  std::vector<std::string> schemas = options.schemas;
  if (schemas.empty()) schemas.push_back("public");
  const bool some = !options.only_tables.empty();
  const Params params = some ? Params{array_literal(schemas), array_literal(options.only_tables)}
                             : Params{array_literal(schemas)};
  // The tables asked for, when only some are.
  const std::string only = some ? " AND c.relname = ANY ($2::text[])" : "";
  std::set<std::string> excluded(options.exclude_tables.begin(), options.exclude_tables.end());
  auto is_excluded = [&](const std::string& nsp, const std::string& name) {
    return excluded.count(name) > 0 || excluded.count(nsp + "." + name) > 0;
  };

  Schema schema;
  schema.dialect = "postgresql";
  CatalogSession session(connection);

  // Tables and columns (a LEFT JOIN keeps tables without columns). A column is serial when
  // its default is exactly nextval() of a sequence it owns (OWNED BY, deptype 'a').
  const std::string columns_sql = std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, a.attname, "
      "pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull, "
      "pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr, "
      "a.attidentity::text AS identity, a.attgenerated::text AS generated, "
      "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation "
      "THEN co.collname::text END AS collation, "
      "CASE WHEN d.adbin IS NOT NULL THEN (SELECT s.oid::pg_catalog.regclass::text "
      "FROM pg_catalog.pg_depend sd "
      "JOIN pg_catalog.pg_class s ON s.oid = sd.objid AND s.relkind = 'S' "
      "WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND sd.deptype = 'a' "
      "LIMIT 1) END AS owned_sequence "
      "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
      "AND NOT a.attisdropped "
      "LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
      "WHERE c.relkind IN ('r', 'p') AND c.oid >= 16384 AND " +
      not_extension_member("pg_class", "c.oid") + only + " ORDER BY n.nspname, c.relname, a.attnum";
  std::map<std::pair<std::string, std::string>, Table> tables;  // (nspname, relname)
  std::vector<std::pair<std::string, std::string>> table_order;
  for (const auto& r : catalog_query(connection, columns_sql, params).rows) {
    std::string nsp = r[0].as_text(), rel = r[1].as_text();
    if (is_excluded(nsp, rel)) continue;
    auto key = std::make_pair(nsp, rel);
    auto [it, added] = tables.try_emplace(key);
    Table& t = it->second;
    if (added) {
      t.schema = schema_of(nsp);
      t.name = rel;
      table_order.push_back(key);
    }
    if (r[2].is_null()) continue;
    Column c;
    c.name = r[2].as_text();
    c.type = canonical_type(r[3].as_text());
    c.nullable = !r[4].as_bool();
    std::string identity = text_or(r[6]);
    if (identity == "a") c.identity = "always";
    if (identity == "d") c.identity = "by default";
    if (text_or(r[7]) == "s") {
      c.generated = canonical_expression(text_or(r[5]));
      c.generated_stored = true;
    } else if (!r[9].is_null() && !r[5].is_null() &&
               r[5].as_text() == "nextval(" + quote_literal(r[9].as_text()) + "::regclass)") {
      c.autoincrement = true;  // serial: the nextval() default is the serial itself
    } else if (!r[5].is_null()) {
      c.default_value = canonical_default(r[5].as_text());
    }
    c.collation = text_or(r[8]);
    t.columns.push_back(std::move(c));
  }
  auto find = [&](const Value& nsp, const Value& rel) -> Table* {
    auto it = tables.find({nsp.as_text(), rel.as_text()});
    return it == tables.end() ? nullptr : &it->second;
  };

  // Constraints: primary keys, unique, foreign keys, checks.
  const std::string constraints_sql = std::string(kNamespaces) +
      "SELECT c.nspname, c.relname, con.conname, con.contype::text AS contype, "
      "ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY k(num, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num "
      "ORDER BY k.ord) AS columns, "
      "fn.nspname AS ref_schema, fc.relname AS ref_table, "
      "ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(num, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num "
      "ORDER BY k.ord) AS ref_columns, "
      "con.confupdtype::text, con.confdeltype::text, con.condeferrable, con.condeferred, "
      "pg_catalog.pg_get_expr(con.conbin, con.conrelid) AS check_expr "
      // The tables first (OFFSET 0 keeps the planner from reordering): its generic plan
      // otherwise scanned every constraint to keep those of the few tables asked for.
      "FROM (SELECT c.oid, c.relname, n.nspname FROM pg_catalog.pg_class c "
      "JOIN ns n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND c.oid >= 16384" + only + " OFFSET 0) c "
      "JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid "
      "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid "
      "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
      "WHERE con.contype IN ('p', 'u', 'f', 'c')";
  for (const auto& r : catalog_query(connection, constraints_sql, params).rows) {
    Table* t = find(r[0], r[1]);
    if (!t) continue;
    std::string name = r[2].as_text(), type = r[3].as_text();
    if (type == "p") {
      t->primary_key = PrimaryKey{name, text_array(r[4])};
    } else if (type == "u") {
      t->uniques.push_back(UniqueConstraint{name, text_array(r[4])});
    } else if (type == "f") {
      ForeignKey fk;
      fk.name = name;
      fk.columns = text_array(r[4]);
      std::string ref_nsp = text_or(r[5]);
      fk.referred_schema = ref_nsp == r[0].as_text() ? "" : ref_nsp;
      fk.referred_table = text_or(r[6]);
      fk.referred_columns = text_array(r[7]);
      fk.on_update = action(text_or(r[8]));
      fk.on_delete = action(text_or(r[9]));
      fk.deferrable = r[10].as_bool();
      fk.initially_deferred = r[11].as_bool();
      t->foreign_keys.push_back(std::move(fk));
    } else {
      t->checks.push_back(CheckConstraint{name, canonical_expression(text_or(r[12]))});
    }
  }

  // Indexes that are not the implementation of a PRIMARY KEY, UNIQUE or EXCLUDE constraint.
  // Each key: 'c' (column) or 'e' (expression), the indoption digit, then the text.
  const std::string indexes_sql = std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, i.relname AS index_name, ix.indisunique, am.amname::text, "
      "ARRAY(SELECT CASE WHEN ix.indkey[k - 1] = 0 "
      "THEN 'e' || ix.indoption[k - 1]::text || pg_catalog.pg_get_indexdef(ix.indexrelid, k, false) "
      "ELSE 'c' || ix.indoption[k - 1]::text || (SELECT a.attname::text FROM pg_catalog.pg_attribute a "
      "WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]) END "
      "FROM pg_catalog.generate_series(1, ix.indnkeyatts) k ORDER BY k) AS keys, "
      "pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate "
      "FROM pg_catalog.pg_index ix "
      "JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
      "JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid "
      "JOIN ns n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_am am ON am.oid = i.relam "
      "WHERE c.relkind IN ('r', 'p') AND c.oid >= 16384 AND ix.indrelid >= 16384 "
      "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con "
      "WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid "
      "AND con.contype IN ('p', 'u', 'x'))" + only;
  for (const auto& r : catalog_query(connection, indexes_sql, params).rows) {
    Table* t = find(r[0], r[1]);
    if (!t) continue;
    Index ix;
    ix.name = r[2].as_text();
    ix.unique = r[3].as_bool();
    ix.method = r[4].as_text() == "btree" ? "" : r[4].as_text();
    for (const auto& key : text_array(r[5])) {
      if (key.size() < 2) continue;
      int option = key[1] - '0';
      std::string body = key.substr(2);
      std::string entry = key[0] == 'c' ? body : canonical_index_entry(body);
      ix.columns.push_back(entry + order_suffix(option));
    }
    if (!r[6].is_null()) ix.where = canonical_expression(r[6].as_text());
    t->indexes.push_back(std::move(ix));
  }

  // Triggers (not the internal ones behind foreign keys).
  const std::string triggers_sql = std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid) "
      "FROM pg_catalog.pg_trigger tg "
      "JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid "
      "JOIN ns n ON n.oid = c.relnamespace "
      "WHERE NOT tg.tgisinternal AND c.relkind IN ('r', 'p') AND c.oid >= 16384 "
      "AND tg.tgrelid >= 16384" + only;
  for (const auto& r : catalog_query(connection, triggers_sql, params).rows) {
    Table* t = find(r[0], r[1]);
    if (!t) continue;
    t->triggers.push_back(Trigger{r[2].as_text(), t->name, pg::collapse_whitespace(r[3].as_text())});
  }

  for (const auto& key : table_order) schema.tables.push_back(std::move(tables[key]));
  if (some) {
    schema.sort();
    return schema;
  }

  // Views and materialized views.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> relation_columns;
  for (const auto& t : schema.tables) {
    auto& cols = relation_columns[{t.schema, t.name}];
    for (const auto& c : t.columns) cols.push_back(c.name);
  }
  pg::ColumnResolver resolver =
      [&](const std::string& s, const std::string& n) -> std::optional<std::vector<std::string>> {
    auto it = relation_columns.find({s == "public" ? "" : s, n});
    if (it == relation_columns.end()) return std::nullopt;
    return it->second;
  };
  const std::string views_sql = std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, c.relkind = 'm' AS materialized, "
      "pg_catalog.pg_get_viewdef(c.oid) AS definition "
      "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('v', 'm') AND c.oid >= 16384 AND " +
      not_extension_member("pg_class", "c.oid") +
      " ORDER BY n.nspname, c.relname";
  for (const auto& r : catalog_query(connection, views_sql, params).rows) {
    if (is_excluded(r[0].as_text(), r[1].as_text())) continue;
    View v;
    v.schema = schema_of(r[0].as_text());
    v.name = r[1].as_text();
    v.materialized = r[2].as_bool();
    v.definition = canonical_view(text_or(r[3]), resolver);
    schema.views.push_back(std::move(v));
  }

  // Sequences: free-standing ones, and serial ones with their owner. Identity sequences
  // belong to their column (Column::identity) and are left out.
  const std::string sequences_sql = std::string(kNamespaces) +
      "SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL) AS type, "
      "s.seqstart, s.seqincrement, d.deptype::text AS deptype, tn.nspname AS owner_schema, "
      "t.relname AS owner_table, a.attname::text AS owner_column "
      "FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
      "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
      "LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
      "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
      "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
      "WHERE c.relkind = 'S' AND c.oid >= 16384 AND " + not_extension_member("pg_class", "c.oid");
  for (const auto& r : catalog_query(connection, sequences_sql, params).rows) {
    std::string deptype = text_or(r[5]);
    if (deptype == "i") continue;
    Sequence q;
    q.schema = schema_of(r[0].as_text());
    q.name = r[1].as_text();
    if (is_excluded(r[0].as_text(), q.name)) continue;
    q.type = canonical_type(r[2].as_text());
    q.start = r[3].as_int();
    q.increment = r[4].as_int();
    if (deptype == "a") {
      std::string owner_nsp = text_or(r[6]), owner = text_or(r[7]);
      // A sequence goes with its table: left out with an excluded or extension table.
      if (!tables.count({owner_nsp, owner})) continue;
      q.owned_by = (owner_nsp == r[0].as_text() ? "" : owner_nsp + ".") + owner + "." + text_or(r[8]);
    }
    schema.sequences.push_back(std::move(q));
  }

  // Enum types with their labels in sort order.
  const std::string enums_sql = std::string(kNamespaces) +
      "SELECT n.nspname, t.typname::text, ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e "
      "WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels "
      "FROM pg_catalog.pg_type t JOIN ns n ON n.oid = t.typnamespace "
      "WHERE t.typtype = 'e' AND t.oid >= 16384 AND " + not_extension_member("pg_type", "t.oid");
  for (const auto& r : catalog_query(connection, enums_sql, params).rows) {
    schema.enums.push_back(Enum(schema_of(r[0].as_text()), r[1].as_text(), text_array(r[2])));
  }

  // Functions and procedures by signature (argument types only).
  const std::string functions_sql = std::string(kNamespaces) +
      "SELECT n.nspname, p.proname::text, pg_catalog.oidvectortypes(p.proargtypes) AS args, "
      "pg_catalog.pg_get_functiondef(p.oid) AS definition "
      "FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace "
      "WHERE p.prokind IN ('f', 'p') AND p.oid >= 16384 AND " +
      not_extension_member("pg_proc", "p.oid");
  for (const auto& r : catalog_query(connection, functions_sql, params).rows) {
    Function f;
    f.schema = schema_of(r[0].as_text());
    f.signature = r[1].as_text() + "(" + text_or(r[2]) + ")";
    std::string def = text_or(r[3]);
    while (!def.empty() && (def.back() == '\n' || def.back() == ' ')) def.pop_back();
    f.definition = def;
    schema.functions.push_back(std::move(f));
  }

  schema.sort();
  return schema;
}

// Row versions, not text: OIDs and xmins read by range scans of the catalogs' indexes over
// user OIDs (one pass per catalog, whatever the number of tables), nothing deparsed. A
// row's xmin changes with every UPDATE of it; in-place updates (VACUUM's statistics,
// relhasindex) touch nothing reflection reads. Table row and array types are left out of
// the others (each CREATE TABLE makes two), except those a column uses: a column's type
// name is in its reflection ('u').
static const char* kCatalogKeys = R"(
SELECT 'c' AS kind, c.oid::pg_catalog.int8 AS id, c.relnamespace::pg_catalog.int8 AS owner,
       c.relkind::text AS sub, c.relname::text || ':' || c.xmin AS v
  FROM pg_catalog.pg_class c WHERE c.oid >= 16384
UNION ALL SELECT 'a', a.attrelid, 0, '', pg_catalog.string_agg(a.attnum || ':' || a.xmin, ',' ORDER BY a.attnum)
  FROM pg_catalog.pg_attribute a WHERE a.attrelid >= 16384 AND a.attnum > 0 GROUP BY a.attrelid
UNION ALL SELECT 'd', d.adrelid, 0, '', pg_catalog.string_agg(d.oid || ':' || d.xmin, ',' ORDER BY d.oid)
  FROM pg_catalog.pg_attrdef d WHERE d.adrelid >= 16384 GROUP BY d.adrelid
UNION ALL SELECT 'k', co.conrelid, co.confrelid, co.contype::text, co.oid || ':' || co.xmin
  FROM pg_catalog.pg_constraint co WHERE co.conrelid >= 16384
UNION ALL SELECT 'i', i.indrelid, i.indexrelid, '', i.xmin::text
  FROM pg_catalog.pg_index i WHERE i.indrelid >= 16384
UNION ALL SELECT 'g', t.tgrelid, 0, '', pg_catalog.string_agg(t.oid || ':' || t.xmin, ',' ORDER BY t.oid)
  FROM pg_catalog.pg_trigger t WHERE t.tgrelid >= 16384 GROUP BY t.tgrelid
UNION ALL SELECT 'x', e.objid, 0, '', ''
  FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND e.objid >= 16384 AND e.deptype = 'e'
UNION ALL SELECT 'o', 0, 0, '', pg_catalog.string_agg(k, ',' ORDER BY k) FROM (
    SELECT 'n' || n.oid || ':' || n.xmin || ':' || n.nspname AS k FROM pg_catalog.pg_namespace n
    UNION ALL SELECT 't' || t.oid || ':' || t.xmin FROM pg_catalog.pg_type t
     WHERE t.oid >= 16384 AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'b' AND t.typcategory <> 'A'))
    UNION ALL SELECT 'u' || t.oid || ':' || t.xmin FROM pg_catalog.pg_type t
     WHERE t.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid >= 16384 AND a.attnum > 0 AND a.atttypid >= 16384)
    UNION ALL SELECT 'e' || e.oid || ':' || e.xmin FROM pg_catalog.pg_enum e WHERE e.oid >= 16384
    UNION ALL SELECT 'p' || p.oid || ':' || p.xmin FROM pg_catalog.pg_proc p WHERE p.oid >= 16384
    UNION ALL SELECT 'l' || o.oid || ':' || o.xmin FROM pg_catalog.pg_collation o WHERE o.oid >= 16384
    UNION ALL SELECT 's' || d.objid || ':' || d.xmin FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_class q ON q.oid = d.objid AND q.relkind = 'S'
     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid >= 16384
       AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
  ) g)";

CatalogKeys postgres_catalog_keys(Connection& connection, const std::vector<std::string>& schemas) {
  const std::vector<std::string> wanted = schemas.empty() ? std::vector<std::string>{"public"} : schemas;
  struct Rel {
    std::string kind, value;
    std::int64_t nsp = 0;
  };
  std::map<std::int64_t, Rel> rels;                       // every user relation
  std::map<std::int64_t, std::string> parts;             // table -> its other rows
  std::map<std::int64_t, std::vector<std::int64_t>> refers;  // table -> referred tables
  std::map<std::string, std::int64_t> namespaces;
  CatalogKeys out;
  std::string others;
  const Result rows = catalog_query(connection, kCatalogKeys, {});
  for (const Row& r : rows.rows) {
    const std::string kind = r[0].as_text();
    const std::int64_t id = r[1].as_int();
    if (kind == "c") {
      rels[id] = Rel{r[3].as_text(), r[4].as_text(), r[2].as_int()};
    } else if (kind == "o") {
      others = text_or(r[4]);
    }
  }
  // Namespaces by name, from the others' "n<oid>:<xmin>:<name>" entries.
  for (std::size_t at = 0; at < others.size();) {
    std::size_t end = others.find(',', at);
    if (end == std::string::npos) end = others.size();
    const std::string item = others.substr(at, end - at);
    if (!item.empty() && item[0] == 'n') {
      const std::size_t colon = item.find(':'), second = item.find(':', colon + 1);
      if (second != std::string::npos) namespaces[item.substr(second + 1)] = std::stoll(item.substr(1, colon - 1));
    }
    at = end + 1;
  }
  for (const Row& r : rows.rows) {
    const std::string kind = r[0].as_text();
    const std::int64_t id = r[1].as_int();
    if (kind == "c" || kind == "o") continue;
    std::string& p = parts[id];
    p += kind + "[" + text_or(r[3]) + ":" + text_or(r[4]);
    if (kind == "i") {  // the index's own pg_class row (its name, access method)
      auto it = rels.find(r[2].as_int());
      p += ":" + (it == rels.end() ? std::string("?") : it->second.value);
    }
    if (kind == "k" && r[3].as_text() == "f" && r[2].as_int() != id) refers[id].push_back(r[2].as_int());
    p += "]";
  }
  std::set<std::int64_t> in_scope;
  for (const auto& n : wanted) {
    if (auto it = namespaces.find(n); it != namespaces.end()) in_scope.insert(it->second);
  }
  // Everything that is neither a table nor a table's index or TOAST goes with the others.
  out.others = others;
  for (const auto& [oid, rel] : rels) {
    if (rel.kind == "r" || rel.kind == "p") {
      if (!in_scope.count(rel.nsp)) continue;
      CatalogKeys::TableKey t;
      t.oid = oid;
      t.name = rel.value.substr(0, rel.value.rfind(':'));
      t.key = rel.value + "|" + parts[oid];
      t.referred = refers[oid];
      out.tables.push_back(std::move(t));
    } else if (rel.kind != "i" && rel.kind != "I" && rel.kind != "t") {
      out.others += ",c" + std::to_string(oid) + ":" + rel.kind + ":" + rel.value;
    }
  }
  return out;
}

Schema postgres_expected_schema(const Metadata& metadata) {
  metadata.validate();
  Schema s = pg::metadata_schema(metadata, true);
  s.sort();
  return s;
}

std::vector<std::string> postgres_create_all_sql(const Metadata& metadata) {
  metadata.validate();
  return pg::render_create_all(pg::metadata_schema(metadata, false));
}

}  // namespace migtest::detail
