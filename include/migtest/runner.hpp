// migtest/runner.hpp: upgrade, downgrade, stamp and current against a database,
// one transaction per revision, under a lock against concurrent runners.
//   migtest::upgrade("sqlite:///app.db", "migrations/versions", "head");
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/connection.hpp"
#include "migtest/graph.hpp"
#include "migtest/source.hpp"

namespace migtest {

/// What the runner reports as it goes.
struct RunEvent {
  enum class Kind {
    revision_started,   // "Running upgrade a -> b, message"
    revision_finished,  // after commit; `elapsed_ms` is set
    statement,          // each statement, for --verbose
    notice,             // anything else worth a line
  };
  Kind kind;
  std::string message;
  Step step;           // the step, for revision events
  int index = 0;       // 1-based position of the step in this run
  int total = 0;       // steps in this run
  double elapsed_ms = 0;
};

struct RunOptions {
  std::string version_table = "migtest_version";
  std::function<void(const RunEvent&)> log;  // nullptr: silent
  bool log_statements = false;               // RunEvent::statement for each statement
  int lock_timeout_ms = 10 * 60 * 1000;      // how long a second runner waits
};

/// Runs a history against one connection. Every public call takes the migration
/// lock for its duration, so concurrent runners serialise and each revision runs once.
class Runner {
 public:
  Runner(Connection& connection, const History& history, RunOptions options = {});
  ~Runner();
  Runner(Runner&& other) noexcept;

  /// The revision ids in the version table (the database's heads); empty at base.
  std::vector<std::string> current();
  /// The steps upgrade/downgrade would run now, without running them.
  std::vector<Step> plan_upgrade(std::string_view target);
  std::vector<Step> plan_downgrade(std::string_view target);
  /// Runs the steps; returns those that ran.
  std::vector<Step> upgrade(std::string_view target = "head");
  std::vector<Step> downgrade(std::string_view target);
  /// Runs exactly one step (verify uses this to walk the history).
  void apply(const Step& step);
  /// Writes the version table only.
  void stamp(std::string_view target);

  /// Takes the migration lock now and keeps it until the runner goes: for a caller that
  /// runs many single steps on a database no one else migrates (verify). Each call then
  /// skips taking the lock and re-reading the version table: this runner must be the only
  /// writer of it meanwhile (another Runner on the same connection included).
  void hold_lock();

  const History& history() const { return history_; }
  Connection& connection() { return connection_; }

 private:
  class Lock;
  void ensure_version_table();
  std::vector<std::string> read_version_table();
  void write_version_table(const std::vector<std::string>& before, const std::vector<std::string>& after);
  class CallScope;
  void run_step(const Step& step, int position, int total);
  void run_body(const Step& step, const RevisionScript& script, const std::vector<Statement>& statements,
                bool transactional);
  void check_known(const std::vector<std::string>& heads) const;
  void log(RunEvent event) const;

  Connection& connection_;
  const History& history_;
  RunOptions options_;
  bool table_ready_ = false;
  std::unique_ptr<Lock> held_;                       // hold_lock()
  std::optional<std::vector<std::string>> known_;    // the version table, while locked
};

/// Run migrations on startup: open `url`, load `migrations`, upgrade to `target`.
std::vector<Step> upgrade(std::string_view url, const std::string& migrations,
                          std::string_view target = "head", RunOptions options = {});
std::vector<Step> upgrade(Connection& connection, const History& history,
                          std::string_view target = "head", RunOptions options = {});

/// Offline SQL (`upgrade --sql`): what running `target` from `current` would run on `dialect`.
struct OfflineOptions {
  std::string version_table = "migtest_version";
  Direction direction = Direction::up;
};

/// The statements (without ';') and comments ("-- ...") that upgrade (or, with
/// options.direction = down, downgrade) from `current` to `target` would run on `dialect`,
/// version-table writes and per-revision BEGIN/COMMIT included; nothing is run on any
/// database. C++ revisions are rendered through an offline Operations; code of theirs that
/// reads the database (op.connection()) cannot be, and a comment says where. On SQLite the SQL
/// also runs on an in-memory copy, so operations are checked and table rebuilds rendered.
std::vector<std::string> offline_sql(const History& history, std::string_view dialect,
                                     std::vector<std::string> current, std::string_view target,
                                     const OfflineOptions& options = {});

}  // namespace migtest
