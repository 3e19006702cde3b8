// migtest/runner.hpp: upgrade, downgrade, stamp and current against a database,
// one transaction per revision, under a lock against concurrent runners.
//   migtest::upgrade("sqlite:///app.db", "migrations/versions", "head");
#pragma once

#include <functional>
#include <map>
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
  Step step;      // the step, for revision events
  int index = 0;  // 1-based position of the step in this run
  int total = 0;  // steps in this run
  double elapsed_ms = 0;
};

struct RunOptions {
  std::string version_table = "migtest_version";
  std::function<void(const RunEvent&)> log;  // nullptr: silent
  bool log_statements = false;               // RunEvent::statement for each statement
  int lock_timeout_ms = 10 * 60 * 1000;      // how long a second runner waits
  /// Apply revisions older than the newest applied one that were never applied (Flyway's
  /// outOfOrder) instead of refusing to upgrade. They run first, oldest first.
  bool out_of_order = false;
  /// Called inside each revision's transaction after its statements ran and the version
  /// table was written, just before COMMIT (Flyway's afterEachMigrate): a check that
  /// throws rolls the revision back, and the step fails with a migration_error naming the
  /// revision. Not called for a revision that runs outside a transaction.
  ///   options.before_commit = [](migtest::Connection& c, const migtest::Step&) {
  ///     if (c.scalar("SELECT count(*) FROM account WHERE balance < 0").as_int() > 0)
  ///       throw std::runtime_error("negative balances");
  ///   };
  std::function<void(Connection&, const Step&)> before_commit;
};

/// One row of the version table: a revision applied to the database, or one that ran
/// outside a transaction and did not finish (dirty).
struct AppliedRevision {
  std::string revision;
  std::string checksum;    // what it was applied with; "" when not recorded (migtest 0.1)
  std::string applied_at;  // UTC, "2026-12-03T12:00:00Z"; "" when not recorded
  bool head = false;       // one of the database's heads (what `current` prints)
  /// Set when a revision that runs outside a transaction starts, cleared when it finishes:
  /// still set, the database may hold part of it.
  std::optional<Direction> dirty;
  int dirty_statement = 0;  // 1-based statement that failed; 0: killed, or failed in C++ code
  std::string dirty_error;  // the failure; "" when the run never finished (killed)

  /// "its upgrade failed at statement 2 outside a transaction: <error>", or "" when clean.
  std::string dirty_text() const;
  bool operator==(const AppliedRevision& o) const;
  bool operator!=(const AppliedRevision& o) const { return !(*this == o); }
};

/// Something that makes the version table disagree with the history: found by
/// Runner::validate(), and refused by every command that migrates.
struct IntegrityProblem {
  enum class Kind {
    edited,        // applied with another checksum than its file has now
    missing,       // recorded as applied; no revision defines it
    dirty,         // ran outside a transaction and did not finish
    out_of_order,  // never applied, but older than an applied revision
    unrecorded,    // applied before checksums were recorded: a note, not an error
  };
  Kind kind;
  std::string revision;
  std::string file;      // the revision's file; "" for C++ revisions and missing revisions
  std::string recorded;  // edited: the checksum in the version table
  std::string actual;    // edited: the checksum of the revision now
  std::string message;   // one line naming the file and what to do

  bool blocking() const { return kind != Kind::unrecorded; }
};
const char* to_string(IntegrityProblem::Kind kind);

/// A command that migrates was refused because the version table disagrees with the
/// history: nothing was run. problems() lists them (the first is in what()).
class integrity_error : public error {
 public:
  explicit integrity_error(std::vector<IntegrityProblem> problems);
  const std::vector<IntegrityProblem>& problems() const noexcept { return problems_; }

 private:
  std::vector<IntegrityProblem> problems_;
};

/// Runs a history against one connection. Every public call takes the migration
/// lock for its duration, so concurrent runners serialise and each revision runs once.
class Runner {
 public:
  /// The runner keeps references to `connection` and `history`: both must outlive it.
  Runner(Connection& connection, const History& history, RunOptions options = {});
  /// A temporary history would be gone before the first call: load it into a variable.
  Runner(Connection& connection, History&& history, RunOptions options = {}) = delete;
  ~Runner();
  Runner(Runner&& other) noexcept;

  /// The revision ids in the version table (the database's heads); empty at base. Reads
  /// only: creates nothing.
  std::vector<std::string> current();
  /// Every row of the version table, oldest first as the history orders them (rows no
  /// revision defines last). Reads only.
  std::vector<AppliedRevision> applied();
  /// Every way the version table disagrees with the history (edited or missing revisions,
  /// a dirty revision, revisions never applied below applied ones). Reads only.
  std::vector<IntegrityProblem> validate();
  /// The steps upgrade/downgrade would run now, without running them.
  std::vector<Step> plan_upgrade(std::string_view target);
  std::vector<Step> plan_downgrade(std::string_view target);
  /// Runs the steps; returns those that ran.
  std::vector<Step> upgrade(std::string_view target = "head");
  std::vector<Step> downgrade(std::string_view target);
  /// Runs exactly one step (verify uses this to walk the history).
  void apply(const Step& step);
  /// Writes the version table only. Refused while a revision is dirty or the table names a
  /// revision the history lacks.
  void stamp(std::string_view target);
  /// Creates the version table when it is missing (upgrading a legacy one), and nothing
  /// else: Alembic's ensure_version.
  void ensure_version_table();

  /// Re-records the checksum of every applied revision whose file changed (or that was
  /// applied before checksums were recorded): after a person has checked that the database
  /// matches. Returns one line per change. Dirty and missing revisions are left for
  /// mark_applied / mark_not_applied.
  std::vector<std::string> repair();
  /// Records `revision` as applied without running it (a dirty revision a person finished
  /// by hand, or an out-of-order one applied by hand). Returns what it did, one line.
  std::string mark_applied(std::string_view revision);
  /// Removes `revision` from the version table without running anything (a dirty upgrade
  /// a person undid by hand, or a deleted revision). Returns what it did, one line.
  std::string mark_not_applied(std::string_view revision);

  /// Takes the migration lock now and keeps it until the runner goes: for a caller that
  /// runs many single steps on a database no one else migrates (verify). Each call then
  /// skips taking the lock and re-reading the version table: this runner must be the only
  /// writer of it meanwhile (another Runner on the same connection included).
  void hold_lock();

  const History& history() const { return history_; }
  Connection& connection() { return connection_; }

 private:
  class Lock;
  class CallScope;
  struct Ledger;   // the version table, and its rows while a lock is held
  struct Failure;  // where a revision run outside a transaction stopped

  Ledger& ledger();
  void prepare_table();
  void require_valid(bool upgrading);
  void run_step(const Step& step, int position, int total, bool out_of_order);
  void run_outside_transaction(const Step& step, const RevisionScript& script,
                               const std::vector<Statement>& statements,
                               const AppliedRevision& row);
  void run_body(const Step& step, const RevisionScript& script,
                const std::vector<Statement>& statements, bool transactional,
                Failure* failure = nullptr);
  void run_before_commit(const Step& step, const RevisionScript& script);
  AppliedRevision new_row(const RevisionScript& script) const;
  void rewrite_rows(std::map<std::string, AppliedRevision, std::less<>> rows);
  std::vector<Step> out_of_order_steps();
  void log(RunEvent event) const;

  Connection& connection_;
  const History& history_;
  RunOptions options_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Lock> held_;  // hold_lock()
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
std::vector<std::string> offline_sql(const History& history, Dialect dialect,
                                     std::vector<std::string> current, std::string_view target,
                                     const OfflineOptions& options = {});

}  // namespace migtest
