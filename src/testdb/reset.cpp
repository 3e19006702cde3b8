// Reuse without cloning on PostgreSQL: compare a used copy with its template's clean state in
// one statement, then truncate what the test wrote and set sequences back.
#include "testdb/reset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "migtest/error.hpp"
#include "strings.hpp"
#include "testdb/directories.hpp"

namespace migtest::detail {

namespace {

// The catalogs whose rows make up a schema, each with the expression that identifies a row
// and the filter that keeps user objects (OIDs from 16384 up are never the system's).
struct Catalog {
  const char* table;
  const char* id;
  const char* filter;
};

constexpr const char* kUserOid = "x.oid >= 16384";
constexpr Catalog kCatalogs[] = {
    {"pg_namespace", "x.oid", "x.oid >= 16384 AND x.nspname !~ '^pg_(toast_)?temp_'"},
    {"pg_attribute", "x.attrelid || '.' || x.attnum", "x.attrelid >= 16384"},
    {"pg_attrdef", "x.oid", kUserOid},
    {"pg_constraint", "x.oid", kUserOid},
    {"pg_index", "x.indexrelid", "x.indexrelid >= 16384"},
    {"pg_trigger", "x.oid", kUserOid},
    {"pg_rewrite", "x.oid", kUserOid},
    {"pg_type", "x.oid", kUserOid},
    {"pg_enum", "x.oid", kUserOid},
    {"pg_proc", "x.oid", kUserOid},
    {"pg_aggregate", "x.aggfnoid::oid", "x.aggfnoid::oid >= 16384"},
    {"pg_collation", "x.oid", kUserOid},
    {"pg_sequence", "x.seqrelid", "x.seqrelid >= 16384"},
    {"pg_description", "x.objoid || '.' || x.classoid || '.' || x.objsubid", "x.objoid >= 16384"},
    {"pg_policy", "x.oid", kUserOid},
    {"pg_extension", "x.oid", kUserOid},
    {"pg_inherits", "x.inhrelid || '.' || x.inhparent", "x.inhrelid >= 16384"},
    {"pg_partitioned_table", "x.partrelid", "x.partrelid >= 16384"},
    {"pg_statistic_ext", "x.oid", kUserOid},
    {"pg_default_acl", "x.oid", kUserOid},
    {"pg_event_trigger", "x.oid", kUserOid},
    {"pg_operator", "x.oid", kUserOid},
    {"pg_opclass", "x.oid", kUserOid},
    {"pg_opfamily", "x.oid", kUserOid},
    {"pg_cast", "x.oid", kUserOid},
    {"pg_conversion", "x.oid", kUserOid},
    {"pg_language", "x.oid", kUserOid},
    {"pg_range", "x.rngtypid", "x.rngtypid >= 16384"},
    {"pg_ts_config", "x.oid", kUserOid},
    {"pg_ts_dict", "x.oid", kUserOid},
    {"pg_foreign_data_wrapper", "x.oid", kUserOid},
    {"pg_foreign_server", "x.oid", kUserOid},
    {"pg_foreign_table", "x.ftrelid", "x.ftrelid >= 16384"},
    {"pg_user_mapping", "x.oid", kUserOid},
    {"pg_publication", "x.oid", kUserOid},
    {"pg_publication_rel", "x.oid", kUserOid},
    {"pg_transform", "x.oid", kUserOid},
    {"pg_am", "x.oid", kUserOid},
    {"pg_amop", "x.oid", kUserOid},
    {"pg_amproc", "x.oid", kUserOid},
    {"pg_largeobject_metadata", "x.oid", kUserOid},
    {"pg_init_privs", "x.objoid || '.' || x.classoid || '.' || x.objsubid", "x.objoid >= 16384"},
    {"pg_seclabel", "x.objoid || '.' || x.classoid || '.' || x.objsubid", "x.objoid >= 16384"},
    {"pg_db_role_setting", "x.setrole",
     "x.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"},
};

// One row per catalog row: the catalog's name, the row's id and its row version (a DDL
// statement writes new row versions, so xmin shows an update that keeps the id).
std::string catalog_rows(const Catalog& c) {
  return fmt::format(
      "SELECT '{0}:' || ({1})::text || ':' || x.xmin FROM pg_catalog.{0} x WHERE {2}", c.table,
      c.id, c.filter);
}

// The fingerprint of the schema, "count,hash,hash": the number of user rows in the catalogs
// and two independent sums of their hashes, so that DDL that removes some rows and adds others
// cannot go unseen. pg_class counts by its contents but for the columns TRUNCATE, VACUUM and
// ANALYZE change (storage, statistics), so that a reset's own TRUNCATE leaves it as it was.
// One aggregate over a UNION ALL rather than one per catalog: a new server backend plans it in
// half the time, and every test process pays that planning once.
std::string fingerprint_sql() {
  std::string rows =
      "SELECT 'pg_class:' || ROW(x.oid, x.relname, x.relnamespace, x.reltype, x.reloftype, "
      "x.relowner, x.relam, x.reltablespace, x.relpersistence, x.relkind, x.relnatts, "
      "x.relchecks, x.relhasrules, x.relhastriggers, x.relrowsecurity, x.relforcerowsecurity, "
      "x.relreplident, x.relispartition, x.relacl, x.reloptions, x.relpartbound)::text "
      "FROM pg_catalog.pg_class x WHERE x.oid >= 16384 AND x.relnamespace NOT IN (SELECT n.oid "
      "FROM pg_catalog.pg_namespace n WHERE n.nspname ~ '^pg_(toast_)?temp_')";
  for (const Catalog& c : kCatalogs) rows += "\nUNION ALL " + catalog_rows(c);
  return "(SELECT count(*) || ',' || coalesce(sum(pg_catalog.hashtext(r)::int8), 0) || ',' || "
         "coalesce(sum(pg_catalog.hashtext(r || '~')::int8), 0) FROM (" +
         rows + ") AS catalog_rows(r))";
}

// The columns the inspections share.
constexpr const char* kOtherSessions =
    "(SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = current_database() AND "
    "pid <> pg_catalog.pg_backend_pid() AND backend_type = 'client backend')";
constexpr const char* kPreparedXacts =
    "(SELECT count(*) FROM pg_catalog.pg_prepared_xacts WHERE database = current_database())";
constexpr const char* kOwnPrepared =
    "(SELECT count(*) FROM pg_catalog.pg_prepared_statements WHERE name NOT LIKE 'migtest\\_q%')";

std::string sequence_states_sql(const CleanState& s) {
  std::string sql;
  for (auto oid : s.sequences) {
    sql += fmt::format(",\n(SELECT last_value || ':' || is_called FROM {})", s.table_names.at(oid));
  }
  return sql;
}

}  // namespace

// The columns of the inspection: fingerprint, other sessions, prepared transactions, the
// test's own prepared statements, the empty tables written to, then one checksum per filled
// table and one state per sequence.
std::string inspect_sql(const CleanState& s) {
  std::string oids;
  for (auto oid : s.empty_tables) oids += (oids.empty() ? "" : ",") + std::to_string(oid);
  std::string sql = "SELECT " + fingerprint_sql() + ",\n" + kOtherSessions + ",\n" +
                    kPreparedXacts + ",\n" + kOwnPrepared + ",\n" +
                    fmt::format(
                        "pg_catalog.array_to_string(ARRAY(SELECT c.oid FROM "
                        "pg_catalog.pg_class c WHERE c.oid = ANY ('{{{}}}'::oid[]) AND "
                        "pg_catalog.pg_relation_size(c.oid) > 0 ORDER BY c.oid), ',')",
                        oids);
  for (auto oid : s.filled_tables) {
    sql += fmt::format(
        ",\n(SELECT count(*) || ',' || coalesce(sum(pg_catalog.hashtext(ROW(r.*)::text)::int8), "
        "0) || ',' || coalesce(sum(pg_catalog.hashtext(ROW(r.*)::text || '~')::int8), 0) FROM {} "
        "r)",
        s.table_names.at(oid));
  }
  return sql + sequence_states_sql(s);
}

namespace {

constexpr std::size_t kFixedColumns = 5;

std::vector<std::int64_t> parse_oids(const std::string& list) {
  std::vector<std::int64_t> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(std::stoll(item));
  }
  return out;
}

// The empty tables written to, with every table that has a foreign key to one of them
// (TRUNCATE refuses to empty a table others refer to unless they go in the same statement).
// False when such a table holds the template's rows: truncating it would lose them.
bool truncation_set(const CleanState& s, const std::vector<std::int64_t>& written,
                    std::set<std::int64_t>& out, std::string& why) {
  const std::set<std::int64_t> filled(s.filled_tables.begin(), s.filled_tables.end());
  std::vector<std::int64_t> todo(written.begin(), written.end());
  while (!todo.empty()) {
    const std::int64_t oid = todo.back();
    todo.pop_back();
    if (!out.insert(oid).second) continue;
    if (filled.count(oid)) {
      why = fmt::format("table {} holds the template's rows and refers to a table the test wrote",
                        s.table_names.at(oid));
      return false;
    }
    if (auto it = s.referencing.find(oid); it != s.referencing.end()) {
      todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
  }
  return true;
}

// The session back to a new connection's state, but for the statements this connection
// prepared itself (migtest_q...), which stay valid.
constexpr const char* kSessionReset =
    "ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; "
    "SET client_min_messages = warning; UNLISTEN *; SELECT pg_catalog.pg_advisory_unlock_all(); "
    "DISCARD TEMP; DISCARD SEQUENCES";

// The server's statistics count every row version a backend writes, catalog rows included,
// rolled back or not; a backend sends its counts at the latest when it exits, and at once
// when asked (PostgreSQL 15 and later), before it answers.
bool counts_writes(Connection& c) { return std::atoi(c.server_version().c_str()) >= 15; }
constexpr const char* kFlushCounts = "; SELECT pg_catalog.pg_stat_force_next_flush()";

// The session reset, this session's write counts sent with it.
void reset_session(Connection& c) {
  if (c.in_transaction()) c.rollback();
  c.execute_script(std::string(kSessionReset) + (counts_writes(c) ? kFlushCounts : ""));
}

// What write_mark() reads: per table of the database (catalogs, their TOAST tables and
// materialized views too), the row versions its backends inserted, updated and deleted
// (rolled-back ones too; DDL writes catalog rows, so it moves the catalogs' counts), then
// the database's own settings, which live in a catalog shared by every database and are
// counted there. Tables without a write are left out, and so are the planner's statistics,
// which ANALYZE (autovacuum's too) writes and the inspection does not compare. "" when
// counting is off.
constexpr const char* kWriteMark =
    "CASE WHEN pg_catalog.current_setting('track_counts')::bool THEN coalesce((SELECT "
    "pg_catalog.string_agg(c.oid || ':' || pg_catalog.pg_stat_get_tuples_inserted(c.oid) || ',' "
    "|| pg_catalog.pg_stat_get_tuples_updated(c.oid) || ',' || "
    "pg_catalog.pg_stat_get_tuples_deleted(c.oid), ' ' ORDER BY c.oid) FROM pg_catalog.pg_class c "
    "WHERE NOT c.relisshared AND c.relkind IN ('r', 't', 'm') AND c.oid NOT IN "
    "('pg_catalog.pg_statistic'::pg_catalog.regclass, "
    "'pg_toast.pg_toast_2619'::pg_catalog.regclass, "
    "'pg_catalog.pg_statistic_ext_data'::pg_catalog.regclass, "
    "'pg_toast.pg_toast_3429'::pg_catalog.regclass) AND "
    "pg_catalog.pg_stat_get_tuples_inserted(c.oid) + pg_catalog.pg_stat_get_tuples_updated(c.oid) "
    "+ pg_catalog.pg_stat_get_tuples_deleted(c.oid) > 0), '') || '|' || coalesce((SELECT "
    "pg_catalog.string_agg(x.setrole || ':' || x.xmin, ',' ORDER BY x.setrole) FROM "
    "pg_catalog.pg_db_role_setting x WHERE x.setdatabase = (SELECT d.oid FROM "
    "pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())), '') ELSE '' END";

// A write mark's tables: OID -> "inserted,updated,deleted"; the settings under OID 0.
// Throws std::exception on what is not a mark (the caller then inspects).
std::map<std::int64_t, std::string> marked_tables(const std::string& mark) {
  std::map<std::int64_t, std::string> out;
  const auto bar = mark.find('|');
  if (bar == std::string::npos) throw std::invalid_argument("not a write mark");
  std::stringstream ss(mark.substr(0, bar));
  for (std::string item; ss >> item;) {
    const auto colon = item.find(':');
    out[std::stoll(item.substr(0, colon))] = item.substr(colon + 1);
  }
  out[0] = mark.substr(bar + 1);
  return out;
}

// The tables whose counts differ between two marks (the settings as table 0).
std::set<std::int64_t> tables_written(const std::string& before, const std::string& after) {
  const auto a = marked_tables(before), b = marked_tables(after);
  std::set<std::int64_t> out;
  for (const auto& [oid, counts] : a) {
    auto it = b.find(oid);
    if (it == b.end() || it->second != counts) out.insert(oid);
  }
  for (const auto& [oid, counts] : b) {
    if (!a.count(oid)) out.insert(oid);
  }
  return out;
}

// Sequence `oid` set back to `state` ("<last_value>:<is_called>").
std::string setval_call(std::int64_t oid, const std::string& state) {
  const auto colon = state.find(':');
  return fmt::format("pg_catalog.setval({}::regclass, {}, {})", oid, state.substr(0, colon),
                     state.substr(colon + 1));
}

// Connections the test left open are going away (a client's close reaches the server a
// moment later): waits up to a second for them.
bool others_gone(Connection& c) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < deadline) {
    if (c.scalar(std::string("SELECT ") + kOtherSessions).as_int() == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::string text(const Value& v) { return v.is_null() ? std::string() : v.as_text(); }

}  // namespace

namespace {

// Tables with storage that hold no row are empty ones too: a rolled-back insert leaves pages
// behind (rollback mode gives such a copy back to the pool, and the state may be read from
// it). Only rows make a table one the template fills. One statement for all of them.
void sort_by_rows(Connection& c, const std::vector<std::int64_t>& stored, CleanState& s) {
  if (stored.empty()) return;
  std::string sql;
  for (auto oid : stored) {
    sql += fmt::format("{}EXISTS (SELECT 1 FROM {})", sql.empty() ? "SELECT " : ", ",
                       s.table_names.at(oid));
  }
  const Row row = c.query(sql).rows.at(0);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    (row[i].as_bool() ? s.filled_tables : s.empty_tables).push_back(stored[i]);
  }
  std::sort(s.empty_tables.begin(), s.empty_tables.end());
  std::sort(s.filled_tables.begin(), s.filled_tables.end());
}

}  // namespace

std::shared_ptr<const CleanState> read_clean_state(Connection& c) {
  if (std::atoi(c.server_version().c_str()) < 10) {
    throw config_error("copies are reset on PostgreSQL 10 and later only");
  }
  auto s = std::make_shared<CleanState>();
  const Result rels = c.query(
      "SELECT c.oid::int8, c.relkind::text, pg_catalog.quote_ident(n.nspname) || '.' || "
      "pg_catalog.quote_ident(c.relname), CASE WHEN c.relkind = 'S' THEN 0 ELSE "
      "pg_catalog.pg_relation_size(c.oid) END FROM pg_catalog.pg_class c JOIN "
      "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm', 'S') AND "
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast_)?temp_' "
      "AND n.nspname !~ '^pg_toast' ORDER BY c.oid");
  std::vector<std::int64_t> stored;  // tables with storage: rows, or only dead ones
  for (const Row& r : rels.rows) {
    const std::int64_t oid = r[0].as_int();
    const std::string kind = r[1].as_text();
    s->table_names[oid] = r[2].as_text();
    if (kind == "S") {
      s->sequences.push_back(oid);
    } else if (kind == "r" && r[3].as_int() == 0) {
      s->empty_tables.push_back(oid);
    } else if (kind == "r") {
      stored.push_back(oid);
    } else {
      s->filled_tables.push_back(oid);  // a materialized view: never truncated
    }
  }
  sort_by_rows(c, stored, *s);
  for (const Row& r : c.query("SELECT conrelid::int8, confrelid::int8 FROM "
                              "pg_catalog.pg_constraint WHERE contype = 'f' AND conrelid <> 0")
                          .rows) {
    s->referencing[r[1].as_int()].push_back(r[0].as_int());
  }
  s->inspect_sql = inspect_sql(*s);
  const Row row = c.query(s->inspect_sql).rows.at(0);
  s->fingerprint = text(row[0]);
  std::size_t i = kFixedColumns;
  for (std::size_t t = 0; t < s->filled_tables.size(); ++t)
    s->filled_checksums.push_back(text(row[i++]));
  for (std::size_t q = 0; q < s->sequences.size(); ++q)
    s->sequence_states.push_back(text(row[i++]));
  return s;
}

