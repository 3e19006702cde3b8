#include "migtest/connection.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "backend/backend.hpp"
#include "backend/postgres/postgres_connection.hpp"
#include "backend/sqlite/sqlite_connection.hpp"
#include "migtest/url.hpp"

namespace migtest {

std::int64_t Value::as_int() const {
  if (auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) return static_cast<std::int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v_)) {
    if (*s == "t" || *s == "true") return 1;
    if (*s == "f" || *s == "false") return 0;
    char* end = nullptr;
    long long v = std::strtoll(s->c_str(), &end, 10);
    if (end && *end == '\0' && !s->empty()) return v;
    throw error(fmt::format("value '{}' is not an integer", *s));
  }
  throw error(fmt::format("value {} is not an integer", to_string()));
}

double Value::as_real() const {
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v_)) {
    char* end = nullptr;
    double v = std::strtod(s->c_str(), &end);
    if (end && *end == '\0' && !s->empty()) return v;
    throw error(fmt::format("value '{}' is not a number", *s));
  }
  throw error(fmt::format("value {} is not a number", to_string()));
}

bool Value::as_bool() const { return as_int() != 0; }

std::string Value::as_text() const {
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v_)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v_)) return fmt::format("{}", *d);
  if (auto* b = std::get_if<Blob>(&v_)) return std::string(b->bytes.begin(), b->bytes.end());
  throw error("value is NULL, not text");
}

const Blob& Value::as_blob() const {
  if (auto* b = std::get_if<Blob>(&v_)) return *b;
  throw error(fmt::format("value {} is not a blob", to_string()));
}

std::string Value::to_string() const {
  if (is_null()) return "NULL";
  if (auto* s = std::get_if<std::string>(&v_)) {
    std::string out = "'";
    for (char c : *s) {
      out += c;
      if (c == '\'') out += '\'';
    }
    return out + "'";
  }
  if (auto* b = std::get_if<Blob>(&v_)) {
    std::string out = "x'";
    for (unsigned char c : b->bytes) out += fmt::format("{:02x}", c);
    return out + "'";
  }
  return as_text();
}

const Value& Row::operator[](std::string_view column) const {
  if (columns_) {
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      if ((*columns_)[i] == column) return values_.at(i);
    }
  }
  throw error(fmt::format("no column '{}' in the result", column));
}

Value Connection::scalar(std::string_view sql, const Params& params) {
  Result r = query(sql, params);
  if (r.rows.empty() || r.rows.front().size() == 0) return Value{};
  return r.rows.front()[0];
}

std::unique_ptr<Connection> connect(std::string_view url, const ConnectOptions& options) {
  DatabaseUrl u = parse_url(url);
  if (u.dialect == Dialect::sqlite) return detail::open_sqlite(u, options);
  return detail::open_postgres(u, options);
}

Transaction::Transaction(Connection& c, TransactionMode mode) : c_(c) { c_.begin(mode); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    c_.rollback();
  } catch (...) {
    // A destructor must not throw; the connection reports the failure on next use.
  }
}

void Transaction::commit() {
  open_ = false;
  c_.commit();
}

void Transaction::rollback() {
  open_ = false;
  c_.rollback();
}

Savepoint::Savepoint(Connection& c, std::string name) : c_(c), name_(std::move(name)) {
  c_.savepoint(name_);
}

Savepoint::~Savepoint() {
  if (!open_) return;
  try {
    c_.rollback_to(name_);
    c_.release(name_);
  } catch (...) {
  }
}

void Savepoint::release() {
  open_ = false;
  c_.release(name_);
}

void Savepoint::rollback() {
  open_ = false;
  c_.rollback_to(name_);
  c_.release(name_);
}

}  // namespace migtest

namespace migtest::detail {

ConnectionLock::ConnectionLock(Connection& connection, std::string key, int timeout_ms,
                               std::mutex* guard)
    : connection_(connection), key_(std::move(key)), guard_(guard) {
  std::unique_lock<std::mutex> held;
  if (guard_) held = std::unique_lock<std::mutex>(*guard_);
  connection_.lock(key_, timeout_ms);
}

ConnectionLock::~ConnectionLock() {
  try {
    std::unique_lock<std::mutex> held;
    if (guard_) held = std::unique_lock<std::mutex>(*guard_);
    connection_.unlock(key_);
  } catch (...) {
    // The connection is gone: the server (or the kernel) has released the lock with it.
  }
}

}  // namespace migtest::detail
