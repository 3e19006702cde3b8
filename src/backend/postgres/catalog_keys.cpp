// postgres_catalog_keys: which catalog rows describe each table, for the verification's
// incremental reflection (src/verify/snapshot.cpp).
#include <map>
#include <set>

#include "backend/postgres/dialect.hpp"
#include "backend/postgres/postgres_connection.hpp"

namespace migtest::detail {

namespace {

// Row versions, not text: OIDs and xmins read by range scans of the catalogs' indexes over
// user OIDs (one pass per catalog, whatever the number of tables), nothing deparsed. A
// row's xmin changes with every UPDATE of it; in-place updates (VACUUM's statistics,
// relhasindex) touch nothing reflection reads. Table row and array types are left out of
// the others (each CREATE TABLE makes two), except those a column uses: a column's type
// name is in its reflection ('u'). Comments ('m') on a relation or its columns go with the
// relation, the others (constraints, triggers, types, functions) with the others; sequence
// parameters ('q': an identity's options) with the others too.
//
// The per-table lists are not sorted and a column's entry is its xmin alone: the cost of a
// read is mostly this query, and pg_attribute's rows were most of it. Neither loses a
// change. Every insert or update of a row gives it the xmin of a transaction that committed
// after the last read, so that xmin is new to the list; a deletion shortens it. A list in
// another order only makes a table look changed, and read again.
const char* kCatalogKeys = R"(
SELECT 'c' AS kind, c.oid::pg_catalog.int8 AS id, c.relnamespace::pg_catalog.int8 AS owner,
       c.relkind::text AS sub, c.relname::text || ':' || c.xmin AS v
  FROM pg_catalog.pg_class c WHERE c.oid >= 16384
UNION ALL SELECT 'a', a.attrelid, 0, '', pg_catalog.string_agg(a.xmin::text, ',')
  FROM pg_catalog.pg_attribute a WHERE a.attrelid >= 16384 AND a.attnum > 0 GROUP BY a.attrelid
UNION ALL SELECT 'd', d.adrelid, 0, '', pg_catalog.string_agg(d.oid || ':' || d.xmin, ',')
  FROM pg_catalog.pg_attrdef d WHERE d.adrelid >= 16384 GROUP BY d.adrelid
UNION ALL SELECT 'k', co.conrelid, co.confrelid, co.contype::text, co.oid || ':' || co.xmin
  FROM pg_catalog.pg_constraint co WHERE co.conrelid >= 16384
UNION ALL SELECT 'i', i.indrelid, i.indexrelid, '', i.xmin::text
  FROM pg_catalog.pg_index i WHERE i.indrelid >= 16384
UNION ALL SELECT 'g', t.tgrelid, 0, '', pg_catalog.string_agg(t.oid || ':' || t.xmin, ',')
  FROM pg_catalog.pg_trigger t WHERE t.tgrelid >= 16384 GROUP BY t.tgrelid
UNION ALL SELECT 'm', m.objoid, 0, '', pg_catalog.string_agg(m.objsubid || ':' || m.xmin, ',')
  FROM pg_catalog.pg_description m WHERE m.objoid >= 16384
   AND m.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass GROUP BY m.objoid
UNION ALL SELECT 'x', e.objid, 0, '', ''
  FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND e.objid >= 16384 AND e.deptype = 'e'
UNION ALL SELECT 'z', 0, 0, '', pg_catalog.current_schema()
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
    UNION ALL SELECT 'q' || q.seqrelid || ':' || q.xmin FROM pg_catalog.pg_sequence q
     WHERE q.seqrelid >= 16384
    UNION ALL SELECT 'm' || m.classoid || ':' || m.objoid || ':' || m.objsubid || ':' || m.xmin
      FROM pg_catalog.pg_description m WHERE m.objoid >= 16384
       AND m.classoid <> 'pg_catalog.pg_class'::pg_catalog.regclass
  ) g)";

std::string text_or(const Value& v) { return v.is_null() ? std::string() : v.as_text(); }

Result catalog_query(Connection& connection, const std::string& sql) {
  if (auto* pg = dynamic_cast<PostgresConnection*>(&connection)) return pg->query_prepared(sql, {});
  return connection.query(sql, {});
}

// Namespaces by name, from the others' "n<oid>:<xmin>:<name>" entries.
std::map<std::string, std::int64_t> namespaces_in(const std::string& others) {
  std::map<std::string, std::int64_t> out;
  for (std::size_t at = 0; at < others.size();) {
    std::size_t end = others.find(',', at);
    if (end == std::string::npos) end = others.size();
    const std::string item = others.substr(at, end - at);
    if (!item.empty() && item[0] == 'n') {
      const std::size_t colon = item.find(':'), second = item.find(':', colon + 1);
      if (second != std::string::npos)
        out[item.substr(second + 1)] = std::stoll(item.substr(1, colon - 1));
    }
    at = end + 1;
  }
  return out;
}

}  // namespace

