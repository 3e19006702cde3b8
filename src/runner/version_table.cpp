#include "runner/version_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "backend/dialect_rules.hpp"
#include "sql_quote.hpp"

namespace migtest::detail {

namespace {

// Columns after version_num, in the order a legacy table gets them: a table upgraded in
// place and a new one end up with the same columns in the same order. is_head defaults to 1
// so that a legacy table's rows, which are its heads, are flagged by the ALTER itself.
struct Column {
  const char* name;
  const char* type;
};
constexpr Column kColumns[] = {
    {"checksum", "VARCHAR(64)"},
    {"applied_at", "VARCHAR(32)"},
    {"is_head", "SMALLINT NOT NULL DEFAULT 1"},
    {"dirty", "VARCHAR(16)"},
    {"dirty_statement", "INTEGER"},
    {"dirty_error", "TEXT"},
};

std::string literal_or_null(const std::string& text) {
  return text.empty() ? std::string("NULL") : quote_literal(text);
}

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

std::string text_of(const Value& v) { return v.is_null() ? std::string() : v.as_text(); }

// "audit.migtest_version" is the table migtest_version in the schema audit.
std::string schema_part(std::string_view table) {
  const auto dot = table.find('.');
  return dot == std::string_view::npos ? std::string() : std::string(table.substr(0, dot));
}
std::string name_part(std::string_view table) {
  const auto dot = table.find('.');
  return std::string(dot == std::string_view::npos ? table : table.substr(dot + 1));
}

AppliedRevision row_of(const Row& r, bool legacy) {
  AppliedRevision a;
  a.revision = r[0].as_text();
  if (legacy) {
    a.head = true;
    return a;
  }
  a.checksum = text_of(r[1]);
  a.applied_at = text_of(r[2]);
  a.head = !r[3].is_null() && r[3].as_int() != 0;
  const std::string dirty = text_of(r[4]);
  if (!dirty.empty()) a.dirty = dirty == "downgrade" ? Direction::down : Direction::up;
  a.dirty_statement = r[5].is_null() ? 0 : static_cast<int>(r[5].as_int());
  a.dirty_error = text_of(r[6]);
  return a;
}

}  // namespace

std::string quote_table(std::string_view table) {
  const std::string schema = schema_part(table);
  return schema.empty() ? quote_ident(table)
                        : quote_ident(schema) + "." + quote_ident(name_part(table));
}

std::string version_schema_ddl(std::string_view table) {
  const std::string schema = schema_part(table);
  return schema.empty() ? std::string() : "CREATE SCHEMA IF NOT EXISTS " + quote_ident(schema);
}

std::string version_table_ddl(std::string_view table) {
  std::string columns;
  for (const Column& c : kColumns) columns += fmt::format(", {} {}", c.name, c.type);
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (version_num VARCHAR(64) NOT NULL{}, CONSTRAINT {} PRIMARY "
      "KEY "
      "(version_num))",
      quote_table(table), columns, quote_ident(name_part(table) + "_pkc"));
}

std::string heads_text(const std::vector<std::string>& ids) {
  if (ids.empty()) return "<base>";
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string insert_row_sql(std::string_view table, const AppliedRevision& row) {
  return fmt::format(
      "INSERT INTO {} (version_num, checksum, applied_at, is_head, dirty, dirty_statement, "
      "dirty_error) VALUES ({}, {}, {}, {}, {}, {}, {})",
      quote_table(table), quote_literal(row.revision), literal_or_null(row.checksum),
      literal_or_null(row.applied_at), row.head ? 1 : 0,
      row.dirty ? quote_literal(*row.dirty == Direction::up ? "upgrade" : "downgrade") : "NULL",
      row.dirty_statement > 0 ? std::to_string(row.dirty_statement) : "NULL",
      literal_or_null(row.dirty_error));
}

std::vector<std::string> move_heads_sql(std::string_view table,
                                        const std::vector<std::string>& before,
                                        const std::vector<std::string>& after,
                                        std::string_view except) {
  std::vector<std::string> out;
  auto set = [&](const std::vector<std::string>& ids, int flag) {
    for (const auto& id : ids) {
      if (id == except) continue;
      out.push_back(fmt::format("UPDATE {} SET is_head = {} WHERE version_num = {}",
                                quote_table(table), flag, quote_literal(id)));
    }
  };
  set(minus(before, after), 0);
  set(minus(after, before), 1);
  return out;
}

VersionTable::VersionTable(Connection& connection, std::string name)
    : c_(connection), name_(std::move(name)), quoted_(quote_table(name_)) {}

VersionTable::Shape VersionTable::shape() {
  if (shape_ && *shape_ != Shape::missing) return *shape_;
  std::vector<std::string> columns;
  try {
    // The column names of an empty result: works the same on both dialects, and a missing
    // table is an error outside any transaction, so nothing is left to roll back.
    columns = c_.query(fmt::format("SELECT * FROM {} WHERE 1 = 0", quoted_)).columns;
  } catch (const database_error&) {
    return *(shape_ = Shape::missing);
  }
  auto has = [&](const char* name) {
    return std::find(columns.begin(), columns.end(), name) != columns.end();
  };
  if (!has("version_num")) {
    throw config_error(fmt::format(
        "table '{}' exists but was not written by migtest (it has no version_num column); choose "
        "another version_table",
        name_));
  }
  bool all = std::all_of(std::begin(kColumns), std::end(kColumns),
                         [&](const Column& c) { return has(c.name); });
  return *(shape_ = all ? Shape::current : Shape::legacy);
}

std::vector<AppliedRevision> VersionTable::read() {
  const Shape s = shape();
  if (s == Shape::missing) return {};
  const bool legacy = s == Shape::legacy;
  const std::string sql =
      legacy ? fmt::format("SELECT version_num FROM {} ORDER BY version_num", quoted_)
             : fmt::format(
                   "SELECT version_num, checksum, applied_at, is_head, dirty, dirty_statement, "
                   "dirty_error "
                   "FROM {} ORDER BY version_num",
                   quoted_);
  std::vector<AppliedRevision> out;
  for (const Row& r : c_.query(sql).rows) out.push_back(row_of(r, legacy));
  return out;
}

void VersionTable::prepare(const RevisionGraph& graph) {
  const Shape s = shape();
  if (s == Shape::current) return;
  if (s == Shape::missing) {
    if (detail::dialect_object(c_.dialect()).has_schemas() && !version_schema_ddl(name_).empty())
      c_.execute(version_schema_ddl(name_));
    c_.execute(version_table_ddl(name_));
    shape_ = Shape::current;
    return;
  }
  // Legacy: its rows are the heads. Resolve them first, so an unknown one stops the upgrade
  // before anything is altered.
  std::vector<std::string> heads;
  for (const auto& r : read()) heads.push_back(r.revision);
  const std::vector<std::string> below = minus(graph.applied(heads), heads);
  Transaction tx(c_, TransactionMode::immediate);
  std::set<std::string> present;
  for (const auto& c : c_.query(fmt::format("SELECT * FROM {} WHERE 1 = 0", quoted_)).columns)
    present.insert(c);
  for (const Column& c : kColumns) {
    if (!present.count(c.name))
      c_.execute(fmt::format("ALTER TABLE {} ADD COLUMN {} {}", quoted_, c.name, c.type));
  }
  for (const auto& id : below) {
    AppliedRevision a;
    a.revision = id;
    c_.execute(insert_row_sql(name_, a));
  }
  tx.commit();
  shape_ = Shape::current;
}

void VersionTable::record_up(const AppliedRevision& row, const std::vector<std::string>& before,
                             const std::vector<std::string>& after) {
  AppliedRevision r = row;
  r.head = std::find(after.begin(), after.end(), row.revision) != after.end();
  std::string script = insert_row_sql(name_, r);
  for (const auto& sql : move_heads_sql(name_, before, after, row.revision)) script += ";\n" + sql;
  c_.execute_script(script);  // one round trip per revision, not one per statement
}

void VersionTable::finish_up(const std::string& revision, const std::vector<std::string>& before,
                             const std::vector<std::string>& after) {
  const bool head = std::find(after.begin(), after.end(), revision) != after.end();
  c_.execute(
      fmt::format(
          "UPDATE {} SET dirty = NULL, dirty_statement = NULL, dirty_error = NULL, is_head = $1, "
          "applied_at = $2 WHERE version_num = $3",
          quoted_),
      {head ? 1 : 0, utc_now(), revision});
  for (const auto& sql : move_heads_sql(name_, before, after, revision)) c_.execute(sql);
}

void VersionTable::record_down(const std::string& revision, const std::vector<std::string>& before,
                               const std::vector<std::string>& after) {
  std::string script =
      fmt::format("DELETE FROM {} WHERE version_num = {}", quoted_, quote_literal(revision));
  for (const auto& sql : move_heads_sql(name_, before, after, revision)) script += ";\n" + sql;
  c_.execute_script(script);  // as record_up: one round trip
}

void VersionTable::mark_started(const AppliedRevision& row, Direction direction) {
  Transaction tx(c_, TransactionMode::immediate);
  if (direction == Direction::up) {
    AppliedRevision r = row;
    r.head = false;  // not a head until it finishes
    r.dirty = Direction::up;
    c_.execute(insert_row_sql(name_, r));
  } else {
    c_.execute(fmt::format(
                   "UPDATE {} SET dirty = 'downgrade', dirty_statement = NULL, dirty_error = NULL, "
                   "applied_at = $1 WHERE version_num = $2",
                   quoted_),
               {utc_now(), row.revision});
  }
  tx.commit();
}

void VersionTable::mark_failed(const std::string& revision, int statement,
                               const std::string& message) {
  Transaction tx(c_, TransactionMode::immediate);
  c_.execute(
      fmt::format("UPDATE {} SET dirty_statement = $1, dirty_error = $2 WHERE version_num = $3",
                  quoted_),
      {statement > 0 ? Value(statement) : Value(), message, revision});
  tx.commit();
}

void VersionTable::set_checksum(const std::string& revision, const std::string& checksum) {
  c_.execute(fmt::format("UPDATE {} SET checksum = $1 WHERE version_num = $2", quoted_),
             {checksum, revision});
}

void VersionTable::replace(const std::vector<AppliedRevision>& rows) {
  c_.execute(fmt::format("DELETE FROM {}", quoted_));
  for (const auto& r : rows) c_.execute(insert_row_sql(name_, r));
}

}  // namespace migtest::detail
