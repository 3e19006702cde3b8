#include "backend/sqlite/sqlite_connection.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <boost/filesystem.hpp>

namespace migtest::detail {

namespace fs = boost::filesystem;

std::string sqlite_code_name(int code) {
  switch (code) {
    case SQLITE_ERROR:
      return "SQLITE_ERROR";
    case SQLITE_BUSY:
      return "SQLITE_BUSY";
    case SQLITE_LOCKED:
      return "SQLITE_LOCKED";
    case SQLITE_READONLY:
      return "SQLITE_READONLY";
    case SQLITE_READONLY_DBMOVED:
      return "SQLITE_READONLY_DBMOVED";
    case SQLITE_IOERR:
      return "SQLITE_IOERR";
    case SQLITE_CORRUPT:
      return "SQLITE_CORRUPT";
    case SQLITE_FULL:
      return "SQLITE_FULL";
    case SQLITE_CANTOPEN:
      return "SQLITE_CANTOPEN";
    case SQLITE_CONSTRAINT:
      return "SQLITE_CONSTRAINT";
    case SQLITE_CONSTRAINT_CHECK:
      return "SQLITE_CONSTRAINT_CHECK";
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case SQLITE_CONSTRAINT_NOTNULL:
      return "SQLITE_CONSTRAINT_NOTNULL";
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return "SQLITE_CONSTRAINT_PRIMARYKEY";
    case SQLITE_CONSTRAINT_UNIQUE:
      return "SQLITE_CONSTRAINT_UNIQUE";
    case SQLITE_CONSTRAINT_TRIGGER:
      return "SQLITE_CONSTRAINT_TRIGGER";
    case SQLITE_MISMATCH:
      return "SQLITE_MISMATCH";
    case SQLITE_RANGE:
      return "SQLITE_RANGE";
    case SQLITE_NOTADB:
      return "SQLITE_NOTADB";
    case SQLITE_MISUSE:
      return "SQLITE_MISUSE";
    default:
      return fmt::format("SQLITE_{}", code);
  }
}

namespace {
std::string quote_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// Binds $1..$n: by name when the statement uses $N, by position for bare ?.
void bind_params(SQLite::Statement& st, const Params& params) {
  int count = st.getBindParameterCount();
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::string name = fmt::format("${}", i + 1);
    int idx = st.getIndex(name.c_str());
    if (idx == 0) idx = static_cast<int>(i + 1);
    if (idx > count) {
      throw database_error(
          fmt::format("{} parameters given, the statement takes {}", params.size(), count),
          "SQLITE_RANGE", st.getQuery());
    }
    const auto& v = params[i].raw();
    if (std::holds_alternative<std::monostate>(v))
      st.bind(idx);
    else if (auto* n = std::get_if<std::int64_t>(&v))
      st.bind(idx, static_cast<int64_t>(*n));
    else if (auto* d = std::get_if<double>(&v))
      st.bind(idx, *d);
    else if (auto* s = std::get_if<std::string>(&v))
      st.bind(idx, *s);
    else if (auto* b = std::get_if<Blob>(&v))
      st.bind(idx, b->bytes.data(), static_cast<int>(b->bytes.size()));
  }
}

// The URL's mode= and the caller's options together: the stricter of the two wins.
struct OpenMode {
  bool read_only = false;
  bool create = true;
  std::string why_not_created;  // for the message when the file is missing
};

OpenMode open_mode(const DatabaseUrl& url, const ConnectOptions& options) {
  OpenMode m;
  m.read_only = options.read_only || url.sqlite_mode == SqliteMode::read_only;
  m.create = !m.read_only && options.create && url.sqlite_mode != SqliteMode::read_write;
  if (url.sqlite_mode == SqliteMode::read_only) m.why_not_created = " (mode=ro never creates it)";
  if (url.sqlite_mode == SqliteMode::read_write) m.why_not_created = " (mode=rw never creates it)";
  return m;
}
}  // namespace

