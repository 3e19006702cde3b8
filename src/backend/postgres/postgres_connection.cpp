#include "backend/postgres/postgres_connection.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "sql_quote.hpp"

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

namespace {
// migtest's transaction as libpqxx sees it: BEGIN ... COMMIT/ROLLBACK, registered on the
// connection like a pqxx::work, so that the user's pqxx::subtransaction nests in it and libpqxx
// refuses a pqxx::work of theirs that would commit it. Unlike pqxx::work, a failing statement
// leaves the transaction open: a savepoint recovers from it (rollback mode's statement
// savepoints), and the caller decides when to roll back.
class OwnTransaction final : public pqxx::dbtransaction {
 public:
  explicit OwnTransaction(pqxx::connection_base& c)
      : pqxx::internal::namedclass("migtest_transaction"), pqxx::dbtransaction(c) {
    Begin();
  }
  ~OwnTransaction() noexcept override { End(); }

 private:
  pqxx::result do_exec(const char query[]) override { return direct_exec(query); }
  void do_commit() override { direct_exec("COMMIT"); }
};
}  // namespace

// libpqxx allows one transaction object per connection at a time. Between statements outside
// a transaction none is kept, so the user's own code may open one on the native connection.
struct PostgresConnection::Impl {
  explicit Impl(const std::string& url) : conn(url) {}
  template <class F>
  auto with_transaction(F&& f) {
    if (own) return f(static_cast<pqxx::transaction_base&>(*own));
    pqxx::nontransaction once(conn, "migtest");
    return f(static_cast<pqxx::transaction_base&>(once));
  }
  pqxx::connection conn;
  std::unique_ptr<OwnTransaction> own;  // between begin() and commit()/rollback()
};

void drop_database(Connection& admin, std::string_view name) {
  const std::string q = quote_ident(name);
  if (std::atoi(admin.server_version().c_str()) >= 13) {
    admin.execute("DROP DATABASE IF EXISTS " + q + " WITH (FORCE)");
    return;
  }
  admin.execute(
      "SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1",
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
    case 16:
      return Value(f.c_str()[0] == 't');
    case 20:
    case 21:
    case 23:
    case 26:
      return Value(f.as<long long>());
    case 700:
    case 701:
      return Value(f.as<double>());
    case 17: {
      pqxx::binarystring b(f);
      return Value(Blob{std::vector<unsigned char>(b.data(), b.data() + b.size())});
    }
    default:
      return Value(std::string(f.c_str(), f.size()));
  }
}
}  // namespace

PostgresConnection::PostgresConnection(const DatabaseUrl& url, const ConnectOptions&) : url_(url) {
  try {
    impl_ = std::make_unique<Impl>(url_.original);
    // Notices (IF EXISTS ... skipping) are noise in a migration log.
    impl_->with_transaction(
        [](pqxx::transaction_base& t) { return t.exec("SET client_min_messages = warning"); });
  } catch (const pqxx::broken_connection& e) {
    std::string msg = redact(e.what());
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    for (auto& c : msg)
      if (c == '\n') c = ' ';
    throw connection_error(fmt::format("cannot connect to '{}': {}", url_.redacted(), msg));
  } catch (const std::exception& e) {
    std::string msg = redact(e.what());
    for (auto& c : msg)
      if (c == '\n') c = ' ';
    throw connection_error(fmt::format("cannot connect to '{}': {}", url_.redacted(), msg));
  }
}

PostgresConnection::~PostgresConnection() {
  try {
    impl_.reset();
  } catch (...) {
  }
}

namespace {
// Runs f, turning libpqxx's exceptions into migtest's, with `sql` named in them.
template <class F>
auto translated(const DatabaseUrl& url, const std::string& sql, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const pqxx::sql_error& e) {
    std::string msg = e.what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg = msg.substr(0, nl);
    if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
    throw database_error(msg, e.sqlstate(), sql);
  } catch (const pqxx::broken_connection&) {
    throw connection_error(fmt::format("lost the connection to '{}' while running: {}",
                                       url.redacted(), migtest::detail::shorten(sql)));
  } catch (const pqxx::in_doubt_error&) {
    throw connection_error(fmt::format(
        "lost the connection to '{}' while committing; the outcome is unknown", url.redacted()));
  } catch (const pqxx::usage_error& e) {
    // The user's own transaction object (a pqxx::subtransaction, a pqxx::work) is open on
    // the native connection: libpqxx lets one object at a time talk to the server.
    throw state_error(
        fmt::format("cannot run '{}' while your own libpqxx transaction is open on this connection "
                    "(commit or abort it first): {}",
                    migtest::detail::shorten(sql), e.what()));
  }
}
}  // namespace

PostgresConnection::Raw PostgresConnection::run(std::string_view sql, const Params& params,
                                                const std::string* prepared) {
  const std::string s(sql);
  std::vector<PgParam> ps;
  ps.reserve(params.size());
  for (const auto& p : params) ps.push_back(to_param(p));
  return translated(url_, s, [&] {
    return impl_->with_transaction([&](pqxx::transaction_base& t) {
      if (prepared) return Raw{t.exec_prepared(*prepared, pqxx::prepare::make_dynamic_params(ps))};
      if (params.empty()) return Raw{t.exec(s)};
      return Raw{t.exec_params(s, pqxx::prepare::make_dynamic_params(ps))};
    });
  });
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

void PostgresConnection::begin(TransactionMode) {
  translated(url_, "BEGIN", [&] { impl_->own = std::make_unique<OwnTransaction>(impl_->conn); });
  in_tx_ = true;
}
void PostgresConnection::commit() {
  in_tx_ = false;
  // The object goes whether COMMIT succeeds or not: the server's transaction is over either way.
  std::unique_ptr<OwnTransaction> own = std::move(impl_->own);
  if (own) translated(url_, "COMMIT", [&] { own->commit(); });
}
void PostgresConnection::rollback() {
  in_tx_ = false;
  std::unique_ptr<OwnTransaction> own = std::move(impl_->own);
  if (own) translated(url_, "ROLLBACK", [&] { own->abort(); });
}

pqxx::connection_base& PostgresConnection::native() { return impl_->conn; }
pqxx::dbtransaction* PostgresConnection::native_transaction() { return impl_->own.get(); }
void PostgresConnection::savepoint(std::string_view name) {
  run("SAVEPOINT " + quote_ident(name), {});
}
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
  while (!query("SELECT pg_try_advisory_lock($1)", {static_cast<long long>(k)})
              .rows.at(0)[0]
              .as_bool()) {
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