CatalogKeys postgres_catalog_keys(Connection& connection, const std::vector<std::string>& schemas) {
  struct Rel {
    std::string kind, value;
    std::int64_t nsp = 0;
  };
  std::map<std::int64_t, Rel> rels;                          // every user relation
  std::map<std::int64_t, std::string> parts;                 // relation -> its other rows
  std::map<std::int64_t, std::vector<std::int64_t>> refers;  // table -> referred tables
  std::map<std::int64_t, std::int64_t> index_of;             // index -> its relation
  CatalogKeys out;
  std::string others, current = "public";
  const Result rows = catalog_query(connection, kCatalogKeys);
  for (const Row& r : rows.rows) {
    const std::string kind = r[0].as_text();
    if (kind == "c") rels[r[1].as_int()] = Rel{r[3].as_text(), r[4].as_text(), r[2].as_int()};
    if (kind == "o") others = text_or(r[4]);
    if (kind == "z" && !r[4].is_null()) current = r[4].as_text();
    if (kind == "i") index_of[r[2].as_int()] = r[1].as_int();
  }
  for (const Row& r : rows.rows) {
    const std::string kind = r[0].as_text();
    std::int64_t id = r[1].as_int();
    if (kind == "c" || kind == "o" || kind == "z") continue;
    // An index's comment changes its relation's reflection.
    if (kind == "m" && index_of.count(id)) id = index_of[id];
    std::string& p = parts[id];
    p += kind + "[" + text_or(r[3]) + ":" + text_or(r[4]);
    if (kind == "i") {  // the index's own pg_class row (its name, access method)
      auto it = rels.find(r[2].as_int());
      p += ":" + (it == rels.end() ? std::string("?") : it->second.value);
    }
    if (kind == "k" && r[3].as_text() == "f" && r[2].as_int() != id)
      refers[id].push_back(r[2].as_int());
    p += "]";
  }
  const std::map<std::string, std::int64_t> namespaces = namespaces_in(others);
  std::map<std::int64_t, std::string> names;  // namespace OID -> its name
  for (const auto& [name, oid] : namespaces) names[oid] = name;
  std::set<std::int64_t> in_scope;
  for (std::string n : schemas.empty() ? std::vector<std::string>{""} : schemas) {
    if (n.empty()) n = current;
    if (auto it = namespaces.find(n); it != namespaces.end()) in_scope.insert(it->second);
  }
  // Everything that is neither a table nor a table's index or TOAST goes with the others,
  // with its own rows (a materialized view's indexes, a view's comment).
  out.others = others + ",z" + current;
  for (const auto& [oid, rel] : rels) {
    if (rel.kind == "r" || rel.kind == "p") {
      if (!in_scope.count(rel.nsp)) continue;
      CatalogKeys::TableKey t;
      t.oid = oid;
      t.schema = names[rel.nsp] == current ? "" : names[rel.nsp];
      t.name = rel.value.substr(0, rel.value.rfind(':'));
      t.key = rel.value + "|" + parts[oid];
      t.referred = refers[oid];
      out.tables.push_back(std::move(t));
    } else if (rel.kind != "i" && rel.kind != "I" && rel.kind != "t") {
      out.others +=
          ",c" + std::to_string(oid) + ":" + rel.kind + ":" + rel.value + "|" + parts[oid];
    }
  }
  return out;
}

std::optional<std::string> CatalogWrites::token(Connection& connection) {
  if (sql_.empty()) {
    // Every table in pg_catalog (shared ones too), named in the statement: the counts of
    // about 60 catalogs cost less than finding them again in pg_class at each call.
    const std::string oids = connection
                                 .scalar(
                                     "SELECT pg_catalog.array_agg(c.oid ORDER BY c.oid)::text FROM "
                                     "pg_catalog.pg_class c WHERE c.relnamespace = "
                                     "'pg_catalog'::pg_catalog.regnamespace AND c.relkind = 'r'")
                                 .as_text();
    auto sum = [](const std::string& prefix) {
      return "pg_catalog.sum(pg_catalog." + prefix + "_inserted(k) + pg_catalog." + prefix +
             "_updated(k) + pg_catalog." + prefix + "_deleted(k))";
    };
    // PostgreSQL 15's pg_stat_get_xact_* count what the session has not reported yet,
    // earlier transactions included, not only this one: hence the comparison of totals.
    sql_ =
        "SELECT pg_catalog.current_setting('track_counts')::boolean, pg_catalog.concat_ws(',', " +
        sum("pg_stat_get_xact_tuples") + ", " + sum("pg_stat_get_tuples") +
        ", current_user, pg_catalog.current_schema(), "
        "pg_catalog.current_setting('search_path'), pg_catalog.current_setting('TimeZone'), "
        "pg_catalog.current_setting('DateStyle'), "
        "pg_catalog.current_setting('IntervalStyle'), "
        "pg_catalog.current_setting('extra_float_digits')) FROM pg_catalog.unnest('" +
        oids + "'::pg_catalog.oid[]) k";
  }
  const Result r = catalog_query(connection, sql_);
  if (r.rows.empty() || !r.rows[0][0].as_bool()) return std::nullopt;
  return r.rows[0][1].as_text();
}

}  // namespace migtest::detail