SqliteConnection::SqliteConnection(const DatabaseUrl& url, const ConnectOptions& options)
    : url_(url) {
  const OpenMode mode = open_mode(url_, options);
  if (!url_.is_memory()) {
    fs::path p(url_.path);
    fs::path dir = p.parent_path();
    if (!dir.empty() && !fs::is_directory(dir)) {
      throw connection_error(
          fmt::format("cannot open SQLite database '{}': directory '{}' does not exist", url_.path,
                      dir.string()));
    }
    if (!mode.create && !fs::exists(p)) {
      throw connection_error(
          fmt::format("SQLite database '{}' does not exist{}", url_.path, mode.why_not_created));
    }
  }
  int flags = mode.read_only ? SQLite::OPEN_READONLY
                             : (SQLite::OPEN_READWRITE | (mode.create ? SQLite::OPEN_CREATE : 0));
  try {
    db_ = std::make_unique<SQLite::Database>(url_.path, flags, options.busy_timeout_ms);
    db_->exec("PRAGMA foreign_keys = ON");
  } catch (const SQLite::Exception& e) {
    throw connection_error(
        fmt::format("cannot open SQLite database '{}': {}", url_.path, e.what()));
  }
}

SqliteConnection::~SqliteConnection() = default;

sqlite3* SqliteConnection::handle() const { return db_->getHandle(); }

void SqliteConnection::fail(const std::string& statement) const {
  sqlite3* h = db_->getHandle();
  throw database_error(sqlite3_errmsg(h), sqlite_code_name(sqlite3_extended_errcode(h)), statement);
}

std::string SqliteConnection::server_version() { return sqlite3_libversion(); }

void SqliteConnection::execute_script(std::string_view sql) {
  std::string s(sql);
  if (sqlite3_exec(db_->getHandle(), s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(s);
}

std::int64_t SqliteConnection::execute(std::string_view sql, const Params& params) {
  std::string s(sql);
  if (params.empty()) {
    // Fast path with no prepared-statement object kept around.
    if (sqlite3_exec(db_->getHandle(), s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(s);
    return sqlite3_changes(db_->getHandle());
  }
  try {
    SQLite::Statement st(*db_, s);
    bind_params(st, params);
    while (st.executeStep()) {
    }
    return sqlite3_changes(db_->getHandle());
  } catch (const SQLite::Exception&) {
    fail(s);
  }
}

Result SqliteConnection::query(std::string_view sql, const Params& params) {
  std::string s(sql);
  Result result;
  try {
    SQLite::Statement st(*db_, s);
    bind_params(st, params);
    int n = st.getColumnCount();
    for (int i = 0; i < n; ++i) result.columns.emplace_back(st.getColumnName(i));
    auto names = std::make_shared<const std::vector<std::string>>(result.columns);
    while (st.executeStep()) {
      std::vector<Value> values;
      values.reserve(n);
      for (int i = 0; i < n; ++i) {
        SQLite::Column col = st.getColumn(i);
        switch (col.getType()) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<long long>(col.getInt64()));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(col.getDouble());
            break;
          case SQLITE_TEXT:
            values.emplace_back(std::string(col.getText(), col.getBytes()));
            break;
          case SQLITE_BLOB: {
            auto* p = static_cast<const unsigned char*>(col.getBlob());
            values.emplace_back(Blob{std::vector<unsigned char>(p, p + col.getBytes())});
            break;
          }
          default:
            values.emplace_back();
            break;
        }
      }
      result.rows.emplace_back(names, std::move(values));
    }
  } catch (const SQLite::Exception&) {
    fail(s);
  }
  return result;
}

void SqliteConnection::begin(TransactionMode mode) {
  execute(mode == TransactionMode::immediate ? "BEGIN IMMEDIATE" : "BEGIN", {});
}
void SqliteConnection::commit() { execute("COMMIT", {}); }
void SqliteConnection::rollback() { execute("ROLLBACK", {}); }
bool SqliteConnection::in_transaction() const {
  return sqlite3_get_autocommit(db_->getHandle()) == 0;
}
void SqliteConnection::savepoint(std::string_view name) {
  execute("SAVEPOINT " + quote_name(name), {});
}
void SqliteConnection::release(std::string_view name) {
  execute("RELEASE " + quote_name(name), {});
}
void SqliteConnection::rollback_to(std::string_view name) {
  execute("ROLLBACK TO " + quote_name(name), {});
}

// flock on the database file itself: independent of SQLite's own fcntl locks on Linux,
// and it leaves no extra file behind.
void SqliteConnection::lock(std::string_view key, int timeout_ms) {
  if (url_.is_memory() || locks_.count(key)) return;
  locks_.emplace(std::string(key), FileLock(url_.path, timeout_ms, "the migration lock on"));
}

void SqliteConnection::unlock(std::string_view key) {
  auto it = locks_.find(key);
  if (it != locks_.end()) locks_.erase(it);
}

std::unique_ptr<Connection> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<SqliteConnection>(url, options);
}

}  // namespace migtest::detail
