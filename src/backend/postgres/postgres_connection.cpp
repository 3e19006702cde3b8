#include "backend/postgres/postgres_connection.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

namespace migtest::detail {
struct PgParam {
  std::optional<std::string> v;
};
}  // namespace migtest::detail

namespace pqxx {
// Lets a dynamic parameter list carry NULLs next to text values.
template <>
struct string_traits<migtest::detail::PgParam> {
  static constexpr const char* name() noexcept { return "migtest::PgParam"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const migtest::detail::PgParam& p) { return !p.v; }
  static migtest::detail::PgParam null() { return {}; }
  static void from_string(const char s[], migtest::detail::PgParam& p) { p.v = s; }
  static std::string to_string(const migtest::detail::PgParam& p) { return *p.v; }
};
}  // namespace pqxx

namespace migtest::detail {

struct PostgresConnection::Raw {
  pqxx::result result;
};

struct PostgresConnection::Impl {
  explicit Impl(const std::string& url) : conn(url), work(conn, "migtest") {}
  pqxx::connection conn;
  pqxx::nontransaction work;
};

void drop_database(Connection& admin, std::string_view name) {
  const std::string q = quote_ident(name);
  if (std::atoi(admin.server_version().c_str()) >= 13) {
    admin.execute("DROP DATABASE IF EXISTS " + q + " WITH (FORCE)");
    return;
  }
  admin.execute("SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1",
                {std::string(name)});
  admin.execute("DROP DATABASE IF EXISTS " + q);
}

std::int64_t advisory_key(std::string_view name) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(h >> 1);
}

namespace {
PgParam to_param(const Value& v) {
  if (v.is_null()) return {};
  if (v.is_blob()) {
    std::string hex = "\\x";
    for (unsigned char c : v.as_blob().bytes) hex += fmt::format("{:02x}", c);
    return {hex};
  }
  return {v.as_text()};
}

// Converts a pqxx field by its type oid: integers and booleans to integers,
// floats to doubles, bytea to a Blob, everything else as PostgreSQL's text form.
Value to_value(const pqxx::field& f) {
  if (f.is_null()) return Value{};
  switch (f.type()) {
    case 16: return Value(f.c_str()[0] == 't');
    case 20:
    case 21:
    case 23:
    case 26: return Value(f.as<long long>());
    case 700:
    case 701: return Value(f.as<double>());
    case 17: {
      pqxx::binarystring b(f);
      return Value(Blob{std::vector<unsigned char>(b.data(), b.data() + b.size())});
    }
    default: return Value(std::string(f.c_str(), f.size()));
  }
}
}  // namespace

PostgresConnection::PostgresConnection(const DatabaseUrl& url, const ConnectOptions&) : url_(url) {
  try {
    impl_ = std::make_unique<Impl>(url_.original);
    // Notices (IF EXISTS ... skipping) are noise in a migration log.
    impl_->work.exec("SET client_min_messages = warning");
  } catch (const pqxx::broken_connection& e) {
    std::string msg = redact(e.what());
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    for (auto& c : msg) if (c == '\n') c = ' ';
    throw connection_error(fmt::format("cannot connect to '{}': {}", url_.redacted(), msg));
  } catch (const std::exception& e) {
    std::string msg = redact(e.what());
    for (auto& c : msg) if (c == '\n') c = ' ';
    throw connection_error(fmt::format("cannot connect to '{}': {}", url_.redacted(), msg));
  }
}

PostgresConnection::~PostgresConnection() {
  try {
    impl_.reset();
  } catch (...) {
  }
}

