// The name of every temporary database and file: migtest_<tag>_<host>_<pid>_<random8>, so
// that its owner is known from the moment it exists (CREATE DATABASE cannot run in a
// transaction with the COMMENT that marks it; a kill between the two must not matter).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "testdb/owner.hpp"

namespace migtest::detail {

class TemporaryName {
 public:
  /// A new name owned by this process. `tag`: see check_tag().
  static TemporaryName make(const std::string& tag);
  /// The parts of a database name or a file name (no directory); nullopt when it is not a
  /// temporary name. Files carry an extension, .db or .tmp (a template being built), and
  /// maybe SQLite's -wal, -shm or -journal after it.
  static std::optional<TemporaryName> parse(std::string_view name);

  /// The name without extension: a database's whole name.
  const std::string& stem() const { return stem_; }
  /// ".db", ".tmp-journal", ...; "" for a database.
  const std::string& suffix() const { return suffix_; }
  const std::string& tag() const { return tag_; }
  const Owner& owner() const { return owner_; }

 private:
  TemporaryName(std::string stem, std::string suffix, std::string tag, Owner owner)
      : stem_(std::move(stem)),
        suffix_(std::move(suffix)),
        tag_(std::move(tag)),
        owner_(std::move(owner)) {}
  std::string stem_, suffix_, tag_;
  Owner owner_;
};

/// `tag` when it is 8 lower-case hex digits (fixtures use a template key's first 8) or one of
/// the purposes of migtest's own scratch databases: verify, check, autogen. config_error
/// otherwise.
const std::string& check_tag(const std::string& tag);

}  // namespace migtest::detail
