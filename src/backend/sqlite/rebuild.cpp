// SQLite's table rebuild, the documented procedure: create the new table under a temporary
// name, copy the rows, drop the old table, rename the new one, recreate indexes and triggers,
// check foreign keys. All of it inside one transaction: the revision's when it has one.
#include "backend/sqlite/rebuild.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

#include "backend/sqlite/ddl.hpp"
#include "backend/sqlite/normalize.hpp"
#include "backend/sqlite/sqlite_connection.hpp"
#include "migtest/error.hpp"

namespace migtest::detail::sqlite {

namespace {

bool contains_name(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return same_name(n, name); });
}

// Foreign key enforcement off for the duration of a rebuild, then back as it was.
//
// PRAGMA foreign_keys is a no-op inside a transaction, and with enforcement on, DROP TABLE of
// the old copy would run an implicit DELETE that fires the children's ON DELETE actions
// (CASCADE would delete their rows) and leaves SQLite's deferred-violation counter raised, so
// COMMIT fails. sqlite3_db_config(SQLITE_DBCONFIG_ENABLE_FKEY) flips the same flag and is
// honoured inside a transaction; PRAGMA foreign_key_check afterwards (step 10 of the
// procedure) finds whatever the rebuild broke. Outside a transaction the pragma is used.
class ForeignKeysOff {
 public:
  ForeignKeysOff(Connection& c, bool own_transaction) : c_(c) {
    was_on_ = c_.scalar("PRAGMA foreign_keys").as_int() != 0;
    if (!was_on_) return;
    if (own_transaction) {
      c_.execute("PRAGMA foreign_keys = OFF");
      pragma_ = true;
      return;
    }
    auto* sc = dynamic_cast<SqliteConnection*>(&c_);
    if (!sc) {
      throw config_error(
          "a SQLite table rebuild inside a transaction needs foreign keys off, which this "
          "connection "
          "cannot switch; run the revision with transaction: false");
    }
    int now = -1;
    sqlite3_db_config(sc->handle(), SQLITE_DBCONFIG_ENABLE_FKEY, 0, &now);
    handle_ = sc->handle();
  }
  ~ForeignKeysOff() { restore_after_commit(); }
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

  /// Inside a transaction: back on now. Outside: the pragma takes effect only after COMMIT, so
  /// restore_after_commit() does it.
  void restore() {
    if (handle_) {
      int now = -1;
      sqlite3_db_config(handle_, SQLITE_DBCONFIG_ENABLE_FKEY, 1, &now);
      handle_ = nullptr;
    }
  }
  void restore_after_commit() {
    restore();
    if (pragma_) {
      try {
        c_.execute("PRAGMA foreign_keys = ON");
      } catch (...) {
      }
      pragma_ = false;
    }
  }
  bool was_on() const { return was_on_; }

 private:
  Connection& c_;
  bool was_on_ = false;
  bool pragma_ = false;
  sqlite3* handle_ = nullptr;
};

std::string temp_name(const std::string& table) { return "_migtest_new_" + table; }

// Step 3 of the procedure: the indexes and triggers to recreate, as stored (their own SQL, not
// a rendering), then the new indexes.
struct Recreated {
  std::vector<std::string> index_sql, trigger_sql;
};

Recreated indexes_and_triggers(Connection& c, const Rebuild& r) {
  Recreated out;
  for (const auto& row :
       c.query("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = $1 COLLATE NOCASE "
               "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
               {r.desired.name})
           .rows) {
    std::string type = row[0].as_text();
    std::string iname = row[1].as_text();
    if (type == "trigger") {
      out.trigger_sql.push_back(row[2].as_text());
    } else if (contains_name(r.keep_indexes, iname)) {
      out.index_sql.push_back(row[2].as_text());
    }
  }
  for (const auto& ix : r.new_indexes) out.index_sql.push_back(render_create_index(r.desired, ix));
  return out;
}

// A column that becomes NOT NULL while rows hold NULL: fail before anything changes,
// naming it (the copy would fail on a temporary table's name).
void check_not_null(Connection& c, const Rebuild& r) {
  const std::string& name = r.desired.name;
  for (const auto& col : r.not_null) {
    std::int64_t n = c.scalar(fmt::format("SELECT count(*) FROM {} WHERE {} IS NULL",
                                          quote_ident(name), quote_ident(col)))
                         .as_int();
    if (n > 0) {
      throw schema_error(fmt::format(
          "{}: column {}.{} holds NULL in {} row{}; fill them before making it NOT NULL", r.reason,
          name, col, n, n == 1 ? "" : "s"));
    }
  }
}

// Create the new table under a temporary name, copy the rows, drop the old table, rename the
// new one, recreate the indexes and triggers.
std::vector<std::string> rebuild_statements(const Rebuild& r, bool was_legacy,
                                            const Recreated& recreated) {
  const std::string q = quote_ident(r.desired.name);
  Table fresh = r.desired;
  fresh.name = temp_name(r.desired.name);
  std::string cols;
  for (const auto& col : r.copy_columns) cols += (cols.empty() ? "" : ", ") + quote_ident(col);
  std::vector<std::string> statements;
  statements.push_back(render_create_table(fresh));
  if (!cols.empty()) {
    statements.push_back(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}",
                                     quote_ident(fresh.name), cols, cols, q));
  }
  statements.push_back("DROP TABLE " + q);
  // legacy_alter_table: the rename leaves views and triggers that name the table alone
  // (they name it already); without it SQLite re-checks them against the dropped table.
  if (!was_legacy) statements.push_back("PRAGMA legacy_alter_table = ON");
  statements.push_back(fmt::format("ALTER TABLE {} RENAME TO {}", quote_ident(fresh.name), q));
  if (!was_legacy) statements.push_back("PRAGMA legacy_alter_table = OFF");
  const auto& [index_sql, trigger_sql] = recreated;
  statements.insert(statements.end(), index_sql.begin(), index_sql.end());
  statements.insert(statements.end(), trigger_sql.begin(), trigger_sql.end());
  return statements;
}

