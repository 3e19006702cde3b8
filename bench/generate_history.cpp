// The synthetic history generator of bench/generate_history.hpp.
//
// It keeps a model of the schema it has built so far (tables, columns, indexes, rows)
// and picks each next change from what that model allows, so every statement is valid
// when it runs and every down section is the exact inverse of its up section.
#include "generate_history.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdint>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace migtest {
namespace bench {
namespace {

// splitmix64: std::uniform_int_distribution differs between standard libraries, and the
// history must be the same bytes everywhere for a seed.
class Rng {
 public:
  explicit Rng(unsigned seed) : state_(0x9e3779b97f4a7c15ULL ^ seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  int below(int n) { return n <= 1 ? 0 : static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

// Names that are keywords in neither SQLite nor PostgreSQL, so nothing needs quoting.
const char* const table_words[] = {
    "account",  "address",  "invoice",   "payment",  "product",    "category", "customer",
    "supplier", "shipment", "warehouse", "employee", "department", "project",  "task",
    "ticket",   "comment",  "article",   "tag",      "device",     "region",   "store",
    "coupon",   "review",   "cart",      "refund",   "vendor",     "contract", "asset",
    "report",   "team",     "meeting",   "invite",   "badge",      "course",   "lesson",
    "quiz",     "playlist", "track",     "album",    "author",     "library",  "loan",
    "vehicle",  "route",    "station",   "booking",  "room",       "guest",    "menu",
    "recipe"};
const char* const column_words[] = {
    "rating",   "score",    "status",  "note",     "priority", "weight",   "price",   "quantity",
    "color",    "title",    "summary", "code",     "archived", "verified", "budget",  "discount",
    "label",    "origin",   "email",   "phone",    "city",     "country",  "slug",    "karma",
    "balance",  "currency", "size",    "duration", "capacity", "remark",   "website", "motto",
    "nickname", "flagged",  "visits",  "votes",    "height",   "width",    "depth",   "tier"};

enum class ColKind { integer, text, boolean, numeric };

struct ColType {
  ColKind kind;
  const char* sql;  // the column's type and constraints as written in ADD COLUMN
};

// Every type here is one SQLite can ADD and DROP (no constraint but NOT NULL with a
// non-null default) and PostgreSQL stores as written.
const ColType column_types[] = {
    {ColKind::integer, "INTEGER NOT NULL DEFAULT 0"},
    {ColKind::integer, "INTEGER"},
    {ColKind::integer, "BIGINT NOT NULL DEFAULT 0"},
    {ColKind::text, "VARCHAR(50)"},
    {ColKind::text, "VARCHAR(20) NOT NULL DEFAULT 'new'"},
    {ColKind::text, "TEXT"},
    {ColKind::boolean, "BOOLEAN NOT NULL DEFAULT FALSE"},
    {ColKind::numeric, "NUMERIC(10, 2) NOT NULL DEFAULT 0"},
};

struct Column {
  std::string name;
  ColKind kind;
  bool counter = false;    // NOT NULL integer or numeric: UPDATE c = c + k is invertible
  bool renamable = false;  // added by ALTER TABLE: not the key, name or a foreign key
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> names;  // row id - 1 -> current value of the name column
  std::string parent;              // the table a foreign key column refers to, or ""
  std::string parent_column;
  std::set<std::string> indexed;  // columns with a single-column index
};

struct Change {
  std::string message, slug;
  std::vector<std::string> up, down;  // down in the order it runs
};

class Generator {
 public:
  Generator(int revisions, int tables, unsigned seed)
      : revisions_(revisions), target_tables_(tables), rng_(seed) {}

  std::vector<GeneratedRevision> run() {
    std::vector<GeneratedRevision> out;
    out.reserve(static_cast<std::size_t>(revisions_));
    // Tables are created over the first 70% of the history, like a project that grows
    // its model early and then mostly evolves it.
    const int creation_span = std::max(1, revisions_ * 7 / 10);
    for (int i = 0; i < revisions_; ++i) {
      int want = static_cast<int>(
          (static_cast<long long>(target_tables_) * std::min(i + 1, creation_span)) /
          creation_span);
      if (want < 1) want = 1;
      Change c;
      if (static_cast<int>(tables_.size()) < want) {
        const std::size_t before = tables_.size();
        while (static_cast<int>(tables_.size()) < want) create_table(c);
        // A first revision that creates many tables reads as one message, not a list.
        if (tables_.size() - before > 3) {
          c.message = "Create " + std::to_string(tables_.size() - before) + " tables";
          c.slug = "create_" + std::to_string(tables_.size() - before) + "_tables";
        }
      } else {
        evolve(c);
      }
      GeneratedRevision r;
      r.id = new_id();
      r.down_revision = out.empty() ? "" : out.back().id;
      r.message = c.message;
      r.slug = c.slug;
      for (const auto& s : c.up) r.up_sql += s + ";\n";
      for (const auto& s : c.down) r.down_sql += s + ";\n";
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  std::string new_id() {
    static const char hex[] = "0123456789abcdef";
    for (;;) {
      std::uint64_t v = rng_.next();
      std::string id;
      for (int i = 0; i < 12; ++i) id += hex[(v >> (4 * i)) & 0xf];
      // Unique on its first 8 digits too, so short prefixes stay unambiguous.
      if (prefixes_.insert(id.substr(0, 8)).second) return id;
    }
  }

  static void merge_message(Change& c, const std::string& message, const std::string& slug) {
    if (c.message.empty()) {
      c.message = message;
      c.slug = slug;
    } else {
      c.message += ", " + message;
    }
  }

  std::string fresh_table_name() {
    const int n = static_cast<int>(sizeof table_words / sizeof *table_words);
    for (int attempt = 0;; ++attempt) {
      std::string base = table_words[rng_.below(n)];
      if (attempt > 3 * n) base += "_" + std::to_string(tables_.size());
      if (!table_names_.count(base)) {
        table_names_.insert(base);
        return base;
      }
    }
  }

  std::string fresh_column_name(const Table& t) {
    const int n = static_cast<int>(sizeof column_words / sizeof *column_words);
    std::string base = column_words[rng_.below(n)];
    std::string name = base;
    for (int k = 2; has_column(t, name); ++k) name = base + "_" + std::to_string(k);
    return name;
  }

  static bool has_column(const Table& t, const std::string& name) {
    for (const auto& c : t.columns)
      if (c.name == name) return true;
    return false;
  }

  // PostgreSQL index names share one namespace per schema; SQLite's too.
  std::string fresh_index_name(const std::string& base) {
    std::string name = base.size() > 55 ? base.substr(0, 55) : base;
    const std::string stem = name;
    for (int k = 2; index_names_.count(name); ++k) name = stem + "_" + std::to_string(k);
    index_names_.insert(name);
    return name;
  }

  void create_table(Change& c) {
    Table t;
    t.name = fresh_table_name();
    t.columns.push_back({"id", ColKind::integer, false, false});
    t.columns.push_back({"name", ColKind::text, false, false});
    t.columns.push_back({"created_at", ColKind::text, false, false});
    std::string sql = "CREATE TABLE " + t.name +
                      " (\n  id INTEGER PRIMARY KEY,\n  name VARCHAR(100) NOT NULL,\n"
                      "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP";
    std::vector<std::string> index_sql, index_drop;
    std::string message = "Create " + t.name;
    // A foreign key arrives with a new table (SQLite cannot add one to an existing table).
    if (!tables_.empty() && rng_.chance(45)) {
      const Table& p =
          tables_[static_cast<std::size_t>(rng_.below(static_cast<int>(tables_.size())))];
      t.parent = p.name;
      t.parent_column = p.name + "_id";
      t.columns.push_back({t.parent_column, ColKind::integer, false, false});
      sql += ",\n  " + t.parent_column + " INTEGER REFERENCES " + p.name + " (id)" +
             (rng_.chance(50) ? " ON DELETE CASCADE" : "");
      std::string ix = fresh_index_name("ix_" + t.name + "_" + t.parent_column);
      index_sql.push_back("CREATE INDEX " + ix + " ON " + t.name + " (" + t.parent_column + ")");
      index_drop.push_back("DROP INDEX " + ix);
      t.indexed.insert(t.parent_column);
      message += " referring to " + p.name;
    }
    if (rng_.chance(30)) {
      sql += ",\n  CONSTRAINT uq_" + t.name + "_name UNIQUE (name)";
    }
    sql += "\n)";
    c.up.push_back(sql);
    for (const auto& s : index_sql) c.up.push_back(s);
    // Down: the reverse of up, prepended so several creations in one revision unwind in order.
    std::vector<std::string> down(index_drop.rbegin(), index_drop.rend());
    down.push_back("DROP TABLE " + t.name);
    c.down.insert(c.down.begin(), down.begin(), down.end());
    merge_message(c, message, "create_" + t.name);
    tables_.push_back(std::move(t));
  }

  Table& pick_table() {
    return tables_[static_cast<std::size_t>(rng_.below(static_cast<int>(tables_.size())))];
  }

  void evolve(Change& c) {
    int roll = rng_.below(100);
    if (roll < 35) {
      add_column(c);
    } else if (roll < 50) {
      if (!create_index(c)) add_column(c);
    } else if (roll < 70) {
      insert_rows(c);
    } else if (roll < 85) {
      if (!update_rows(c)) insert_rows(c);
    } else {
      if (!rename_column(c)) add_column(c);
    }
  }

  void add_column(Change& c) {
    Table& t = pick_table();
    const int n = static_cast<int>(sizeof column_types / sizeof *column_types);
    const ColType& type = column_types[rng_.below(n)];
    Column col;
    col.name = fresh_column_name(t);
    col.kind = type.kind;
    col.counter = (type.kind == ColKind::integer || type.kind == ColKind::numeric) &&
                  std::string(type.sql).find("NOT NULL") != std::string::npos;
    col.renamable = true;
    std::vector<std::string> up{"ALTER TABLE " + t.name + " ADD COLUMN " + col.name + " " +
                                type.sql};
    std::vector<std::string> down{"ALTER TABLE " + t.name + " DROP COLUMN " + col.name};
    std::string message = "Add " + col.name + " to " + t.name;
    // Often a new column comes with its index, as a model's `index=True` does.
    if (rng_.chance(25)) {
      std::string ix = fresh_index_name("ix_" + t.name + "_" + col.name);
      up.push_back("CREATE INDEX " + ix + " ON " + t.name + " (" + col.name + ")");
      down.insert(down.begin(), "DROP INDEX " + ix);
      t.indexed.insert(col.name);
    }
    // ... or with a backfill of the rows already there.
    if (col.counter && !t.names.empty() && rng_.chance(40)) {
      int k = 1 + rng_.below(9);
      up.push_back("UPDATE " + t.name + " SET " + col.name + " = " + col.name + " + " +
                   std::to_string(k));
      down.insert(down.begin(), "UPDATE " + t.name + " SET " + col.name + " = " + col.name + " - " +
                                    std::to_string(k));
    }
    t.columns.push_back(col);
    c.up.insert(c.up.end(), up.begin(), up.end());
    c.down.insert(c.down.begin(), down.begin(), down.end());
    merge_message(c, message, "add_" + col.name + "_to_" + t.name);
  }

  bool create_index(Change& c) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      Table& t = pick_table();
      std::vector<const Column*> free;
      for (const auto& col : t.columns)
        if (col.name != "id" && !t.indexed.count(col.name)) free.push_back(&col);
      if (free.empty()) continue;
      const Column& col =
          *free[static_cast<std::size_t>(rng_.below(static_cast<int>(free.size())))];
      std::string cols = col.name;
      std::string base = "ix_" + t.name + "_" + col.name;
      // Now and then a two-column index, led by the new column.
      if (rng_.chance(25) && col.name != "created_at") {
        cols += ", created_at";
        base += "_created_at";
      }
      std::string ix = fresh_index_name(base);
      c.up.push_back("CREATE INDEX " + ix + " ON " + t.name + " (" + cols + ")");
      c.down.insert(c.down.begin(), "DROP INDEX " + ix);
      t.indexed.insert(col.name);
      merge_message(c, "Index " + t.name + "." + col.name, "index_" + t.name + "_" + col.name);
      return true;
    }
    return false;
  }

  void insert_rows(Change& c) {
    Table& t = pick_table();
    const Table* parent = nullptr;
    for (const auto& p : tables_)
      if (p.name == t.parent) parent = &p;
    const int count = 2 + rng_.below(4);
    std::string sql = "INSERT INTO " + t.name + " (id, name";
    if (parent) sql += ", " + t.parent_column;
    sql += ") VALUES ";
    std::string ids;
    for (int i = 0; i < count; ++i) {
      int id = static_cast<int>(t.names.size()) + 1;
      std::string name = t.name + " " + std::to_string(id);
      t.names.push_back(name);
      if (i) {
        sql += ", ";
        ids += ", ";
      }
      sql += "(" + std::to_string(id) + ", '" + name + "'";
      if (parent) {
        // A parent row that exists now; rows are only ever deleted by a later down section.
        sql += parent->names.empty()
                   ? std::string(", NULL")
                   : ", " + std::to_string(1 + rng_.below(static_cast<int>(parent->names.size())));
      }
      sql += ")";
      ids += std::to_string(id);
    }
    c.up.push_back(sql);
    c.down.insert(c.down.begin(), "DELETE FROM " + t.name + " WHERE id IN (" + ids + ")");
    merge_message(c, "Seed " + std::to_string(count) + " " + t.name + " rows", "seed_" + t.name);
  }

  bool update_rows(Change& c) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      Table& t = pick_table();
      if (t.names.empty()) continue;
      std::vector<const Column*> counters;
      for (const auto& col : t.columns)
        if (col.counter) counters.push_back(&col);
      if (!counters.empty() && rng_.chance(60)) {
        const Column& col =
            *counters[static_cast<std::size_t>(rng_.below(static_cast<int>(counters.size())))];
        int k = 1 + rng_.below(20);
        int limit = 1 + rng_.below(static_cast<int>(t.names.size()));
        std::string where = " WHERE id <= " + std::to_string(limit);
        c.up.push_back("UPDATE " + t.name + " SET " + col.name + " = " + col.name + " + " +
                       std::to_string(k) + where);
        c.down.insert(c.down.begin(), "UPDATE " + t.name + " SET " + col.name + " = " + col.name +
                                          " - " + std::to_string(k) + where);
        merge_message(c, "Adjust " + t.name + "." + col.name, "adjust_" + t.name + "_" + col.name);
        return true;
      }
      // Rename one row: the down section writes the old value back.
      int id = 1 + rng_.below(static_cast<int>(t.names.size()));
      std::string& current = t.names[static_cast<std::size_t>(id - 1)];
      std::string renamed =
          t.name + " " + std::to_string(id) + " v" + std::to_string(rng_.below(1000));
      if (renamed == current) renamed += "b";
      std::string where = " WHERE id = " + std::to_string(id);
      c.up.push_back("UPDATE " + t.name + " SET name = '" + renamed + "'" + where);
      c.down.insert(c.down.begin(), "UPDATE " + t.name + " SET name = '" + current + "'" + where);
      current = renamed;
      merge_message(c, "Rename " + t.name + " row " + std::to_string(id),
                    "rename_" + t.name + "_row");
      return true;
    }
    return false;
  }

  // RENAME COLUMN is the one rename both databases undo byte for byte: SQLite rewrites
  // the stored CREATE text in place, whereas a table rename leaves it quoted.
  bool rename_column(Change& c) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      Table& t = pick_table();
      std::vector<Column*> candidates;
      for (auto& col : t.columns)
        if (col.renamable) candidates.push_back(&col);
      if (candidates.empty()) continue;
      Column& col =
          *candidates[static_cast<std::size_t>(rng_.below(static_cast<int>(candidates.size())))];
      std::string to = fresh_column_name(t);
      c.up.push_back("ALTER TABLE " + t.name + " RENAME COLUMN " + col.name + " TO " + to);
      c.down.insert(c.down.begin(),
                    "ALTER TABLE " + t.name + " RENAME COLUMN " + to + " TO " + col.name);
      merge_message(c, "Rename " + t.name + "." + col.name + " to " + to,
                    "rename_" + t.name + "_" + col.name);
      if (t.indexed.erase(col.name)) t.indexed.insert(to);
      col.name = to;
      return true;
    }
    return false;
  }

