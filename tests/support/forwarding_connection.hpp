// Test support: a Connection that forwards every call to another one, counting the queries
// and letting a test look at (or fail) each before it runs.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "migtest/connection.hpp"

namespace migtest::test {

class ForwardingConnection : public Connection {
 public:
  explicit ForwardingConnection(Connection& inner) : c_(inner) {}

  int queries = 0;  // query() calls so far
  /// Called with each query's SQL before it is forwarded; a throw fails that query.
  std::function<void(std::string_view sql)> before_query;

  Dialect dialect() const override { return c_.dialect(); }
  std::string server_version() override { return c_.server_version(); }
  std::string url() const override { return c_.url(); }
  void execute_script(std::string_view sql) override { c_.execute_script(sql); }
  std::int64_t execute(std::string_view sql, const Params& p) override {
    return c_.execute(sql, p);
  }
  Result query(std::string_view sql, const Params& p) override {
    ++queries;
    if (before_query) before_query(sql);
    return c_.query(sql, p);
  }
  void begin(TransactionMode mode) override { c_.begin(mode); }
  void commit() override { c_.commit(); }
  void rollback() override { c_.rollback(); }
  bool in_transaction() const override { return c_.in_transaction(); }
  void savepoint(std::string_view n) override { c_.savepoint(n); }
  void release(std::string_view n) override { c_.release(n); }
  void rollback_to(std::string_view n) override { c_.rollback_to(n); }
  void lock(std::string_view k, int t) override { c_.lock(k, t); }
  void unlock(std::string_view k) override { c_.unlock(k); }

 private:
  Connection& c_;
};

}  // namespace migtest::test