// The table, then the tables whose foreign keys refer to it (read before the rebuild): the
// ones PRAGMA foreign_key_check runs on after it.
std::vector<std::string> tables_to_check(Connection& c, const std::string& name) {
  std::vector<std::string> checked{name};
  for (const auto& row :
       c.query("SELECT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
               "WHERE m.type = 'table' AND f.\"table\" = $1 COLLATE NOCASE AND m.name <> $1 "
               "COLLATE NOCASE "
               "GROUP BY m.name ORDER BY m.name",
               {name})
           .rows)
    checked.push_back(row[0].as_text());
  return checked;
}

void print_rebuild(const StatementSink& sink, const Rebuild& r,
                   const std::vector<std::string>& statements,
                   const std::vector<std::string>& checked) {
  sink(fmt::format("-- table rebuild of {} ({}): SQLite cannot do this with ALTER TABLE",
                   r.desired.name, r.reason),
       {});
  // A marker for SQL written to files: the rebuild of a table others refer to needs foreign
  // keys off, which only works outside a transaction (see docs/reference/operations.md).
  if (checked.size() > 1) sink("PRAGMA foreign_keys = OFF", {});
  for (const auto& s : statements) sink(s, {});
  for (const auto& t : checked)
    sink(fmt::format("PRAGMA foreign_key_check({})", quote_ident(t)), {});
}

void check_foreign_keys(Connection& c, const Rebuild& r, const std::vector<std::string>& checked) {
  for (const auto& t : checked) {
    Result bad = c.query(fmt::format("PRAGMA foreign_key_check({})", quote_ident(t)));
    if (!bad.empty()) {
      throw schema_error(fmt::format(
          "{}: the table rebuild of {} breaks {} foreign key reference{} (first: row {} of {} "
          "refers to a "
          "missing row of {})",
          r.reason, r.desired.name, bad.size(), bad.size() == 1 ? "" : "s",
          bad.rows[0][1].to_string(), bad.rows[0][0].as_text(), bad.rows[0][2].as_text()));
    }
  }
}

// Runs the statements with foreign keys off, in the caller's transaction or one of its own;
// on failure rolls back what it began and leaves legacy_alter_table as it found it.
void execute_rebuild(Connection& c, const Rebuild& r, const std::vector<std::string>& statements,
                     const std::vector<std::string>& checked, bool was_legacy) {
  bool own_transaction = !c.in_transaction();
  ForeignKeysOff fk(c, own_transaction);
  if (own_transaction) c.begin(TransactionMode::immediate);
  try {
    for (const auto& s : statements) c.execute(s);
    fk.restore();
    if (fk.was_on()) check_foreign_keys(c, r, checked);
    if (own_transaction) c.commit();
    fk.restore_after_commit();
  } catch (...) {
    if (own_transaction) {
      try {
        c.rollback();
      } catch (...) {
      }
    }
    if (!was_legacy) {
      try {
        c.execute("PRAGMA legacy_alter_table = OFF");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace

std::vector<std::string> referencing_tables(const Schema& schema, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& t : schema.tables) {
    if (same_name(t.name, table)) continue;
    for (const auto& f : t.foreign_keys) {
      if (same_name(f.referred_table, table)) {
        out.push_back(t.name);
        break;
      }
    }
  }
  return out;
}

Table rebuilt_table(const Rebuild& r) {
  Table t = r.desired;
  t.indexes.erase(
      std::remove_if(t.indexes.begin(), t.indexes.end(),
                     [&](const Index& ix) { return !contains_name(r.keep_indexes, ix.name); }),
      t.indexes.end());
  t.indexes.insert(t.indexes.end(), r.new_indexes.begin(), r.new_indexes.end());
  return t;
}

Rebuild merge_rebuilds(const Rebuild& earlier, const Rebuild& later) {
  Rebuild m;
  m.desired = later.desired;
  m.reason = earlier.reason + "; " + later.reason;
  // A column `earlier` adds is not in the live table yet: it cannot be copied from it.
  for (const auto& c : later.copy_columns)
    if (contains_name(earlier.copy_columns, c)) m.copy_columns.push_back(c);
  for (const auto& i : earlier.keep_indexes)
    if (contains_name(later.keep_indexes, i)) m.keep_indexes.push_back(i);
  for (const auto& ix : earlier.new_indexes)
    if (contains_name(later.keep_indexes, ix.name)) m.new_indexes.push_back(ix);
  m.new_indexes.insert(m.new_indexes.end(), later.new_indexes.begin(), later.new_indexes.end());
  // The NULL check reads the live table: only for columns it has.
  for (const auto* list : {&earlier.not_null, &later.not_null})
    for (const auto& c : *list)
      if (contains_name(m.copy_columns, c) && !contains_name(m.not_null, c))
        m.not_null.push_back(c);
  return m;
}

void run_rebuild(Connection& c, const Rebuild& r, const StatementSink& sink) {
  const Recreated recreated = indexes_and_triggers(c, r);
  check_not_null(c, r);
  bool was_legacy = c.scalar("PRAGMA legacy_alter_table").as_int() != 0;
  const std::vector<std::string> statements = rebuild_statements(r, was_legacy, recreated);
  const std::vector<std::string> checked = tables_to_check(c, r.desired.name);
  if (sink) print_rebuild(sink, r, statements, checked);
  execute_rebuild(c, r, statements, checked, was_legacy);
}

}  // namespace migtest::detail::sqlite