namespace {
// The states this process knows, by cache file (one per template key and cache directory).
struct KnownStates {
  std::mutex mutex;
  std::map<std::string, std::pair<std::string, std::shared_ptr<const CleanState>>> by_file;
};
KnownStates& known() {
  static KnownStates k;
  return k;
}

std::shared_ptr<const CleanState> remembered(const std::string& file, const std::string& identity) {
  auto& k = known();
  std::lock_guard<std::mutex> lock(k.mutex);
  auto it = k.by_file.find(file);
  return it != k.by_file.end() && it->second.first == identity ? it->second.second : nullptr;
}

std::shared_ptr<const CleanState> remember(const std::string& file, const std::string& identity,
                                           std::shared_ptr<const CleanState> s) {
  auto& k = known();
  std::lock_guard<std::mutex> lock(k.mutex);
  k.by_file[file] = {identity, s};
  return s;
}
}  // namespace

namespace {
// The state of `t` in this process or its cache file, or nullptr.
std::shared_ptr<const CleanState> lookup(const std::string& file, const std::string& identity) {
  if (auto s = remembered(file, identity)) return s;
  if (auto s = load_reset_state(file, identity)) return remember(file, identity, std::move(s));
  return nullptr;
}
}  // namespace

std::shared_ptr<const CleanState> known_clean_state(const Template& t, Connection& copy) {
  return lookup(reset_state_file(t.cache_directory, t.key), template_identity(copy, t.database));
}

