// postgres_table_fingerprints: one md5 per table over everything reflection reads of it, for
// the verification's incremental reads (src/verify/snapshot.cpp).
#include "backend/backend.hpp"
#include "backend/postgres/dialect.hpp"
#include "backend/postgres/postgres_connection.hpp"

namespace migtest::detail {

namespace {

// Each part is a ROW or ARRAY printed as text: their output quotes what needs it and tells a
// NULL from an empty string, so different parts never print alike. What a table's reflection
// reads (reflect.cpp) is in it, mostly as the server prints it whole (pg_get_constraintdef,
// pg_get_indexdef, pg_get_triggerdef), next to the raw fields the reader takes apart: columns
// (type, NOT NULL, default, identity and its sequence's parameters, generated, collation,
// the serial sequence it owns), constraints (their definition, NOT VALID, DEFERRABLE, NO
// INHERIT, the table they refer to), indexes (definition: method, opclasses, collations,
// INCLUDE, NULLS NOT DISTINCT, predicate), triggers, comments on all of these, partitioning,
// persistence. No OID and no column number is in it (columns are in their order): a table
// dropped and created again the same way, or a column dropped and added again, has the same
// fingerprint. The settings that change how constants print and how names are qualified are
// in it too; with extra_float_digits below 1 floats print rounded, and no fingerprint is
// given (NULL).
const char* kFingerprints = R"(
SELECT c.oid::pg_catalog.int8,
  CASE WHEN pg_catalog.current_setting('extra_float_digits')::integer >= 1 THEN pg_catalog.md5(ROW(
    n.nspname, c.relname, c.relkind, c.relpersistence, c.relispartition,
    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
    (SELECT pg_catalog.array_agg(ROW(pn.nspname, p.relname)::text)
       FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
       JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid),
    CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
    EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
             AND e.objid = c.oid AND e.deptype = 'e'),
    ARRAY(SELECT ROW(m.classoid::pg_catalog.regclass::text, m.objsubid, m.description)::text
            FROM pg_catalog.pg_description m
           WHERE m.objoid = c.oid AND m.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
           ORDER BY m.objsubid),
    ARRAY(SELECT ROW(a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                     a.attidentity, a.attgenerated, a.atthasdef,
                     (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d
                       WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum),
                     (SELECT ROW(co.collname, cn.nspname)::text FROM pg_catalog.pg_collation co
                        JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                       WHERE co.oid = a.attcollation),
                     (SELECT a.attcollation = t.typcollation FROM pg_catalog.pg_type t
                       WHERE t.oid = a.atttypid),
                     ARRAY(SELECT ROW(sd.deptype, s.oid::pg_catalog.regclass::text, sn.nspname,
                                      s.relname, q.seqstart, q.seqincrement, q.seqmin, q.seqmax,
                                      q.seqcache, q.seqcycle,
                                      pg_catalog.format_type(q.seqtypid, NULL))::text
                             FROM pg_catalog.pg_depend sd
                             JOIN pg_catalog.pg_class s ON s.oid = sd.objid AND s.relkind = 'S'
                             JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
                             LEFT JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
                            WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                              AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                              AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum
                            ORDER BY 1))::text
            FROM pg_catalog.pg_attribute a
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
    ARRAY(SELECT ROW(k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid), k.convalidated,
                     k.condeferrable, k.condeferred, k.connoinherit, k.confmatchtype,
                     k.confupdtype, k.confdeltype, fn.nspname, f.relname,
                     (SELECT m.description FROM pg_catalog.pg_description m
                       WHERE m.objoid = k.oid AND m.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass))::text
            FROM pg_catalog.pg_constraint k
            LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid
            LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
           WHERE k.conrelid = c.oid ORDER BY k.conname, k.contype, 1),
    ARRAY(SELECT ROW(ic.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisunique,
                     x.indisprimary, x.indisexclusion, x.indnkeyatts, x.indnatts,
                     (SELECT m.description FROM pg_catalog.pg_description m
                       WHERE m.objoid = x.indexrelid AND m.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                         AND m.objsubid = 0))::text
            FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
           WHERE x.indrelid = c.oid ORDER BY ic.relname),
    ARRAY(SELECT ROW(g.tgname, g.tgisinternal, pg_catalog.pg_get_triggerdef(g.oid, true),
                     (SELECT m.description FROM pg_catalog.pg_description m
                       WHERE m.objoid = g.oid AND m.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass))::text
            FROM pg_catalog.pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal
           ORDER BY g.tgname),
    pg_catalog.current_schema(), pg_catalog.current_setting('search_path'),
    pg_catalog.current_setting('TimeZone'), pg_catalog.current_setting('DateStyle'),
    pg_catalog.current_setting('IntervalStyle'), pg_catalog.current_setting('extra_float_digits'),
    pg_catalog.current_setting('server_version_num')
  )::text) END
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.oid = $1::pg_catalog.oid)";

}  // namespace

std::map<std::int64_t, std::string> postgres_table_fingerprints(
    Connection& connection, const std::vector<std::int64_t>& oids) {
  std::map<std::int64_t, std::string> out;
  auto* pg = dynamic_cast<PostgresConnection*>(&connection);
  // One table a query: with an OID list the server planned the query anew at each call
  // (2 ms, more than running it); with one OID it keeps one plan.
  for (std::int64_t oid : oids) {
    const Params params{std::to_string(oid)};
    const Result rows =
        pg ? pg->query_prepared(kFingerprints, params) : connection.query(kFingerprints, params);
    for (const Row& r : rows.rows) {
      if (!r[1].is_null()) out[r[0].as_int()] = r[1].as_text();
    }
  }
  return out;
}

}  // namespace migtest::detail