PostgresConnection::Raw PostgresConnection::run(std::string_view sql, const Params& params,
                                                const std::string* prepared) {
  std::string s(sql);
  try {
    std::vector<PgParam> ps;
    ps.reserve(params.size());
    for (const auto& p : params) ps.push_back(to_param(p));
    if (prepared) return Raw{impl_->work.exec_prepared(*prepared, pqxx::prepare::make_dynamic_params(ps))};
    if (params.empty()) return Raw{impl_->work.exec(s)};
    return Raw{impl_->work.exec_params(s, pqxx::prepare::make_dynamic_params(ps))};
  } catch (const pqxx::sql_error& e) {
    std::string msg = e.what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg = msg.substr(0, nl);
    if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
    throw database_error(msg, e.sqlstate(), s);
  } catch (const pqxx::broken_connection& e) {
    throw connection_error(fmt::format("lost the connection to '{}' while running: {}", url_.redacted(),
                                       migtest::detail::shorten(s)));
  } catch (const pqxx::in_doubt_error& e) {
    throw connection_error(fmt::format("lost the connection to '{}' while committing; the outcome is unknown",
                                       url_.redacted()));
  }
}

std::string PostgresConnection::server_version() {
  int v = impl_->conn.server_version();
  return fmt::format("{}.{}", v / 10000, v % 10000);
}

std::string PostgresConnection::database_name() { return impl_->conn.dbname(); }

void PostgresConnection::execute_script(std::string_view sql) { run(sql, {}); }

std::int64_t PostgresConnection::execute(std::string_view sql, const Params& params) {
  return run(sql, params).result.affected_rows();
}

Result PostgresConnection::query(std::string_view sql, const Params& params) {
  return to_result(run(sql, params));
}

Result PostgresConnection::query_prepared(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = fmt::format("migtest_q{}", prepared_.size() + 1);
    try {
      impl_->conn.prepare(name, sql);
    } catch (const std::exception& e) {
      throw database_error(e.what(), "", sql);
    }
    it = prepared_.emplace(sql, name).first;
  }
  return to_result(run(sql, params, &it->second));
}

Result PostgresConnection::to_result(Raw raw) {
  pqxx::result r = std::move(raw.result);
  Result out;
  const auto ncols = r.columns();
  for (pqxx::row::size_type i = 0; i < ncols; ++i) out.columns.emplace_back(r.column_name(i));
  auto names = std::make_shared<const std::vector<std::string>>(out.columns);
  out.rows.reserve(r.size());
  for (const auto& row : r) {
    std::vector<Value> values;
    values.reserve(ncols);
    for (const auto& f : row) values.push_back(to_value(f));
    out.rows.emplace_back(names, std::move(values));
  }
  return out;
}

void PostgresConnection::begin(bool) {
  run("BEGIN", {});
  in_tx_ = true;
}
void PostgresConnection::commit() {
  in_tx_ = false;
  run("COMMIT", {});
}
void PostgresConnection::rollback() {
  in_tx_ = false;
  run("ROLLBACK", {});
}
void PostgresConnection::savepoint(std::string_view name) { run("SAVEPOINT " + quote_ident(name), {}); }
void PostgresConnection::release(std::string_view name) {
  run("RELEASE SAVEPOINT " + quote_ident(name), {});
}
void PostgresConnection::rollback_to(std::string_view name) {
  run("ROLLBACK TO SAVEPOINT " + quote_ident(name), {});
}

void PostgresConnection::lock(std::string_view key, int timeout_ms) {
  if (locks_.count(key)) return;
  const std::int64_t k = advisory_key(key);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!query("SELECT pg_try_advisory_lock($1)", {static_cast<long long>(k)}).rows.at(0)[0].as_bool()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw error(fmt::format("timed out after {} ms waiting for the advisory lock '{}' on '{}'",
                              timeout_ms, key, url_.redacted()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  locks_.emplace(key);
}

void PostgresConnection::unlock(std::string_view key) {
  auto it = locks_.find(key);
  if (it == locks_.end()) return;
  locks_.erase(it);
  execute("SELECT pg_advisory_unlock($1)", {static_cast<long long>(advisory_key(key))});
}

std::unique_ptr<Connection> open_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<PostgresConnection>(url, options);
}

}  // namespace migtest::detail