std::shared_ptr<const CleanState> clean_state(const Template& t, Connection& clean_copy) {
  const std::string file = reset_state_file(t.cache_directory, t.key);
  const std::string identity = template_identity(clean_copy, t.database);
  if (auto s = lookup(file, identity)) return s;
  auto s = read_clean_state(clean_copy);
  try {
    ensure_directory(t.cache_directory);
    store_reset_state(file, identity, *s);
  } catch (const std::exception&) {
    // No cache directory: every process reads the state itself.
  }
  return remember(file, identity, std::move(s));
}

std::string write_mark(Connection& c) {
  if (!counts_writes(c)) return "";
  return text(c.scalar(std::string("SELECT ") + kWriteMark));
}

namespace {

// The setval() calls for the sequences whose state, in `row` from column `first` on, is not
// the clean one.
void moved_sequences(const CleanState& s, const Row& row, std::size_t first,
                     std::vector<std::string>& setvals) {
  for (std::size_t q = 0; q < s.sequences.size(); ++q) {
    if (text(row[first + q]) == s.sequence_states[q]) continue;
    setvals.push_back(setval_call(s.sequences[q], s.sequence_states[q]));
  }
}

// After a test, from the counts alone when they can tell (its copy's write mark when it began,
// and nobody else connected or with a prepared transaction): when no catalog and no table the
// template fills was written, the schema and those rows are the template's without looking
// at them; `written` gets the tables the template leaves empty that the test wrote, `setvals`
// the sequences to set back (nextval writes no row, so they are always compared). False when
// the counts cannot tell: the whole inspection decides.
bool compare_counts(Connection& c, const CleanState& s, const std::string& mark, ResetResult& r,
                    std::vector<std::int64_t>& written, std::vector<std::string>& setvals) {
  if (mark.empty()) return false;
  const Row row = c.query(std::string("SELECT ") + kWriteMark + ", " + kOtherSessions + ", " +
                          kPreparedXacts + ", " + kOwnPrepared + sequence_states_sql(s))
                      .rows.at(0);
  const std::string now = text(row[0]);
  if (now.empty() || row[1].as_int() > 0 || row[2].as_int() > 0) return false;
  const std::set<std::int64_t> empty(s.empty_tables.begin(), s.empty_tables.end());
  std::set<std::int64_t> changed;
  try {
    changed = tables_written(mark, now);
  } catch (const std::exception&) {
    return false;  // a mark from a COMMENT someone else wrote
  }
  for (auto oid : changed) {
    if (!empty.count(oid)) return false;  // a catalog, the settings, a filled table
    written.push_back(oid);
  }
  moved_sequences(s, row, 4, setvals);
  r.keep_connection = row[3].as_int() == 0;
  r.mark = now;
  return true;
}

// Compares the inspection's row with the clean state; on success fills what to repair.
bool compare(Connection& c, const CleanState& s, Row& row, ResetResult& r,
             std::vector<std::int64_t>& written, std::vector<std::string>& setvals) {
  if (row[1].as_int() > 0) {
    if (!others_gone(c)) {
      r.why = "other connections to the database are still open";
      return false;
    }
    row = c.query(s.inspect_sql).rows.at(0);
  }
  if (text(row[0]) != s.fingerprint) {
    r.why = "the schema changed";
    return false;
  }
  if (row[2].as_int() > 0) {
    r.why = "a prepared transaction is pending";
    return false;
  }
  r.keep_connection = row[3].as_int() == 0;
  written = parse_oids(text(row[4]));
  std::size_t i = kFixedColumns;
  for (std::size_t t = 0; t < s.filled_tables.size(); ++t, ++i) {
    if (text(row[i]) != s.filled_checksums[t]) {
      r.why = fmt::format("rows of table {}, which the template fills, changed",
                          s.table_names.at(s.filled_tables[t]));
      return false;
    }
  }
  moved_sequences(s, row, i, setvals);
  return true;
}

// Truncates `truncate` and sets the sequences back, in one transaction whose counts are sent
// before it answers.
void repair(Connection& c, const CleanState& s, const std::set<std::int64_t>& truncate,
            const std::vector<std::string>& setvals, ResetResult& r) {
  if (truncate.empty() && setvals.empty()) return;
  // One transaction; a lock the test's leftovers still hold must not stall it for long.
  std::string sql = "BEGIN; SET LOCAL lock_timeout = '5s'; ";
  for (auto oid : truncate) r.truncated.push_back(s.table_names.at(oid));
  if (!truncate.empty()) sql += "TRUNCATE " + join(r.truncated) + "; ";
  if (!setvals.empty()) sql += "SELECT " + join(setvals) + "; ";
  sql += std::string("COMMIT") + (counts_writes(c) ? kFlushCounts : "");
  try {
    c.execute_script(sql);
  } catch (...) {
    try {
      c.execute_script("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
  r.sequences = static_cast<int>(setvals.size());
}
}  // namespace

ResetResult reset_copy(Connection& c, const CleanState& s, const std::string& mark) {
  ResetResult r;
  try {
    reset_session(c);
    std::vector<std::int64_t> written;
    std::vector<std::string> setvals;
    r.by_counts = compare_counts(c, s, mark, r, written, setvals);
    if (!r.by_counts) {
      Row row = c.query(s.inspect_sql).rows.at(0);
      if (!compare(c, s, row, r, written, setvals)) return r;
    }
    std::set<std::int64_t> truncate;
    if (!truncation_set(s, written, truncate, r.why)) return r;
    repair(c, s, truncate, setvals, r);
    // The next test's mark: the counts after the truncation (or never read).
    if (!r.by_counts || !truncate.empty()) r.mark = write_mark(c);
    r.reset = true;
  } catch (const std::exception& e) {
    r = ResetResult{};
    r.why = std::string("resetting failed: ") + e.what();
  }
  return r;
}

ResetResult reset_rolled_back(Connection& c, const CleanState& s) {
  ResetResult r;
  try {
    if (c.in_transaction()) c.rollback();
    // The rolled-back writes are not sent now (about 1 ms in a cold backend): the backend
    // sends them when it exits, and a next holder that read its mark before then sees them
    // as its own test's writes, which only costs it a truncation or the inspection.
    std::string sql = kSessionReset;
    std::vector<std::string> calls;
    for (std::size_t q = 0; q < s.sequences.size(); ++q) {
      calls.push_back(setval_call(s.sequences[q], s.sequence_states[q]));
    }
    if (!calls.empty()) sql += "; SELECT " + join(calls);
    c.execute_script(sql);
    r.sequences = static_cast<int>(s.sequences.size());
    r.reset = true;
  } catch (const std::exception& e) {
    r = ResetResult{};
    r.why = std::string("resetting failed: ") + e.what();
  }
  return r;
}

}  // namespace migtest::detail
