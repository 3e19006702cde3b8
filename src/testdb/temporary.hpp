// testdb's own ways to make a TemporaryDatabase, beyond the public factories.
#pragma once

#include <memory>
#include <string>

#include "migtest/testdb.hpp"
#include "testdb/server.hpp"

namespace migtest {

struct TemporaryDatabase::Factory {
  /// A new database on `server`, tagged `tag`, maybe copied from `template_name`, without
  /// the maintenance-database check (verify's scratch databases are made on the server of
  /// the user's own database, which holds tables).
  static TemporaryDatabase postgresql(std::shared_ptr<detail::Server> server,
                                      const std::string& tag, const std::string& template_name);
};

}  // namespace migtest
