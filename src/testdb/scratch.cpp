#include "testdb/scratch.hpp"

#include <fmt/format.h>

#include "backend/dialect_rules.hpp"
#include "migtest/url.hpp"
#include "testdb/reaper.hpp"
#include "testdb/server.hpp"
#include "testdb/temporary.hpp"

namespace migtest::detail {

namespace {

TemporaryDatabase create(const std::string& backend_url, const std::string& tag) {
  if (backend_url.empty() || !dialect_object(parse_url(backend_url).dialect).has_server()) {
    return TemporaryDatabase::sqlite("", tag);
  }
  auto server = Server::get(backend_url);
  {
    std::lock_guard<std::mutex> lock(server->mutex);
    reap_server_once(server->admin());
  }
  return TemporaryDatabase::Factory::postgresql(std::move(server), tag, "");
}

}  // namespace

ScratchDatabase::ScratchDatabase(const std::string& backend_url, const std::string& tag)
    : database_(create(backend_url, tag)), connection_(database_.connect()) {
  if (dialect_object(database_.dialect()).has_server()) {
    server_ = redact(backend_url);
    // Throwaway: a commit need not wait for the WAL to reach the disk.
    connection_->execute("SET synchronous_commit = off");
  }
}

std::string ScratchDatabase::description() const {
  if (!server_.empty()) return fmt::format("temporary database {} on {}", location(), server_);
  return "temporary database";
}

}  // namespace migtest::detail