  int revisions_, target_tables_;
  Rng rng_;
  std::vector<Table> tables_;
  std::set<std::string> table_names_, index_names_, prefixes_;
};

std::string script(const std::vector<GeneratedRevision>& history, bool up, bool tx,
                   bool sqlite_pragmas) {
  std::string out;
  if (sqlite_pragmas) out += "PRAGMA foreign_keys = ON;\n";
  auto add = [&](const GeneratedRevision& r) {
    const std::string& sql = up ? r.up_sql : r.down_sql;
    if (tx) out += "BEGIN;\n";
    out += sql;
    if (tx) out += "COMMIT;\n";
  };
  if (up) {
    for (const auto& r : history) add(r);
  } else {
    for (auto it = history.rbegin(); it != history.rend(); ++it) add(*it);
  }
  return out;
}

}  // namespace

std::vector<GeneratedRevision> generate_revisions(int revisions, int tables, unsigned seed) {
  if (revisions < 1) throw std::invalid_argument("generate_revisions: revisions must be >= 1");
  if (tables < 1) throw std::invalid_argument("generate_revisions: tables must be >= 1");
  return Generator(revisions, tables, seed).run();
}

std::string revision_file_text(const GeneratedRevision& r) {
  std::string out;
  out += "-- revision: " + r.id + "\n";
  out += "-- down_revision: " + (r.down_revision.empty() ? std::string("none") : r.down_revision) +
         "\n";
  out += "-- message: " + r.message + "\n";
  out += "-- migrate:up\n" + r.up_sql;
  out += "-- migrate:down\n" + r.down_sql;
  return out;
}

