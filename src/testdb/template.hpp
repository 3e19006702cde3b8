// Templates: a database migrated to a target once, keyed by a hash of the history, built under
// a lock by one process and published atomically, then copied for every use.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "migtest/source.hpp"
#include "migtest/testdb.hpp"

namespace migtest::detail {

/// Which build of the running program this is: it changes whenever the program is linked
/// again. What a key must add when code it cannot hash decides the result (History's
/// unhashed_code(); verify's cache also for C++ seeds).
std::string executable_identity();

/// A template's history: its content hash at once, its revisions only when a template is
/// built or a test runs migrations. A process whose template exists needs the hash alone,
/// which a stamp in the cache can give without loading the files (history_stamp.hpp).
class TemplateHistory {
 public:
  explicit TemplateHistory(std::shared_ptr<const History> loaded);
  /// A loaded history, shared.
  static std::shared_ptr<const TemplateHistory> of(History history);
  /// A history not loaded yet: `load` loads it, and must give `content_hash`.
  TemplateHistory(std::string directory, std::string content_hash,
                  std::function<std::shared_ptr<const History>()> load);

  const std::string& content_hash() const { return hash_; }
  const std::string& directory() const { return directory_; }
  bool loaded() const;
  /// C++ revisions whose code has no hash: their template is keyed on the program too.
  bool has_unhashed_code() const;
  /// The history, loaded on the first call; an error when the files changed since their hash
  /// was taken (what would be built is not what the key says).
  const History& get() const;

 private:
  std::string directory_;
  std::string hash_;
  std::function<std::shared_ptr<const History>()> load_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const History> history_;
};

/// What a template is built from, and where it and its copies live.
struct TemplateSpec {
  Backend backend = Backend::sqlite;
  std::shared_ptr<const TemplateHistory> history;
  std::string target = "head";
  std::string version_table = "migtest_version";
  std::string server_url;       // PostgreSQL ("" = default_postgres_url())
  std::string temp_directory;   // SQLite copies ("" = default_temp_directory())
  std::string cache_directory;  // SQLite templates ("" = default_cache_directory(temp))
};

/// A database migrated to the spec's target once, and what it takes to copy it.
struct Template {
  Backend backend = Backend::sqlite;
  std::string key;  // 64 hex digits: dialect, history content hash, target, version table
  std::string tag;  // key's first 8 digits: the tag of every copy's name
  std::shared_ptr<const TemplateHistory> history;
  std::string target;
  std::string version_table;
  std::string cache_directory;  // SQLite: the template file; PostgreSQL: its reset state
  // SQLite: the template's bytes and where copies go.
  std::string image;
  std::string temp_directory;
  std::string file;  // the cache file
  // PostgreSQL: the template database.
  std::string server_url;
  std::string database;

  /// The process's template for `spec`: loaded or built (under a lock, published
  /// atomically) on first use, then reused. A build failure is remembered and rethrown
  /// (same message) for every later call instead of being retried. Reaps what dead
  /// processes left (once per process) before anything is built.
  static std::shared_ptr<const Template> acquire(const TemplateSpec& spec);
  /// Where `spec`'s SQLite templates and reset states are kept.
  static std::string cache_directory_of(const TemplateSpec& spec);
  /// The key of `spec`'s template: SHA-256 (hex) of the dialect, the history's content
  /// hash, the target and the version table.
  static std::string key_of(const TemplateSpec& spec);

  /// A new temporary database holding a copy of the template.
  TemporaryDatabase clone() const;
};

}  // namespace migtest::detail
