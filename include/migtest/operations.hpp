// migtest/operations.hpp: what a C++ revision receives (`op`), Alembic's op.* in C++.
//   void upgrade(migtest::Operations& op) { op.execute("UPDATE \"user\" SET karma = 0"); }
#pragma once

#include <string_view>

#include "migtest/connection.hpp"

namespace migtest {

/// The operation API handed to C++ revisions. It runs inside the revision's
/// transaction (unless the revision is marked no-transaction).
class Operations {
 public:
  explicit Operations(Connection& connection) : connection_(connection) {}
  virtual ~Operations() = default;

  Connection& connection() { return connection_; }
  std::string dialect() const { return connection_.dialect(); }
  /// Raw SQL with bound parameters ($1, $2, ...).
  void execute(std::string_view sql, const Params& params = {}) { connection_.execute(sql, params); }

 private:
  Connection& connection_;
};

}  // namespace migtest