void write_history(const std::string& dir, const std::vector<GeneratedRevision>& history) {
  namespace fs = boost::filesystem;
  boost::system::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot create directory: " + ec.message());
  // A directory reused for another N or seed must not keep revisions of the old history.
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (fs::is_regular_file(entry.path()) && entry.path().extension() == ".sql")
      fs::remove(entry.path());
  }
  for (const auto& r : history) {
    fs::path path = fs::path(dir) / (r.id + "_" + r.slug + ".sql");
    std::ofstream f(path, std::ios::binary);
    f << revision_file_text(r);
    f.close();
    if (!f) throw std::runtime_error(path.string() + ": cannot write");
  }
}

void generate_history(const std::string& dir, int revisions, int tables, unsigned seed) {
  write_history(dir, generate_revisions(revisions, tables, seed));
}

std::string upgrade_script(const std::vector<GeneratedRevision>& history,
                           bool transaction_per_revision, bool sqlite_pragmas) {
  return script(history, true, transaction_per_revision, sqlite_pragmas);
}

std::string downgrade_script(const std::vector<GeneratedRevision>& history,
                             bool transaction_per_revision, bool sqlite_pragmas) {
  return script(history, false, transaction_per_revision, sqlite_pragmas);
}

}  // namespace bench
}  // namespace migtest
