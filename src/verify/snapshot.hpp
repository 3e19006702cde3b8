// Reading the schema at each step of a verification, reflecting only what changed. Internal.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/schema.hpp"

namespace migtest::detail {

/// reflect() with a memory. On SQLite every reflected table is a pure function of its
/// catalog rows (sqlite_master: the table's CREATE text, its indexes and triggers) and of
/// the tables its foreign keys name, so a table whose rows and referred tables' rows are
/// unchanged since it was last reflected is taken from the cache, and reflect() runs only
/// for the others (ReflectOptions::exclude_tables leaves the cached ones out). The result
/// is the same Schema a full reflect() gives. On PostgreSQL a fingerprint of the catalog
/// (everything reflection reads, as text without OIDs) recognises a state seen in the last
/// three reads (a round trip comes back to them) and returns its schema without reflecting.
/// With incremental off every read() is a full reflect().
class SchemaReader {
 public:
  SchemaReader(std::string version_table, bool incremental)
      : version_table_(std::move(version_table)), incremental_(incremental) {}

  Schema read(Connection& connection);

  /// How many times reflect() ran, and how many tables it reflected in all.
  int reflections() const { return reflections_; }
  long tables_reflected() const { return tables_reflected_; }

 private:
  struct Entry {
    std::map<std::string, std::string> referred;  // lower-case table -> its key then
    Table table;
  };
  Schema full(Connection& connection);
  Schema sqlite_incremental(Connection& connection);
  Schema postgres_remembered(Connection& connection);

  std::string version_table_;
  bool incremental_;
  int reflections_ = 0;
  long tables_reflected_ = 0;
  std::unordered_map<std::string, std::vector<Entry>> tables_;  // own catalog key -> versions
  std::unordered_map<std::string, std::vector<View>> views_;    // all view rows -> views
  std::deque<std::pair<std::string, Schema>> recent_;           // whole catalog -> schema
};

}  // namespace migtest::detail
